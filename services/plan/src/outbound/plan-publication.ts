import { publicMessage, type Publication, type StoredEvent } from '@golden-loop/command-runner';
import { INSTRUMENTS, type IntegrationEvent } from '@golden-loop/contracts';
import type { PlanEvent, PlanRevised } from '../domain/events';
import type { ObjectiveMeasure, PlanContent, TriggerRef } from '../domain/plan-content';

/** A stored plan event with the id it was stored under: that id is also the public event's `ce_id`. */
export type StoredPlanEvent = StoredEvent<PlanEvent>;

/**
 * What the publication remembers of a plan's history: the id of the event that announced each trigger (PlanRevised
 * names the events it answers by those ids) and the diagnoses each goal traces back to, as last recorded.
 */
export interface PlanPublicationState {
  readonly triggerEventIds: ReadonlyMap<string, string>;
  readonly goalDiagnosisCodes: ReadonlyMap<string, readonly string[]>;
}

const triggerKey = (type: TriggerRef['type'], id: string): string => `${type}/${id}`;

/** The trigger a stored event announces, when it announces one. */
const triggerOf = (event: PlanEvent): string | null => {
  switch (event.type) {
    case 'SymptomsChanged':
      return triggerKey('SymptomsChanged', event.data.assessmentId);
    case 'GoalMet':
      return triggerKey('GoalMet', event.data.goalId);
    case 'ObjectiveMet':
      return triggerKey('ObjectiveMet', event.data.objectiveId);
    case 'LifeEventReported':
      return triggerKey('LifeEventReported', event.data.lifeEventId);
    default:
      return null;
  }
};

export const evolvePublication = (state: PlanPublicationState, { eventId, event }: StoredPlanEvent): PlanPublicationState => {
  const trigger = triggerOf(event);
  if (trigger !== null && !state.triggerEventIds.has(trigger)) {
    return { ...state, triggerEventIds: new Map(state.triggerEventIds).set(trigger, eventId) };
  }
  if (event.type === 'GoalAdded') {
    return { ...state, goalDiagnosisCodes: new Map(state.goalDiagnosisCodes).set(event.data.goal.goalId, event.data.diagnosisCodes) };
  }
  if (event.type === 'GoalRevised') {
    return { ...state, goalDiagnosisCodes: new Map(state.goalDiagnosisCodes).set(event.data.goalId, event.data.diagnosisCodes) };
  }
  return state;
};

// The stored events are rich (the client's own words); the public ones carry ids, codes, scores and dates
// only (libs/contracts refuses anything else). Drafting steps inside a revision (RevisionProposed,
// DiagnosisAdded, GoalRevised, ...) stay inside the service: the network hears of a revision when it takes
// effect, through PlanRevised, which carries the whole revised plan.

const leanMeasure = (measure: ObjectiveMeasure | null) => {
  if (measure === null) return null;
  return measure.kind === 'instrument'
    ? { kind: 'instrument' as const, instrument: measure.instrument, loinc: INSTRUMENTS[measure.instrument].loinc, baseline: measure.baseline, target: measure.target }
    : { kind: 'behavioural' as const, unit: measure.unit, baseline: measure.baseline, target: measure.target };
};

const revisedPlan = (plan: PlanContent, diagnosisCodesOfGoal: (goalId: string) => readonly string[]) => ({
  diagnoses: plan.diagnoses.map(({ code, rank }) => ({ code, rank })),
  goals: plan.goals.map((goal) => ({ goalId: goal.goalId, status: goal.status, diagnosisCodes: [...diagnosisCodesOfGoal(goal.goalId)] })),
  objectives: plan.objectives.map((objective) => ({
    objectiveId: objective.objectiveId,
    goalId: objective.goalId,
    status: objective.status,
    measure: leanMeasure(objective.measure),
    targetDate: objective.targetDate,
  })),
  interventions: plan.interventions
    .filter((intervention) => intervention.status === 'active')
    .map((intervention) => ({
      interventionId: intervention.interventionId,
      modality: intervention.modality,
      frequency: { ...intervention.frequency },
    })),
  service: {
    sessionType: plan.service.sessionType,
    sessionMinutes: plan.service.sessionMinutes,
    frequency: { ...plan.service.frequency },
    expectedDurationWeeks: plan.service.expectedDurationWeeks,
  },
});

const planRevised = (event: PlanRevised, state: PlanPublicationState): IntegrationEvent => {
  const { data } = event;
  const { goals, objectives, interventions, diagnoses } = data.changes;
  const ids = (changes: typeof goals) => ({ added: [...changes.added], changed: [...changes.changed], removed: [...changes.removed] });
  return {
    name: 'PlanRevised',
    version: 1,
    payload: {
      planId: data.planId,
      revision: data.revision,
      reason: data.reason,
      triggersAnswered: data.triggersAnswered
        .map((trigger) => state.triggerEventIds.get(triggerKey(trigger.type, trigger.id)))
        .filter((id): id is string => id !== undefined),
      changes: { goals: ids(goals), objectives: ids(objectives), interventions: ids(interventions), diagnoses: ids(diagnoses) },
      revisedPlan: revisedPlan(data.plan, (goalId) => state.goalDiagnosisCodes.get(goalId) ?? []),
      revisedAt: data.revisedAt,
    },
  };
};

