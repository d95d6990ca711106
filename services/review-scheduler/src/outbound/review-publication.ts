import { publicMessage, type Publication, type StoredEvent } from '@golden-loop/command-runner';
import type { IntegrationEvent } from '@golden-loop/contracts';
import type { ReviewEvent } from '../domain/events';
import { evolve } from '../domain/evolve';
import { initialState, taskOf, type PlanReview, type ReviewTask, type TrackedPlan } from '../domain/state';

// The review stream's public events (libs/contracts, review-events.ts). Each repeats the task as it stands after the
// event (reasons, triggers, urgency, due time, kind, clinician), read from the review state the publication folds
// with the decider's own evolve. Bookkeeping events (the plan registered, a revision or closing recorded, the next
// review date, triggers answered while the task stays open) stay inside the service.

const taskFields = (plan: TrackedPlan, task: ReviewTask) => ({
  taskId: task.taskId,
  planId: plan.planId,
  reasons: [...task.reasons],
  triggeredBy: task.triggers.map((trigger) => trigger.eventId),
  urgency: task.urgency,
  dueAt: task.dueAt,
  kind: task.kind,
  clinicianId: plan.clinicianId,
});

const unknownEvent = (_event: never): null => null;

/** The public event for a stored one, or null when it stays inside the service; `state` is the state after it. */
export const toIntegrationEvent = (event: ReviewEvent, state: PlanReview): IntegrationEvent | null => {
  if (event.type === 'PlanRegistered' || event.type === 'PlanRevisionRecorded' || event.type === 'PeriodicReviewScheduled' || event.type === 'PlanClosureRecorded') {
    return null;
  }
  const task = taskOf(state, event.data.taskId);
  if (state.status === 'untracked' || !task) return null;
  const fields = taskFields(state, task);
  switch (event.type) {
    case 'ReviewTaskOpened':
      return { name: 'ReviewTaskOpened', version: 1, payload: { ...fields, openedAt: event.data.openedAt } };
    case 'ReviewTaskTriggerJoined': {
      const d = event.data;
      return {
        name: 'ReviewTaskTriggerJoined',
        version: 1,
        payload: {
          ...fields,
          joinedBy: d.trigger?.eventId ?? null,
          joinedReasons: [...d.joinedReasons],
          previousUrgency: d.previousUrgency,
          previousDueAt: d.previousDueAt,
          joinedAt: d.joinedAt,
        },
      };
    }
    case 'ReviewTaskCompleted': {
      const d = event.data;
      return {
        name: 'ReviewTaskCompleted',
        version: 1,
        payload: {
          ...fields,
          resolution: d.resolution,
          resolvedBy: d.resolvedBy,
          revision: d.revision,
          completedAt: d.completedAt,
          firstTriggeredAt: d.firstTriggeredAt,
          secondsToCompletion: d.secondsToCompletion,
          ...(d.noChangeReason === null ? {} : { noChangeReason: d.noChangeReason }),
          ...(d.riskAssessment === null ? {} : { riskAssessment: { ...d.riskAssessment } }),
        },
      };
    }
    case 'ReviewTaskOverdue':
      return { name: 'ReviewTaskOverdue', version: 1, payload: { ...fields, overdueAt: event.data.overdueAt } };
    case 'ReviewTaskEscalated': {
      const d = event.data;
      return {
        name: 'ReviewTaskEscalated',
        version: 1,
        payload: { ...fields, escalationReason: 'safety_review_overdue', route: d.route, supervisorId: d.supervisorId, teamId: d.teamId, escalatedAt: d.escalatedAt },
      };
    }
    case 'ReviewTaskCancelled':
      return {
        name: 'ReviewTaskCancelled',
        version: 1,
        payload: { ...fields, cancellationReason: 'plan_closed', cancelledBy: event.data.cancelledBy, cancelledAt: event.data.cancelledAt },
      };
    case 'ReviewTaskTriggersAnswered':
      return null;
    default:
      return unknownEvent(event);
  }
};

/** The review stream's publication on `topic`, each message validated against the contract before the outbox. */
export const reviewPublication = (topic: string): Publication<ReviewEvent, PlanReview> => ({
  initialState,
  evolve: (state, stored: StoredEvent<ReviewEvent>) => evolve(state, stored.event),
  messagesOf: (stored, state, metadata) => {
    const integration = toIntegrationEvent(stored.event, state);
    return integration === null ? [] : [publicMessage(integration, stored, metadata, topic)];
  },
});
