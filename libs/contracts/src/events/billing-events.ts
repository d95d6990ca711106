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

/** CPT / HCPCS procedure code of a session, e.g. `90837` (psychotherapy, 60 min) or `90834` (45 min). */
export const serviceCode = {
  type: 'string',
  pattern: '^[0-9A-Z][0-9]{3}[0-9A-Z]$',
  maxLength: 5,
  description: 'CPT or HCPCS code, e.g. 90837, 90834, 90791, H0004.',
} as const;

/**
 * Clinician licences billing-readiness knows (PUT /clinicians/{id}/credentials), closed so that payer rules can
 * name the ones they accept (Medicare LCD L33632, QualChoice BI273): docs/payer-rules.md.
 */
export const CLINICIAN_CREDENTIALS = [
  'psychiatrist',
  'primary_care_physician',
  'psychiatric_aprn',
  'nurse_practitioner',
  'clinical_nurse_specialist',
  'physician_assistant',
  'clinical_psychologist',
  'lcsw',
  'lpc',
  'lmft',
  'associate_unlicensed',
] as const;

export type ClinicianCredential = (typeof CLINICIAN_CREDENTIALS)[number];

export const CHECK_CAUSES = [
  'plan_event',
  'review_event',
  'authorization',
  'session',
  'reauthorization',
  'scheduled',
  'rule_set_changed',
  'credentials_changed',
] as const;

/** What Medicare LCD L33632 asks a plan to state about the treatment: type, amount (session length), frequency, duration. */
export const SERVICE_PARAMETERS = ['session_type', 'session_minutes', 'frequency', 'expected_duration'] as const;

export const REAUTHORIZATION_PRIORITIES = ['expedited', 'standard'] as const;
export const PAYER_DECISIONS = ['approved', 'partial', 'denied'] as const;

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
  // Added in place (optional codes, backward compatible): docs/payer-rules.md names the rule behind each.
  'clinical_change_not_reflected',
  'assessment_due_soon',
  'clinician_credentials_missing',
  'clinician_credentials_not_accepted',
  'signed_plan_required_after_visits',
  'signed_plan_due_by_visit_count',
  'reauthorization_decision_overdue',
  'plan_closed',
  'plan_not_in_effect_on_date_of_service',
  'service_not_authorized',
  'revision_not_in_effect',
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
  'record_clinician_credentials',
  'obtain_qualified_signature',
  'sign_plan_before_next_visit',
  'follow_up_with_payer',
  'open_new_plan',
  'sign_plan_before_service',
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
  record_clinician_credentials: "Record the signing clinician's license (PUT /clinicians/{id}/credentials).",
  obtain_qualified_signature: 'Have a clinician with a license this payer accepts sign the current revision.',
  sign_plan_before_next_visit: 'Have an individualized plan signed before the next visit; this payer requires one after its visit limit.',
  follow_up_with_payer: 'The payer has not decided the re-authorization request by its due date; follow up with the payer.',
  open_new_plan: 'The plan is closed; open a new plan before billing further sessions.',
  sign_plan_before_service: 'Sessions are billable only while a signed revision is in effect; sign the plan before the session.',
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
    // Added in place (optional).
    clinicianId: uuid,
    credentials: { type: 'array', items: { type: 'string', enum: CLINICIAN_CREDENTIALS }, uniqueItems: true },
    visitCount: { type: 'integer', minimum: 0 },
    visitLimit: { type: 'integer', minimum: 1 },
    requestId: uuid,
    decisionDueAt: dateTime,
    serviceCode,
    dateOfService: date,
    closedAt: dateTime,
    missingServiceParameters: { type: 'array', items: { type: 'string', enum: SERVICE_PARAMETERS }, uniqueItems: true },
  },
);

const ruleSetId = { type: 'string', pattern: '^[a-z0-9]+([.-][a-z0-9]+)*$', maxLength: 60 } as const;

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
      description: 'Id of the event that caused the check (of an assessment and the SymptomsChanged it caused, checked once: the SymptomsChanged); null for a scheduled re-check.',
    },
  }, {
    // Added in place (optional).
    cause: { type: 'string', enum: CHECK_CAUSES, description: 'What made the service check the plan.' },
    ruleSetId: { ...ruleSetId, description: 'The payer rule set the plan was checked against (docs/payer-rules.md).' },
    ruleSetVersion: { type: 'integer', minimum: 1 },
    nextCheckAt: {
      ...dateTime,
      type: ['string', 'null'],
      description: 'When time alone may change the answer (a rule boundary); null when nothing is due.',
    },
  }),
} as const;

