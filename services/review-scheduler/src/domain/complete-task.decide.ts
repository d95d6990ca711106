import type { CompleteWithoutChange, RecordRiskAssessment } from './commands';
import { NotASafetyReview, ReviewTaskNotFound, ReviewTaskNotOpen, SafetyReviewNeedsRiskAssessment } from './errors';
import type { ReviewEvent, ReviewTaskCompleted } from './events';
import { nextPeriodicReview, secondsBetween, type ReviewPolicy } from './review-policy';
import { taskOf, type PlanReview, type ReviewTask, type TrackedPlan } from './state';

// A clinician completes a task (docs/review-scheduling.md, "Completion"): a plan-update or periodic task as
// reviewed without change, with a reason code; a safety review only with a structured risk assessment.

const openTaskOf = (plan: PlanReview, taskId: string): { plan: TrackedPlan; task: ReviewTask } => {
  const task = taskOf(plan, taskId);
  // Stryker disable next-line ConditionalExpression,StringLiteral: taskOf finds no task in an untracked plan, so the status test only narrows the type
  if (!task || plan.status === 'untracked') throw new ReviewTaskNotFound(taskId);
  if (task.status !== 'open') throw new ReviewTaskNotOpen(taskId, task.status);
  return { plan, task };
};

const completed = (
  plan: TrackedPlan,
  task: ReviewTask,
  now: string,
  by: string | null,
  outcome: Pick<ReviewTaskCompleted['data'], 'resolution' | 'noChangeReason' | 'riskAssessment'>,
): ReviewTaskCompleted => ({
  type: 'ReviewTaskCompleted',
  data: {
    taskId: task.taskId,
    planId: plan.planId,
    ...outcome,
    resolvedBy: null,
    revision: null,
    completedAt: now,
    by,
    firstTriggeredAt: task.firstTriggeredAt,
    secondsToCompletion: secondsBetween(task.firstTriggeredAt, now),
  },
});

export const completeWithoutChange = ({ data, metadata }: CompleteWithoutChange, state: PlanReview, policy: ReviewPolicy): ReviewEvent[] => {
  const { plan, task } = openTaskOf(state, data.taskId);
  if (task.kind === 'safety_review') throw new SafetyReviewNeedsRiskAssessment(task.taskId);
  const events: ReviewEvent[] = [
    completed(plan, task, metadata.now, metadata.userId ?? null, { resolution: 'reviewed_no_change', noChangeReason: data.reason, riskAssessment: null }),
  ];
  // The review the interval asked for took place: the next interval starts now.
  if (task.reviewIntervalOutstanding) {
    events.push({
      type: 'PeriodicReviewScheduled',
      data: { planId: plan.planId, basis: 'review_without_change', ...nextPeriodicReview(policy, plan.payerId, metadata.now) },
    });
  }
  return events;
};

export const recordRiskAssessment = ({ data, metadata }: RecordRiskAssessment, state: PlanReview): ReviewEvent[] => {
  const { plan, task } = openTaskOf(state, data.taskId);
  if (task.kind !== 'safety_review') throw new NotASafetyReview(task.taskId);
  return [completed(plan, task, metadata.now, metadata.userId ?? null, { resolution: 'risk_assessed', noChangeReason: null, riskAssessment: data.assessment })];
};
