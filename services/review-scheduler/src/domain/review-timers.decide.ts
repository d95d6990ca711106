import type { EscalateSafetyReview, MarkOverdue, OpenPeriodicReview } from './commands';
import type { ReviewEvent } from './events';
import { escalationAt, isAtOrAfter, type ReviewPolicy } from './review-policy';
import { openReviewTask, taskOf, type PlanReview } from './state';
import { joinTask, openTask } from './task-changes';

// What a durable timer decides when it fires (docs/review-scheduling.md, "Timers"). A timer is set in the
// transaction of the decision that needs it, but the state may have moved on by the time it fires (the task was
// completed, the review date moved): then it decides nothing. Each decision is taken once, so a timer firing twice
// (a re-armed timer, a retry after a crash) cannot publish twice.

/** A task past its due time, still open, is overdue once. */
export const markOverdue = ({ data, metadata }: MarkOverdue, plan: PlanReview): ReviewEvent[] => {
  const task = taskOf(plan, data.taskId);
  if (plan.status !== 'active' || !task || task.status !== 'open' || task.overdueAt !== null) return [];
  if (!isAtOrAfter(metadata.now, task.dueAt)) return [];
  return [{ type: 'ReviewTaskOverdue', data: { taskId: task.taskId, planId: plan.planId, dueAt: task.dueAt, overdueAt: metadata.now } }];
};

/** A safety review not completed in time goes to the supervisor once; with none known, to the unrouted queue. */
export const escalateSafetyReview = ({ data, metadata }: EscalateSafetyReview, plan: PlanReview, policy: ReviewPolicy): ReviewEvent[] => {
  const task = taskOf(plan, data.taskId);
  if (plan.status !== 'active' || !task || task.kind !== 'safety_review' || task.status !== 'open' || task.escalation !== null) return [];
  if (!isAtOrAfter(metadata.now, escalationAt(policy, task.dueAt))) return [];
  return [
    {
      type: 'ReviewTaskEscalated',
      data: {
        taskId: task.taskId,
        planId: plan.planId,
        route: data.supervisorId === null ? 'unrouted' : 'supervisor',
        supervisorId: data.supervisorId,
        teamId: data.teamId,
        escalatedAt: metadata.now,
      },
    },
  ];
};

/**
 * The review date is near: a periodic task opens, due at the review date, or the open plan-update task takes the
 * date on (one open task per plan). Only the review date scheduled last counts.
 */
export const openPeriodicReview = ({ data, metadata }: OpenPeriodicReview, plan: PlanReview): ReviewEvent[] => {
  if (plan.status !== 'active' || !plan.periodicReview) return [];
  const { reviewAt, opensAt, opened } = plan.periodicReview;
  if (opened || reviewAt !== data.reviewAt || !isAtOrAfter(metadata.now, opensAt)) return [];
  const current = openReviewTask(plan);
  if (current) {
    return [joinTask(current, plan, null, { reasons: ['review_interval'], urgency: 'routine', dueAt: reviewAt, reviewAt }, metadata.now)];
  }
  return [
    openTask(plan, {
      taskId: data.taskId,
      kind: 'periodic_review',
      trigger: null,
      reviewAt,
      reasons: ['review_interval'],
      urgency: 'routine',
      dueAt: reviewAt,
      openedAt: metadata.now,
      firstTriggeredAt: opensAt,
    }),
  ];
};
