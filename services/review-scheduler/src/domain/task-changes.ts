import type { ReviewReason } from '@golden-loop/contracts';
import type { ReviewTaskOpened, ReviewTaskTriggerJoined, Trigger, Urgency } from './events';
import { earlier } from './review-policy';
import { higherUrgency, reasonsUnion, type ReviewTask, type TrackedPlan } from './state';

// The two ways a cause of review meets a plan: it opens a task, or joins the one of its kind already open.

/** Joining adds the reasons and the trigger; the urgency only rises and the due time only moves earlier. */
export const joinTask = (
  task: ReviewTask,
  plan: TrackedPlan,
  trigger: Trigger | null,
  joined: { reasons: readonly ReviewReason[]; urgency: Urgency; dueAt: string; reviewAt: string | null },
  now: string,
): ReviewTaskTriggerJoined => ({
  type: 'ReviewTaskTriggerJoined',
  data: {
    taskId: task.taskId,
    planId: plan.planId,
    trigger,
    reviewAt: joined.reviewAt,
    joinedReasons: joined.reasons,
    reasons: reasonsUnion(task.reasons, joined.reasons),
    urgency: higherUrgency(task.urgency, joined.urgency),
    dueAt: earlier(task.dueAt, joined.dueAt),
    previousUrgency: task.urgency,
    previousDueAt: task.dueAt,
    joinedAt: now,
  },
});

/** A new open task of the plan's clinician. */
export const openTask = (
  plan: TrackedPlan,
  opened: Omit<ReviewTaskOpened['data'], 'planId' | 'clinicianId'>,
): ReviewTaskOpened => ({ type: 'ReviewTaskOpened', data: { planId: plan.planId, clinicianId: plan.clinicianId, ...opened } });

