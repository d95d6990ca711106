import type { IntegrationEvent } from '@golden-loop/contracts';
import { withCheck } from './checked';
import type { NoteEvent, SourceEvent } from './commands';
import type { ReadinessEvent } from './events';
import { evolve } from './evolve';
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

/** An assessment, then the SymptomsChanged it caused: the plan service records both in one command. */
const isChangeOf = (first: IntegrationEvent, second: IntegrationEvent): boolean =>
  first.name === 'AssessmentRecorded' &&
  second.name === 'SymptomsChanged' &&
  first.payload.planId === second.payload.planId &&
  first.payload.assessmentId === second.payload.assessmentId;

/**
 * One plan's consumed events, in their order, as the inputs of NoteEvent commands (`last` with the `before` it
 * follows): an event on its own, except an AssessmentRecorded directly followed by the SymptomsChanged of the same
 * assessment, which is one clinical change checked once, after both (docs/payer-rules.md, "One check per clinical
 * change"). Only events consumed together can be paired; apart, each is checked after itself.
 */
export const clinicalChangesOf = <E extends SourceEvent>(events: readonly E[]): { readonly last: E; readonly before: readonly E[] }[] => {
  const changes: { last: E; before: E[] }[] = [];
  for (let i = 0; i < events.length; i += 1) {
    const next = events[i + 1];
    if (next !== undefined && isChangeOf(events[i].event, next.event)) {
      changes.push({ last: next, before: [events[i]] });
      i += 1;
    } else {
      changes.push({ last: events[i], before: [] });
    }
  }
  return changes;
};

/**
 * The facts of the command's events, each taken on the state the ones before it leave, then one check after them
 * all; it names the last event (its cause). None of them new: nothing decided, no check.
 */
export const decideNoteEvent = (command: NoteEvent, state: PlanReadiness): ReadinessEvent[] => {
  const { eventId, event, before = [] } = command.data;
  const facts: ReadinessEvent[] = [];
  let noted = state;
  for (const input of [...before, { eventId, event }]) {
    const found = factsOf(noted, input.eventId, input.event);
    facts.push(...found);
    noted = found.reduce(evolve, noted);
  }
  if (facts.length === 0) return [];
  const cause = event.name.startsWith('ReviewTask') ? 'review_event' : 'plan_event';
  return withCheck(state, facts, command, cause, eventId);
};