const authorizationNumber = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,39}$',
  maxLength: 40,
  description: "The payer's authorization number (an identifier, letters, digits and dashes).",
} as const;

const serviceCodes = { type: 'array', items: serviceCode, minItems: 1, maxItems: 20, uniqueItems: true } as const;

export const authorizationRecordedV1 = {
  title: 'AuthorizationRecorded v1',
  description: 'A payer authorization for the plan was recorded: the services and sessions it covers, and its dates.',
  ...closedObject({
    planId: uuid,
    payerId: uuid,
    authorizationId: uuid,
    authorizationNumber,
    serviceCodes,
    sessionsAuthorized: { type: 'integer', minimum: 1, maximum: 1000 },
    startsOn: date,
    endsOn: date,
    recordedAt: dateTime,
  }, {
    requestId: { ...uuid, description: 'The re-authorization request whose decision granted it, when one did.' },
  }),
} as const;

export const sessionRecordedV1 = {
  title: 'SessionRecorded v1',
  description: 'A session delivered under the plan was reported (EHR or claims system).',
  ...closedObject({
    planId: uuid,
    sessionId: uuid,
    dateOfService: date,
    serviceCode,
    minutes: { type: 'integer', minimum: 1, maximum: 480 },
    authorizationId: {
      ...uuid,
      type: ['string', 'null'],
      description: 'The authorization the session counts against; null when none covers it.',
    },
    recordedAt: dateTime,
  }),
} as const;

export const reauthorizationRequestedV1 = {
  title: 'ReauthorizationRequested v1',
  description:
    'A re-authorization request (a Da Vinci PAS Claim with use = preauthorization) was submitted; the payer owes a ' +
    'decision by decisionDueAt (CMS-0057-F: 72 hours expedited, 7 calendar days standard).',
  ...closedObject({
    planId: uuid,
    payerId: uuid,
    requestId: uuid,
    authorizationId: { ...uuid, type: ['string', 'null'], description: 'The authorization it extends, when one.' },
    priority: { type: 'string', enum: REAUTHORIZATION_PRIORITIES },
    serviceCodes,
    sessionsRequested: { type: 'integer', minimum: 1, maximum: 1000 },
    submittedAt: dateTime,
    decisionDueAt: dateTime,
  }),
} as const;

export const reauthorizationDecidedV1 = {
  title: 'ReauthorizationDecided v1',
  description: "The payer's decision on a re-authorization request was recorded.",
  ...closedObject({
    planId: uuid,
    payerId: uuid,
    requestId: uuid,
    decision: { type: 'string', enum: PAYER_DECISIONS },
    sessionsRequested: { type: 'integer', minimum: 1, maximum: 1000 },
    sessionsApproved: { type: 'integer', minimum: 0, maximum: 1000 },
    authorizationId: {
      ...uuid,
      type: ['string', 'null'],
      description: 'The authorization recorded for the approved sessions; null when denied.',
    },
    decisionDueAt: dateTime,
    decidedAt: dateTime,
    late: { type: 'boolean', description: 'The decision came after decisionDueAt.' },
  }),
} as const;

export const reauthorizationDecisionOverdueV1 = {
  title: 'ReauthorizationDecisionOverdue v1',
  description: 'A re-authorization request passed its decision due date (CMS-0057-F) with no decision recorded.',
  ...closedObject({
    planId: uuid,
    payerId: uuid,
    requestId: uuid,
    priority: { type: 'string', enum: REAUTHORIZATION_PRIORITIES },
    submittedAt: dateTime,
    decisionDueAt: dateTime,
    flaggedAt: dateTime,
  }),
} as const;

export type AuthorizationCheckCompletedV1 = FromSchema<typeof authorizationCheckCompletedV1>;
export type AuthorizationRecordedV1 = FromSchema<typeof authorizationRecordedV1>;
export type SessionRecordedV1 = FromSchema<typeof sessionRecordedV1>;
export type ReauthorizationRequestedV1 = FromSchema<typeof reauthorizationRequestedV1>;
export type ReauthorizationDecidedV1 = FromSchema<typeof reauthorizationDecidedV1>;
export type ReauthorizationDecisionOverdueV1 = FromSchema<typeof reauthorizationDecisionOverdueV1>;
