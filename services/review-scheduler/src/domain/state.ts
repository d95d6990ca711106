import { REVIEW_REASONS, type EscalationRoute, type NoChangeReason, type ReviewReason, type ReviewTaskKind } from '@golden-loop/contracts';
import type { RiskAssessment, Trigger, Urgency } from './events';

export type TaskStatus = 'open' | 'completed' | 'cancelled';

export interface TaskCompletion {
  readonly resolution: 'plan_revised' | 'reviewed_no_change' | 'risk_assessed';
  readonly resolvedBy: string | null;
  readonly revision: number | null;
  readonly noChangeReason: NoChangeReason | null;
  readonly riskAssessment: RiskAssessment | null;
  readonly completedAt: string;
  readonly by: string | null;
  readonly secondsToCompletion: number;
}

export interface TaskEscalation {
  readonly route: EscalationRoute;
  readonly supervisorId: string | null;
  readonly teamId: string | null;
  readonly escalatedAt: string;
}

/** Which revision answered a trigger of the task. */
export interface Answer {
  readonly revision: number;
  readonly answeredBy: string;
  readonly answeredAt: string;
}

export interface ReviewTask {
  readonly taskId: string;
  readonly kind: ReviewTaskKind;
  readonly status: TaskStatus;
  /** Every reason that opened or joined the task, in the catalogue's order. */
  readonly reasons: readonly ReviewReason[];
  /** Every trigger that opened or joined it, in order. */
  readonly triggers: readonly Trigger[];
  /** Trigger event id → the revision that answered it. */
  readonly answers: ReadonlyMap<string, Answer>;
  /** The review date the task also stands for (a periodic review), while no revision has answered it. */
  readonly reviewAt: string | null;
  readonly reviewIntervalOutstanding: boolean;
  readonly urgency: Urgency;
  readonly dueAt: string;
  readonly openedAt: string;
  readonly firstTriggeredAt: string;
  readonly overdueAt: string | null;
  readonly escalation: TaskEscalation | null;
  readonly completion: TaskCompletion | null;
  readonly cancelledAt: string | null;
}

export interface PeriodicReview {
  readonly reviewAt: string;
  readonly opensAt: string;
  readonly intervalDays: number;
  /** Set once the review date opened or joined a task, until the next one is scheduled. */
  readonly opened: boolean;
}

export interface UntrackedPlan {
  readonly status: 'untracked';
}

export interface TrackedPlan {
  readonly status: 'active' | 'closed';
  readonly planId: string;
  readonly clinicianId: string;
  readonly payerId: string | null;
  readonly openedAt: string;
  /** The last revision in effect, null until revision 1 took effect. */
  readonly revision: number | null;
  readonly revisedAt: string | null;
  readonly periodicReview: PeriodicReview | null;
  /** Every task of the plan, in the order opened. */
  readonly tasks: readonly ReviewTask[];
  /** The plan events already applied: a redelivered or replayed one decides nothing. */
  readonly seenEvents: ReadonlySet<string>;
  readonly closedAt: string | null;
}

/** One plan's review state: stream id = plan id. */
export type PlanReview = UntrackedPlan | TrackedPlan;

export const initialState = (): PlanReview => ({ status: 'untracked' });

export const isOpen = (task: ReviewTask): boolean => task.status === 'open';

/** The one open task a trigger or the review date joins (a plan_update or periodic_review task). */
export const openReviewTask = (plan: TrackedPlan): ReviewTask | undefined =>
  plan.tasks.find((task) => isOpen(task) && task.kind !== 'safety_review');

export const openSafetyReview = (plan: TrackedPlan): ReviewTask | undefined =>
  plan.tasks.find((task) => isOpen(task) && task.kind === 'safety_review');

export const taskOf = (plan: PlanReview, taskId: string): ReviewTask | undefined =>
  plan.status === 'untracked' ? undefined : plan.tasks.find((task) => task.taskId === taskId);

/** Trigger event ids of the task not yet answered by a revision. */
export const outstandingTriggers = (task: ReviewTask): string[] =>
  task.triggers.filter((trigger) => !task.answers.has(trigger.eventId)).map((trigger) => trigger.eventId);

/** A union of reason lists, in the catalogue's order (so equal sets compare equal). */
export const reasonsUnion = (...lists: readonly (readonly ReviewReason[])[]): ReviewReason[] => {
  const present = new Set(lists.flat());
  return REVIEW_REASONS.filter((reason) => present.has(reason));
};

export const higherUrgency = (a: Urgency, b: Urgency): Urgency => (a === 'urgent' || b === 'urgent' ? 'urgent' : 'routine');
