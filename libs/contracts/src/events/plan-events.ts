import type { FromSchema } from '../json-schema';
import {
  CHANGE_COMPARISONS,
  CHANGE_DIRECTIONS,
  CLOSURE_REASONS,
  closedObject,
  date,
  dateTime,
  diagnosis,
  frequency,
  icd10CmCodeList,
  instrument,
  instrumentRules,
  LIFE_EVENT_IMPACTS,
  loinc,
  modality,
  nullableMeasure,
  PLAN_NUMBER_RANGES,
  planItemStatus,
  revision,
  score,
  SESSION_TYPES,
  SEVERITY_BANDS,
  severityBand,
  SIGNATURE_METHODS,
  signerRole,
  urgency,
  uuid,
  uuidList,
} from '../vocabulary';

// Integration events published by services/plan. Lean by design: the plan's own event store keeps the
// client's words and the clinician's notes; these payloads carry ids, codes, numbers and dates only.

/**
 * The most items of each kind a plan's public events carry (PlanOpened's diagnoses, PlanRevised's revised plan),
 * named once: the schemas below use them, and the plan domain refuses the item that would pass them, so every
 * revision it lets clients draft can be signed and published.
 */
export const PLAN_COLLECTION_LIMITS = {
  diagnoses: 25,
  /** Goals of every status (active, met, discontinued): PlanRevised lists them all. */
  goals: 50,
  /** Objectives of every status. */
  objectives: 200,
  /** Active interventions: PlanRevised lists only those. */
  activeInterventions: 50,
} as const;

export const planOpenedV1 = {
  title: 'PlanOpened v1',
  description: 'A treatment plan was opened for a client; its first revision is being drafted.',
  ...closedObject({
    planId: uuid,
    clientId: uuid,
    clinicianId: uuid,
    payerId: { ...uuid, type: ['string', 'null'], description: 'null when the client pays for care directly.' },
    revision,
    diagnoses: { type: 'array', items: diagnosis, minItems: 1, maxItems: PLAN_COLLECTION_LIMITS.diagnoses },
    openedAt: dateTime,
  }),
} as const;

export const goalAddedV1 = {
  title: 'GoalAdded v1',
  description: 'A goal was added to the revision being drafted. Its wording stays in the plan service.',
  ...closedObject({
    planId: uuid,
    goalId: uuid,
    revision,
    diagnosisCodes: {
      ...icd10CmCodeList,
      description: 'Diagnoses whose symptoms or impairments the goal addresses (the golden loop).',
    },
    addedAt: dateTime,
  }),
} as const;

export const objectiveAddedV1 = {
  title: 'ObjectiveAdded v1',
  description: 'A measurable step towards a goal was added to the revision being drafted.',
  ...closedObject({
    planId: uuid,
    goalId: uuid,
    objectiveId: uuid,
    revision,
    measure: { ...nullableMeasure, description: 'null when the objective has no measure yet.' },
    targetDate: { ...date, type: ['string', 'null'] },
    addedAt: dateTime,
  }),
} as const;

export const assessmentRecordedV1 = {
  title: 'AssessmentRecorded v1',
  description: 'A standardized instrument was scored for the client.',
  ...closedObject({
    planId: uuid,
    assessmentId: uuid,
    instrument,
    loinc,
    score,
    band: severityBand,
    safetyFlag: {
      type: 'boolean',
      description: 'PHQ-9 item 9 above 0 (thoughts of self-harm); always false for GAD-7.',
    },
    assessedAt: dateTime,
  }),
  allOf: instrumentRules({ scores: ['score'], bands: ['band'], safetyFlag: 'safetyFlag', loinc: 'loinc' }),
} as const;

export const SYMPTOM_CHANGE_REASONS = [
  'reliable_change',
  'band_change',
  'safety_flag',
  'non_response',
  'plateau',
] as const;

