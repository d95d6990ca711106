import type { ReviewReason } from '@golden-loop/contracts';
import type { RecordTrigger } from './commands';
import type { PlanSignal, ReviewEvent, Trigger, Urgency } from './events';
import { planUpdateDueAt, safetyReviewDueAt, type ReviewPolicy } from './review-policy';
import { openReviewTask, openSafetyReview, reasonsUnion, type PlanReview } from './state';
import { joinTask, openTask } from './task-changes';

// A meaningful change becomes work (docs/review-scheduling.md, "Triggers"): SymptomsChanged (any reason), GoalMet,
// ObjectiveMet and LifeEventReported open a plan-update task, or join the one already open (one per plan: its
// urgency may rise, its due time only moves earlier). A PHQ-9 item-9 flag also opens a safety review of its own.

export const reasonsOf = (signal: PlanSignal): readonly ReviewReason[] => {
  switch (signal.type) {
    case 'SymptomsChanged':
      return signal.reasons;
    case 'GoalMet':
      return ['goal_met'];
    case 'ObjectiveMet':
      return ['objective_met'];
    case 'LifeEventReported':
      return ['life_event'];
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustiveness check: the compiler proves no other signal type reaches here
    default: {
      const unknown: never = signal;
      return unknown;
    }
  }
};

/**
 * Urgent for a safety flag or a worsening into the severe band (issue 9; docs/clinical-rules.md, "Urgency": item 9 needs an urgent review
 * whatever the total; Kroenke & Spitzer 2002 advise expedited care at severe depression), and whenever the plan
 * service already judged the change urgent. Everything else is routine.
 */
export const urgencyOf = (signal: PlanSignal): Urgency => {
  if (signal.type !== 'SymptomsChanged') return 'routine';
  const intoSevere = signal.direction === 'worsened' && signal.newBand === 'severe' && signal.previousBand !== 'severe';
  return signal.urgency === 'urgent' || signal.reasons.includes('safety_flag') || intoSevere ? 'urgent' : 'routine';
};

export const triggerOf = ({ data }: RecordTrigger): Trigger => ({
  eventId: data.eventId,
  occurredAt: data.occurredAt,
  reasons: reasonsOf(data.signal),
  urgency: urgencyOf(data.signal),
  signal: data.signal,
});

export const recordTrigger = (command: RecordTrigger, plan: PlanReview, policy: ReviewPolicy): ReviewEvent[] => {
  // Before the plan's opening (out of order), after its closing, or a second delivery: nothing to decide.
  if (plan.status !== 'active' || plan.seenEvents.has(command.data.eventId)) return [];
  const now = command.metadata.now;
  const trigger = triggerOf(command);
  const dueAt = planUpdateDueAt(policy, trigger.urgency, trigger.occurredAt);
  const events: ReviewEvent[] = [];

  const current = openReviewTask(plan);
  events.push(
    current
      ? joinTask(current, plan, trigger, { reasons: trigger.reasons, urgency: trigger.urgency, dueAt, reviewAt: null }, now)
      : openTask(plan, {
          taskId: command.data.taskIds.planUpdate,
          kind: 'plan_update',
          trigger,
          reviewAt: null,
          reasons: reasonsUnion(trigger.reasons),
          urgency: trigger.urgency,
          dueAt,
          openedAt: now,
          firstTriggeredAt: trigger.occurredAt,
        }),
  );

  if (trigger.reasons.includes('safety_flag')) {
    const safetyDueAt = safetyReviewDueAt(policy, trigger.occurredAt);
    const safety = openSafetyReview(plan);
    events.push(
      safety
        ? joinTask(safety, plan, trigger, { reasons: ['safety_flag'], urgency: 'urgent', dueAt: safetyDueAt, reviewAt: null }, now)
        : openTask(plan, {
            taskId: command.data.taskIds.safetyReview,
            kind: 'safety_review',
            trigger,
            reviewAt: null,
            reasons: ['safety_flag'],
            urgency: 'urgent',
            dueAt: safetyDueAt,
            openedAt: now,
            firstTriggeredAt: trigger.occurredAt,
          }),
    );
  }
  return events;
};
