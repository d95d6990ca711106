import type { RecordRevision } from './commands';
import type { ReviewEvent } from './events';
import { nextPeriodicReview, secondsBetween, type ReviewPolicy } from './review-policy';
import { isOpen, outstandingTriggers, type PlanReview } from './state';

// A revision takes effect (docs/review-scheduling.md, "Completion"). It answers the triggers it names
// (PlanRevised.triggersAnswered, event ids): a task whose every trigger is answered is completed, one with triggers
// left stays open with them. Any revision in effect is also the review a due review date asks for, and starts the
// next interval (docs/clinical-rules.md, rule 6: some payers set a maximum interval). Safety reviews are not answered by a
// revision: only a risk assessment completes them.

export const recordRevision = (command: RecordRevision, plan: PlanReview, policy: ReviewPolicy): ReviewEvent[] => {
  const { eventId, revision, triggersAnswered, revisedAt } = command.data;
  if (plan.status !== 'active' || plan.seenEvents.has(eventId)) return [];
  // A revision older than the one in effect arrives only out of order: nothing to decide.
  // Stryker disable next-line ConditionalExpression: with no revision in effect `revision <= null` is false for every revision number (they start at 1), so the null test only narrows the type
  if (plan.revision !== null && revision <= plan.revision) return [];

  const events: ReviewEvent[] = [
    { type: 'PlanRevisionRecorded', data: { planId: plan.planId, revision, revisedAt, triggersAnswered, sourceEventId: eventId } },
  ];
  const named = new Set(triggersAnswered);
  for (const task of plan.tasks) {
    if (!isOpen(task) || task.kind === 'safety_review') continue;
    const outstanding = outstandingTriggers(task);
    const answered = outstanding.filter((id) => named.has(id));
    const left = outstanding.filter((id) => !named.has(id));
    const reviewIntervalAnswered = task.reviewIntervalOutstanding;
    if (answered.length === 0 && !reviewIntervalAnswered) continue;
    if (left.length === 0) {
      events.push({
        type: 'ReviewTaskCompleted',
        data: {
          taskId: task.taskId,
          planId: plan.planId,
          resolution: 'plan_revised',
          resolvedBy: eventId,
          revision,
          noChangeReason: null,
          riskAssessment: null,
          completedAt: revisedAt,
          by: null,
          firstTriggeredAt: task.firstTriggeredAt,
          secondsToCompletion: secondsBetween(task.firstTriggeredAt, revisedAt),
        },
      });
    } else {
      events.push({
        type: 'ReviewTaskTriggersAnswered',
        data: {
          taskId: task.taskId,
          planId: plan.planId,
          answered,
          reviewIntervalAnswered,
          outstanding: left,
          revision,
          answeredBy: eventId,
          answeredAt: revisedAt,
        },
      });
    }
  }
  events.push({
    type: 'PeriodicReviewScheduled',
    data: { planId: plan.planId, basis: 'revision', ...nextPeriodicReview(policy, plan.payerId, revisedAt) },
  });
  return events;
};
