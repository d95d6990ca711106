import type { FromSchema } from '../json-schema';
import {
  closedObject,
  date,
  dateTime,
  icd10CmCodeList,
  instrument,
  revision,
  signerRole,
  uuid,
  uuidList,
} from '../vocabulary';

// Integration events published by services/billing-readiness.
//
// A finding says how to fix it with a code only. The sentence shown to a clinician lives in FIX_GUIDANCE
// below, not in the payload: a string property in a public PHI-sensitive contract is a place where, one day,
// someone writes "client John said ...", and a schema cannot tell generated text from typed text unless the
// text is an enum — which is a code spelt long.

export const FINDING_CODES = [
  'primary_diagnosis_missing',
  'primary_diagnosis_not_covered',
  'goal_not_linked_to_diagnosis',
  'symptoms_not_documented',
  'functional_impairment_not_documented',
  'no_active_goal',
  'too_many_active_goals',
  'objective_not_measurable',
  'objective_target_date_missing',
  'interventions_not_documented',
  'service_parameters_missing',
  'revision_not_signed_by_client',
  'revision_not_signed_by_clinician',
  'plan_update_overdue',
  'plan_review_due_soon',
  'plan_review_interval_exceeded',
  'assessment_outside_window',
  'authorization_missing',
  'authorization_sessions_low',
  'authorization_sessions_exhausted',
  'authorization_ending_soon',
  'authorization_expired',
] as const;

export const FIX_CODES = [
  'add_covered_primary_diagnosis',
  'link_goal_to_diagnosis',
  'document_symptoms',
  'document_functional_impairment',
  'add_active_goal',
  'focus_active_goals',
  'make_objective_measurable',
  'set_objective_target_date',
  'document_interventions',
  'complete_service_parameters',
  'obtain_client_signature',
  'obtain_clinician_signature',
  'revise_plan',
  'record_standardized_assessment',
  'request_authorization',
  'request_reauthorization',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];
export type FixCode = (typeof FIX_CODES)[number];

/** The standard sentence for each fix code, for screens and reports; generated, never typed by a person. */
export const FIX_GUIDANCE: Readonly<Record<FixCode, string>> = {
  add_covered_primary_diagnosis: 'Record a covered ICD-10-CM diagnosis (F01–F99 by default) as the primary diagnosis.',
  link_goal_to_diagnosis: 'Link each active goal to the diagnosis or documented symptom it addresses.',
  document_symptoms: 'Document the symptoms of the covered diagnosis in the plan.',
  document_functional_impairment: 'Document at least one functional impairment in the plan.',
  add_active_goal: 'Add at least one active goal to the plan.',
  focus_active_goals: 'Consider focusing the plan on fewer active goals.',
  make_objective_measurable: 'Give the objective a measure (instrument or behavioural), a baseline and a target.',
  set_objective_target_date: 'Set a target date for the objective.',
  document_interventions: 'Document the interventions used, with modality and frequency.',
  complete_service_parameters: 'State the type, session length, frequency and expected duration of treatment.',
  obtain_client_signature: 'Have the client sign the current revision of the plan.',
  obtain_clinician_signature: 'Sign the current revision of the plan as the treating clinician.',
  revise_plan: 'Review and revise the plan, then have it signed.',
  record_standardized_assessment: 'Record a standardized assessment (PHQ-9 or GAD-7) within the payer window.',
  request_authorization: 'Request authorization from the payer before the next session.',
  request_reauthorization: 'Request re-authorization from the payer.',
};

/** Facts a rule looked at: ids, codes, numbers and dates only. Every property is optional. */
const evidence = closedObject(
  {},
  {
    eventIds: uuidList,
    goalIds: uuidList,
    objectiveIds: uuidList,
    interventionIds: uuidList,
    taskIds: uuidList,
    assessmentIds: uuidList,
    diagnosisCodes: icd10CmCodeList,
    revision,
    missingSignerRoles: { type: 'array', items: signerRole, uniqueItems: true },
    activeGoalCount: { type: 'integer', minimum: 0 },
    instrument,
    lastAssessedAt: dateTime,
    windowDays: { type: 'integer', minimum: 1 },
    revisedAt: dateTime,
    maxIntervalDays: { type: 'integer', minimum: 1 },
    dueAt: dateTime,
    authorizationId: uuid,
    sessionsAuthorized: { type: 'integer', minimum: 0 },
    sessionsUsed: { type: 'integer', minimum: 0 },
    sessionsRemaining: { type: 'integer', minimum: 0 },
    authorizationEndsOn: date,
  },
);

const finding = closedObject({
  code: { type: 'string', enum: FINDING_CODES },
  rule: {
    type: 'string',
    pattern: '^[a-z0-9]+([._:-][a-z0-9]+)*$',
    maxLength: 80,
    description: 'Id of the payer rule that produced the finding, e.g. `default.primary-diagnosis-covered`.',
  },
  severity: {
    type: 'string',
    enum: ['error', 'warning', 'info'],
    description: 'error makes the outcome not_ready; warning makes it at_risk at most.',
  },
  evidence,
  fix: closedObject({ code: { type: 'string', enum: FIX_CODES } }),
});

export const authorizationCheckCompletedV1 = {
  title: 'AuthorizationCheckCompleted v1',
  description:
    "The plan was checked against its payer's medical-necessity rules. Fix sentences: FIX_GUIDANCE in @golden-loop/contracts.",
  ...closedObject({
    planId: uuid,
    payerId: uuid,
    checkId: uuid,
    outcome: { type: 'string', enum: ['ready', 'at_risk', 'not_ready'] },
    findings: { type: 'array', items: finding, maxItems: 100 },
    checkedAt: dateTime,
    triggeredBy: {
      ...uuid,
      type: ['string', 'null'],
      description: 'Id of the event that caused the check; null for a scheduled re-check.',
    },
  }),
} as const;

export type AuthorizationCheckCompletedV1 = FromSchema<typeof authorizationCheckCompletedV1>;
