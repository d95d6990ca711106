import type { IntegrationEvent } from '@golden-loop/contracts';
import { withCheck } from './checked';
import type { NoteEvent } from './commands';
import type { ReadinessEvent } from './events';
import type { PlanReadiness } from './state';

/**
 * What billing takes from a public plan or review event (ids, codes and dates). Events it does not know, or that do
 * not bear on documentation (drafting steps such as GoalAdded), decide nothing and cause no check; so does an
 * event that repeats what the stream already holds.
 */
export const factsOf = (state: PlanReadiness, eventId: string, event: IntegrationEvent): ReadinessEvent[] => {
  const sourceEventId = eventId;
  switch (event.name) {
    case 'PlanOpened': {
      if (state.opened) return [];
      const { planId, clientId, clinicianId, payerId, revision, diagnoses, openedAt } = event.payload;
      return [{ type: 'PlanOpenedNoted', data: { planId, sourceEventId, clientId, clinicianId, payerId, revision, diagnoses, openedAt } }];
    }
    case 'PlanSigned': {
      const { revision, signerRole, signerId, signedAt } = event.payload;
      if (state.revisions.some((r) => r.revision === revision)) return [];
      return [{ type: 'PlanSignatureNoted', data: { sourceEventId, revision, signerRole, signerId, signedAt } }];
    }
    case 'PlanRevised': {
      const { revision, reason, triggersAnswered, revisedPlan, revisedAt } = event.payload;
      if (state.revisions.some((r) => r.revision >= revision)) return [];
      return [{ type: 'PlanRevisionNoted', data: { sourceEventId, revision, reason, triggersAnswered, plan: revisedPlan, revisedAt } }];
    }
    case 'AssessmentRecorded': {
      const { assessmentId, instrument, score, band, safetyFlag, assessedAt } = event.payload;
      return [{ type: 'AssessmentNoted', data: { sourceEventId, assessmentId, instrument, score, band, safetyFlag, assessedAt } }];
    }
    case 'SymptomsChanged':
      return [{ type: 'ClinicalChangeNoted', data: { sourceEventId, kind: 'symptoms_changed', occurredAt: event.payload.occurredAt, assessmentId: event.payload.assessmentId } }];
    case 'GoalMet':
      return [{ type: 'ClinicalChangeNoted', data: { sourceEventId, kind: 'goal_met', occurredAt: event.payload.metAt, goalId: event.payload.goalId } }];
    case 'ObjectiveMet': {
      const { goalId, objectiveId, metAt } = event.payload;
      return [{ type: 'ClinicalChangeNoted', data: { sourceEventId, kind: 'objective_met', occurredAt: metAt, goalId, objectiveId } }];
    }
    case 'LifeEventReported':
      return [{ type: 'ClinicalChangeNoted', data: { sourceEventId, kind: 'life_event', occurredAt: event.payload.reportedAt } }];
    case 'PlanClosed':
      return state.closed ? [] : [{ type: 'PlanClosedNoted', data: { sourceEventId, reason: event.payload.reason, closedAt: event.payload.closedAt } }];
    case 'ReviewTaskOpened':
    case 'ReviewTaskOverdue':
    case 'ReviewTaskCompleted': {
      const { taskId, reasons, triggeredBy, dueAt } = event.payload;
      const known = state.tasks.find((task) => task.taskId === taskId);
      // A completed task stays completed; an overdue one is not reopened by a late ReviewTaskOpened.
      if (known?.status === 'completed' || (known?.status === 'overdue' && event.name === 'ReviewTaskOpened')) return [];
      const [status, at] =
        event.name === 'ReviewTaskOpened'
          ? (['open', event.payload.openedAt] as const)
          : event.name === 'ReviewTaskOverdue'
            ? (['overdue', event.payload.overdueAt] as const)
            : (['completed', event.payload.completedAt] as const);
      return [{ type: 'ReviewTaskNoted', data: { sourceEventId, taskId, status, reasons, triggeredBy, dueAt, at } }];
    }
    default:
      return [];
  }
};

export const decideNoteEvent = (command: NoteEvent, state: PlanReadiness): ReadinessEvent[] => {
  const { eventId, event } = command.data;
  const facts = factsOf(state, eventId, event);
  if (facts.length === 0) return [];
  const cause = event.name.startsWith('ReviewTask') ? 'review_event' : 'plan_event';
  return withCheck(state, facts, command, cause, eventId);
};