export const symptomsChangedV1 = {
  title: 'SymptomsChanged v1',
  description:
    'An assessment showed a clinically meaningful change (docs/clinical-rules.md in the repository): the plan needs a review. Scores are ' +
    'compared in the order they were administered (AssessmentRecorded.assessedAt), not the order they were entered.',
  ...closedObject(
    {
      planId: uuid,
      assessmentId: uuid,
      // The previous fields are null when the client's first-ever score on the instrument raises the
      // safety flag: there is nothing to compare with, and the flag alone calls for an urgent review.
      previousAssessmentId: { ...uuid, type: ['string', 'null'] },
      instrument,
      loinc,
      previousScore: { ...score, type: ['integer', 'null'] },
      newScore: score,
      previousBand: { type: ['string', 'null'], enum: [...SEVERITY_BANDS, null] },
      newBand: severityBand,
      direction: {
        type: 'string',
        enum: CHANGE_DIRECTIONS,
        description:
          'Against the previous score. When there is none (comparison no_previous_score, previousScore null) it ' +
          "reads 'unchanged' only so that consumers of earlier v1 records keep decoding it: it then means " +
          "'no previous score', not 'no change'. Read comparison first.",
      },
      reasons: {
        type: 'array',
        items: { type: 'string', enum: SYMPTOM_CHANGE_REASONS },
        minItems: 1,
        uniqueItems: true,
      },
      urgency,
      occurredAt: { ...dateTime, description: 'When the change was recorded (the review clock starts then).' },
    },
    {
      comparison: {
        type: 'string',
        enum: CHANGE_COMPARISONS,
        description:
          'What the new score was compared with: previous_score, or no_previous_score for the first score on the ' +
          'instrument (then direction says nothing). Always sent since contracts 1.3.0; absent on earlier records, ' +
          'where previousScore null means no_previous_score.',
      },
    },
  ),
  allOf: [
    ...instrumentRules({
      scores: ['previousScore', 'newScore'],
      bands: ['previousBand', 'newBand'],
      loinc: 'loinc',
    }),
    {
      // A PHQ-9 item-9 flag needs an urgent review whatever the total score (docs/clinical-rules.md, "PHQ-9 item 9: the safety flag").
      if: {
        type: 'object',
        properties: { reasons: { type: 'array', contains: { type: 'string', const: 'safety_flag' } } },
        required: ['reasons'],
      },
      then: { type: 'object', properties: { urgency: { type: 'string', const: 'urgent' } } },
    },
    {
      // No previous score: nothing to compare, so every previous field is null and only the flag can be a reason.
      if: {
        type: 'object',
        properties: { comparison: { type: 'string', const: 'no_previous_score' } },
        required: ['comparison'],
      },
      then: {
        type: 'object',
        properties: {
          previousAssessmentId: { type: 'null' },
          previousScore: { type: 'null' },
          previousBand: { type: 'null' },
          direction: { type: 'string', const: 'unchanged' },
          reasons: { type: 'array', items: { type: 'string', const: 'safety_flag' } },
        },
      },
    },
    {
      if: {
        type: 'object',
        properties: { comparison: { type: 'string', const: 'previous_score' } },
        required: ['comparison'],
      },
      then: {
        type: 'object',
        properties: {
          previousAssessmentId: { type: 'string' },
          previousScore: { type: 'integer' },
          previousBand: { type: 'string' },
        },
      },
    },
  ],
} as const;

export const goalMetV1 = {
  title: 'GoalMet v1',
  description: 'A goal was met; the plan needs an update.',
  ...closedObject({ planId: uuid, goalId: uuid, metAt: dateTime }),
} as const;

export const objectiveMetV1 = {
  title: 'ObjectiveMet v1',
  description: 'An objective was met.',
  ...closedObject({ planId: uuid, goalId: uuid, objectiveId: uuid, metAt: dateTime }),
} as const;

export const LIFE_EVENT_CATEGORIES = [
  'bereavement',
  'relationship_change',
  'family_change',
  'housing_change',
  'employment_change',
  'financial_hardship',
  'physical_health_change',
  'legal_involvement',
  'trauma_exposure',
  'caregiving_change',
  'relocation',
  'other',
] as const;

export const lifeEventReportedV1 = {
  title: 'LifeEventReported v1',
  description: 'A lifestyle or environmental shift was reported (a reason to update the plan).',
  ...closedObject({
    planId: uuid,
    lifeEventId: uuid,
    category: { type: 'string', enum: LIFE_EVENT_CATEGORIES },
    impact: { type: 'string', enum: LIFE_EVENT_IMPACTS },
    occurredOn: { ...date, type: ['string', 'null'], description: 'null when the date is not known.' },
    reportedAt: dateTime,
  }),
} as const;

export const REVISION_REASONS = [
  'initial_plan',
  'symptom_change',
  'goal_met',
  'objective_met',
  'life_event',
  'scheduled_review',
  'payer_requirement',
  'client_request',
  'clinical_judgement',
  'correction',
] as const;

