import type { RecordClosure } from './commands';
import type { ReviewEvent } from './events';
import { isOpen, type PlanReview } from './state';

// A closed plan (discharge) has nothing left to review: its open tasks are cancelled, safety reviews included
// (docs/review-scheduling.md, "Closing"), and no periodic review follows.

export const recordClosure = (command: RecordClosure, plan: PlanReview): ReviewEvent[] => {
  const { eventId, closedAt } = command.data;
  if (plan.status !== 'active' || plan.seenEvents.has(eventId)) return [];
  return [
    ...plan.tasks
      .filter(isOpen)
      .map((task): ReviewEvent => ({ type: 'ReviewTaskCancelled', data: { taskId: task.taskId, planId: plan.planId, cancelledBy: eventId, cancelledAt: closedAt } })),
    { type: 'PlanClosureRecorded', data: { planId: plan.planId, closedAt, sourceEventId: eventId } },
  ];
};
