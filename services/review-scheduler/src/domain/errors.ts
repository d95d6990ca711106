import { DomainError } from '@golden-loop/decider';
import type { TaskStatus } from './state';

/**
 * Every refusal of a plan's review: a stable code, a sentence a clinician understands. Only a person's commands
 * (HTTP) are refused; reactions to plan events and timers never throw on normal input (docs/service-kit.md, "Reactions never throw").
 */
export abstract class ReviewError extends DomainError {}

/** One code for "no such task", whether the plan is unknown here or the task is not one of its tasks. */
export class ReviewTaskNotFound extends ReviewError {
  readonly code = 'review_task_not_found';
  readonly kind = 'not_found';
  constructor(readonly taskId: string) {
    super('This plan has no review task with this id.');
  }
}

export class ReviewTaskNotOpen extends ReviewError {
  readonly code = 'review_task_not_open';
  readonly kind = 'conflict';
  constructor(
    readonly taskId: string,
    readonly status: Exclude<TaskStatus, 'open'>,
  ) {
    super(status === 'completed' ? 'This review task is already completed.' : 'This review task was cancelled (the plan was closed).');
  }

  override get extensions(): Readonly<Record<string, unknown>> {
    return { taskStatus: this.status };
  }
}

/** A safety review is completed only with a structured risk assessment (docs/clinical-rules.md, "PHQ-9 item 9: the safety flag"). */
export class SafetyReviewNeedsRiskAssessment extends ReviewError {
  readonly code = 'safety_review_needs_risk_assessment';
  readonly kind = 'conflict';
  constructor(readonly taskId: string) {
    super('A safety review is completed with a structured risk assessment, not as reviewed without change.');
  }
}

export class NotASafetyReview extends ReviewError {
  readonly code = 'not_a_safety_review';
  readonly kind = 'conflict';
  constructor(readonly taskId: string) {
    super('A risk assessment completes a safety review; this task is a plan review: revise the plan or complete it as reviewed without change.');
  }
}

export class PlanReviewNotFound extends ReviewError {
  readonly code = 'plan_review_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('No treatment plan with this id has been opened (or its opening has not reached this service yet).');
  }
}