const idChanges = closedObject({ added: uuidList, changed: uuidList, removed: uuidList });
const codeChanges = closedObject({
  added: icd10CmCodeList,
  changed: icd10CmCodeList,
  removed: icd10CmCodeList,
});

/** The revision as billing-readiness needs it for medical-necessity checks: ids, codes and numbers only. */
const revisedPlan = closedObject({
  diagnoses: { type: 'array', items: diagnosis, maxItems: PLAN_COLLECTION_LIMITS.diagnoses },
  goals: {
    type: 'array',
    maxItems: PLAN_COLLECTION_LIMITS.goals,
    items: closedObject({ goalId: uuid, status: planItemStatus, diagnosisCodes: icd10CmCodeList }),
  },
  objectives: {
    type: 'array',
    maxItems: PLAN_COLLECTION_LIMITS.objectives,
    items: closedObject({
      objectiveId: uuid,
      goalId: uuid,
      status: planItemStatus,
      measure: nullableMeasure,
      targetDate: { ...date, type: ['string', 'null'] },
    }),
  },
  interventions: {
    type: 'array',
    maxItems: PLAN_COLLECTION_LIMITS.activeInterventions,
    items: closedObject({
      interventionId: uuid,
      modality,
      frequency: { oneOf: [frequency, { type: 'null' }] },
    }),
  },
  service: closedObject({
    sessionType: { type: ['string', 'null'], enum: [...SESSION_TYPES, null] },
    sessionMinutes: { type: ['integer', 'null'], minimum: PLAN_NUMBER_RANGES.sessionMinutes.min, maximum: PLAN_NUMBER_RANGES.sessionMinutes.max },
    frequency: { oneOf: [frequency, { type: 'null' }] },
    expectedDurationWeeks: {
      type: ['integer', 'null'],
      minimum: PLAN_NUMBER_RANGES.expectedDurationWeeks.min,
      maximum: PLAN_NUMBER_RANGES.expectedDurationWeeks.max,
    },
  }),
});

export const planRevisedV1 = {
  title: 'PlanRevised v1',
  description:
    'A revision of the plan took effect: client and clinician have both signed it (PlanSigned precedes it). ' +
    'Published for every revision, the first one included (reason initial_plan). Counts of changes are the ' +
    'lengths of the id lists.',
  ...closedObject({
    planId: uuid,
    revision,
    reason: { type: 'string', enum: REVISION_REASONS },
    triggersAnswered: {
      ...uuidList,
      description: 'Event ids (SymptomsChanged, GoalMet, LifeEventReported, ...) this revision responds to.',
    },
    changes: closedObject({
      goals: idChanges,
      objectives: idChanges,
      interventions: idChanges,
      diagnoses: codeChanges,
    }),
    revisedPlan,
    revisedAt: dateTime,
  }),
} as const;

export const planSignedV1 = {
  title: 'PlanSigned v1',
  description:
    'The client or the clinician signed (attested) a revision. A revision is in effect once both have signed it.',
  ...closedObject({
    planId: uuid,
    revision,
    signerRole,
    signerId: uuid,
    method: { type: 'string', enum: SIGNATURE_METHODS },
    signedAt: dateTime,
  }),
} as const;

export const planClosedV1 = {
  title: 'PlanClosed v1',
  description: 'The plan was closed; no further revisions follow.',
  ...closedObject({
    planId: uuid,
    reason: { type: 'string', enum: CLOSURE_REASONS },
    lastRevision: { ...revision, type: ['integer', 'null'], description: 'null when no revision ever took effect.' },
    closedAt: dateTime,
  }),
} as const;

export type PlanOpenedV1 = FromSchema<typeof planOpenedV1>;
export type GoalAddedV1 = FromSchema<typeof goalAddedV1>;
export type ObjectiveAddedV1 = FromSchema<typeof objectiveAddedV1>;
export type AssessmentRecordedV1 = FromSchema<typeof assessmentRecordedV1>;
export type SymptomsChangedV1 = FromSchema<typeof symptomsChangedV1>;
export type GoalMetV1 = FromSchema<typeof goalMetV1>;
export type ObjectiveMetV1 = FromSchema<typeof objectiveMetV1>;
export type LifeEventReportedV1 = FromSchema<typeof lifeEventReportedV1>;
export type PlanRevisedV1 = FromSchema<typeof planRevisedV1>;
export type PlanSignedV1 = FromSchema<typeof planSignedV1>;
export type PlanClosedV1 = FromSchema<typeof planClosedV1>;