/**
 * The public event for a stored one, or null when it stays inside the service. `state` is the publication's memory
 * of the stream up to and including this event.
 */
export const toIntegrationEvent = ({ event }: StoredPlanEvent, state: PlanPublicationState): IntegrationEvent | null => {
  switch (event.type) {
    case 'PlanOpened': {
      const d = event.data;
      return {
        name: 'PlanOpened',
        version: 1,
        payload: {
          planId: d.planId,
          clientId: d.clientId,
          clinicianId: d.clinicianId,
          payerId: d.payerId,
          revision: d.revision,
          diagnoses: d.diagnoses.map(({ code, rank }) => ({ code, rank })),
          openedAt: d.openedAt,
        },
      };
    }
    case 'GoalAdded': {
      const d = event.data;
      return {
        name: 'GoalAdded',
        version: 1,
        payload: { planId: d.planId, goalId: d.goal.goalId, revision: d.revision, diagnosisCodes: [...d.diagnosisCodes], addedAt: d.addedAt },
      };
    }
    case 'ObjectiveAdded': {
      const d = event.data;
      return {
        name: 'ObjectiveAdded',
        version: 1,
        payload: {
          planId: d.planId,
          goalId: d.objective.goalId,
          objectiveId: d.objective.objectiveId,
          revision: d.revision,
          measure: leanMeasure(d.objective.measure),
          targetDate: d.objective.targetDate,
          addedAt: d.addedAt,
        },
      };
    }
    case 'AssessmentRecorded': {
      const d = event.data;
      return {
        name: 'AssessmentRecorded',
        version: 1,
        payload: {
          planId: d.planId,
          assessmentId: d.assessmentId,
          instrument: d.instrument,
          loinc: INSTRUMENTS[d.instrument].loinc,
          score: d.total,
          band: d.band,
          safetyFlag: d.safetyFlag,
          assessedAt: d.assessedAt,
        },
      };
    }
    case 'SymptomsChanged': {
      const d = event.data;
      return {
        name: 'SymptomsChanged',
        version: 1,
        payload: {
          planId: d.planId,
          assessmentId: d.assessmentId,
          previousAssessmentId: d.previousAssessmentId,
          instrument: d.instrument,
          loinc: INSTRUMENTS[d.instrument].loinc,
          previousScore: d.previousScore,
          newScore: d.newScore,
          previousBand: d.previousBand,
          newBand: d.newBand,
          // v1 says 'unchanged' for "no previous score" and comparison says which it is (docs/clinical-dates.md).
          direction: d.direction ?? 'unchanged',
          reasons: [...d.reasons],
          urgency: d.urgency,
          occurredAt: d.occurredAt,
          comparison: d.previousScore === null ? 'no_previous_score' : 'previous_score',
        },
      };
    }
    case 'GoalMet':
      return { name: 'GoalMet', version: 1, payload: { planId: event.data.planId, goalId: event.data.goalId, metAt: event.data.metAt } };
    case 'ObjectiveMet': {
      const d = event.data;
      return { name: 'ObjectiveMet', version: 1, payload: { planId: d.planId, goalId: d.goalId, objectiveId: d.objectiveId, metAt: d.metAt } };
    }
    case 'LifeEventReported': {
      const d = event.data;
      return {
        name: 'LifeEventReported',
        version: 1,
        payload: { planId: d.planId, lifeEventId: d.lifeEventId, category: d.category, impact: d.impact, occurredOn: d.occurredOn, reportedAt: d.reportedAt },
      };
    }
    case 'PlanSigned': {
      const d = event.data;
      return {
        name: 'PlanSigned',
        version: 1,
        payload: { planId: d.planId, revision: d.revision, signerRole: d.signerRole, signerId: d.signerId, method: d.method, signedAt: d.signedAt },
      };
    }
    case 'PlanRevised':
      return planRevised(event, state);
    case 'PlanClosed': {
      const d = event.data;
      return { name: 'PlanClosed', version: 1, payload: { planId: d.planId, reason: d.reason, lastRevision: d.lastRevision, closedAt: d.closedAt } };
    }
    case 'RevisionProposed':
    case 'RevisionWithdrawn':
    case 'DiagnosisAdded':
    case 'DiagnosisRemoved':
    case 'PrimaryDiagnosisChanged':
    case 'SymptomAdded':
    case 'SymptomRemoved':
    case 'ImpairmentAdded':
    case 'ImpairmentRemoved':
    case 'ServiceChanged':
    case 'GoalRevised':
    case 'GoalDiscontinued':
    case 'ObjectiveRevised':
    case 'ObjectiveDiscontinued':
    case 'InterventionAdded':
    case 'InterventionDiscontinued':
    case 'RevisionSignaturesVoided':
      return null;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};

/** The plan stream's publication: its public events on `topic`, each validated against the contract. */
export const planPublication = (topic: string): Publication<PlanEvent, PlanPublicationState> => ({
  initialState: () => ({ triggerEventIds: new Map(), goalDiagnosisCodes: new Map() }),
  evolve: evolvePublication,
  messagesOf: (stored, state, metadata) => {
    const integration = toIntegrationEvent(stored, state);
    return integration === null ? [] : [publicMessage(integration, stored, metadata, topic)];
  },
});
