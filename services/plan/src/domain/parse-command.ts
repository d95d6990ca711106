import type {
  AddGoalInput,
  AddInterventionInput,
  AddObjectiveInput,
  OpenPlanInput,
  PlanCommandInput,
  ProposeRevisionInput,
  RecordAssessmentInput,
  ReportLifeEventInput,
  ReviseGoalInput,
  ReviseObjectiveInput,
  SignRevisionInput,
} from './command-inputs';
import type {
  AddGoal,
  AddIntervention,
  AddObjective,
  OpenPlan,
  PlanCommand,
  ProposeRevision,
  RecordAssessment,
  ReportLifeEvent,
  ReviseGoal,
  ReviseObjective,
  SignRevision,
} from './commands';
import { CLINIC_TIMES } from './date-rules';
import { FieldInvalid } from './errors';
import {
  calendarDate,
  closureReason,
  diagnosisCode,
  diagnosisRank,
  frequency,
  instant,
  lifeEventCategory,
  lifeEventImpact,
  linkKind,
  listOf,
  modality,
  optionalText,
  requireId,
  requireText,
  revisionReason,
  serviceDetails,
  signatureMethod,
  signerRole,
  triggerType,
} from './field-rules';
import type { Diagnosis, ProblemLink } from './plan-content';
import { PLAN_LIMITS, TEXT_LIMITS } from './plan-limits';

// Commands are parsed at the edge: the plan's command handler (plan-stream.ts) reads what a controller or the import
// gave (command-inputs.ts) into the command the decider takes (commands.ts) before it runs it, so that the decisions
// read typed values and state only what the plan allows. A field that is not what it must be is refused here, on
// that field, with the sentence a client shows (field_invalid, diagnosis_code_invalid: docs/errors.md). Nothing here
// reads the plan: whether an id is already used, a diagnosis is in the plan, a date lies in its treatment, a measure
// makes an objective measurable or a list is full is decided.

const CLIENT_GOAL = "The client goal, in the client's own words,";
const CLINICAL_GOAL = 'The clinical goal';

const openPlan = ({ data }: OpenPlanInput): OpenPlan['data'] => {
  const diagnoses: Diagnosis[] = [];
  // Every list is held to its limit before any item is looked at (docs/input-limits.md).
  listOf('diagnoses', data.diagnoses, 'The diagnoses', PLAN_LIMITS.diagnoses).forEach((given, index) => {
    const code = diagnosisCode(`diagnoses[${index}].code`, given.code);
    if (diagnoses.some((diagnosis) => diagnosis.code === code)) {
      throw new FieldInvalid(`diagnoses[${index}].code`, `${code} is listed twice.`);
    }
    const rank = diagnosisRank(`diagnoses[${index}].rank`, given.rank);
    diagnoses.push({ code, rank, description: optionalText(`diagnoses[${index}].description`, given.description, 'The description', TEXT_LIMITS.diagnosis) });
  });
  const symptoms = listOf('symptoms', data.symptoms, 'The symptoms', PLAN_LIMITS.symptoms).map((given, index) => ({
    symptomId: requireId(`symptoms[${index}].symptomId`, given.symptomId),
    diagnosisCode: diagnosisCode(`symptoms[${index}].diagnosisCode`, given.diagnosisCode),
    description: requireText(`symptoms[${index}].description`, given.description, 'The symptom', TEXT_LIMITS.problem),
  }));
  const impairments = listOf('impairments', data.impairments, 'The functional impairments', PLAN_LIMITS.impairments).map((given, index) => ({
    impairmentId: requireId(`impairments[${index}].impairmentId`, given.impairmentId),
    diagnosisCode: diagnosisCode(`impairments[${index}].diagnosisCode`, given.diagnosisCode),
    description: requireText(`impairments[${index}].description`, given.description, 'The functional impairment', TEXT_LIMITS.problem),
  }));
  return {
    planId: requireId('planId', data.planId),
    clientId: requireId('clientId', data.clientId),
    clinicianId: requireId('clinicianId', data.clinicianId),
    payerId: data.payerId === null ? null : requireId('payerId', data.payerId),
    presentingProblem: requireText('presentingProblem', data.presentingProblem, 'The presenting problem', TEXT_LIMITS.presentingProblem),
    strengths: listOf('strengths', data.strengths, 'The strengths', PLAN_LIMITS.strengths).map((strength, index) =>
      requireText(`strengths[${index}]`, strength, 'A strength', TEXT_LIMITS.strength),
    ),
    diagnoses,
    symptoms,
    impairments,
    service: serviceDetails('service', data.service),
    openedAt: data.openedAt == null ? null : instant('openedAt', data.openedAt, CLINIC_TIMES.openedAt),
  };
};

const proposeRevision = ({ data }: ProposeRevisionInput): ProposeRevision['data'] => ({
  reason: revisionReason('reason', data.reason),
  triggers: listOf('triggers', data.triggers, 'The triggers', PLAN_LIMITS.triggersPerRevision).map((given, index) => ({
    type: triggerType(`triggers[${index}].type`, given.type),
    id: requireId(`triggers[${index}].id`, given.id),
  })),
  note: optionalText('note', data.note, 'The note', TEXT_LIMITS.note),
});

// A guard that narrows to unknown elements, where Array.isArray would narrow to any[].
const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

/**
 * What a goal addresses: each link of a known kind, a diagnosis by its canonical code. Links that are not a list are
 * taken as none, which the decision refuses as a goal addressing nothing (goal_not_linked).
 */
const problemLinks = (value: readonly ProblemLink[] | undefined): ProblemLink[] => {
  if (!isList(value)) return [];
  return listOf('addresses', value, 'A goal', PLAN_LIMITS.linksPerGoal).map((link, index) => {
    const field = `addresses[${index}]`;
    const kind = linkKind(`${field}.kind`, link?.kind);
    return { kind, id: kind === 'diagnosis' ? diagnosisCode(`${field}.id`, link.id) : link.id };
  });
};

const addGoal = ({ data }: AddGoalInput): AddGoal['data'] => ({
  goalId: requireId('goalId', data.goalId),
  clientGoal: requireText('clientGoal', data.clientGoal, CLIENT_GOAL, TEXT_LIMITS.goal),
  clinicalGoal: requireText('clinicalGoal', data.clinicalGoal, CLINICAL_GOAL, TEXT_LIMITS.goal),
  addresses: problemLinks(data.addresses),
});

const reviseGoal = ({ data }: ReviseGoalInput): ReviseGoal['data'] => ({
  goalId: data.goalId,
  addresses: data.addresses === undefined ? undefined : problemLinks(data.addresses),
  clientGoal: data.clientGoal === undefined ? undefined : requireText('clientGoal', data.clientGoal, CLIENT_GOAL, TEXT_LIMITS.goal),
  clinicalGoal: data.clinicalGoal === undefined ? undefined : requireText('clinicalGoal', data.clinicalGoal, CLINICAL_GOAL, TEXT_LIMITS.goal),
});

const targetDateOf = (value: string | null | undefined): string | null | undefined =>
  value === null || value === undefined ? value : calendarDate('targetDate', value, 'The target date');

const addObjective = ({ data }: AddObjectiveInput): AddObjective['data'] => ({
  objectiveId: requireId('objectiveId', data.objectiveId),
  goalId: data.goalId,
  description: requireText('description', data.description, 'The objective', TEXT_LIMITS.objective),
  measure: data.measure ?? null,
  targetDate: targetDateOf(data.targetDate) ?? null,
});

const reviseObjective = ({ data }: ReviseObjectiveInput): ReviseObjective['data'] => ({
  objectiveId: data.objectiveId,
  description: data.description === undefined ? undefined : requireText('description', data.description, 'The objective', TEXT_LIMITS.objective),
  measure: data.measure,
  targetDate: targetDateOf(data.targetDate),
});

const addIntervention = ({ data }: AddInterventionInput): AddIntervention['data'] => {
  const interventionId = requireId('interventionId', data.interventionId);
  const chosen = modality('modality', data.modality);
  return {
    interventionId,
    objectiveId: data.objectiveId,
    modality: chosen,
    description:
      chosen === 'other'
        ? requireText('description', data.description, "An intervention of modality 'other' needs a description; it", TEXT_LIMITS.intervention)
        : optionalText('description', data.description, 'The description', TEXT_LIMITS.intervention),
    frequency: frequency('frequency', data.frequency),
  };
};

const recordAssessment = ({ data }: RecordAssessmentInput): RecordAssessment['data'] => ({
  assessmentId: requireId('assessmentId', data.assessmentId),
  instrument: data.instrument,
  items: data.items,
  declaredTotal: data.declaredTotal ?? null,
  administeredAt: data.administeredAt == null ? null : instant('administeredAt', data.administeredAt, CLINIC_TIMES.administeredAt),
});

const reportLifeEvent = ({ data }: ReportLifeEventInput): ReportLifeEvent['data'] => ({
  lifeEventId: requireId('lifeEventId', data.lifeEventId),
  occurredOn: data.occurredOn === null ? null : calendarDate('occurredOn', data.occurredOn, 'The date of the life event'),
  category: lifeEventCategory('category', data.category),
  impact: lifeEventImpact('impact', data.impact),
  description: requireText('description', data.description, 'What happened', TEXT_LIMITS.lifeEvent),
});

const signRevision = ({ data }: SignRevisionInput): SignRevision['data'] => ({
  revision: data.revision,
  signerRole: signerRole('signerRole', data.signerRole),
  signerId: data.signerId,
  method: signatureMethod('method', data.method),
  signedAt: data.signedAt == null ? null : instant('signedAt', data.signedAt, CLINIC_TIMES.signedAt),
});

const note = (value: string | undefined): string | null => optionalText('note', value, 'The note', TEXT_LIMITS.note);
const reason = (value: string | undefined): string | null => optionalText('reason', value, 'The reason', TEXT_LIMITS.note);

/** Reads a command as the edge gave it into the command the decider takes; refuses the first field that is not what it must be. */
export const parsePlanCommand = (input: PlanCommandInput): PlanCommand => {
  const { metadata } = input;
  switch (input.type) {
    case 'OpenPlan':
      return { type: input.type, data: openPlan(input), metadata };
    case 'ProposeRevision':
      return { type: input.type, data: proposeRevision(input), metadata };
    case 'WithdrawRevision':
      return { type: input.type, data: { revision: input.data.revision, note: note(input.data.note) }, metadata };
    case 'AddDiagnosis': {
      const { data } = input;
      const code = diagnosisCode('code', data.code);
      return { type: input.type, data: { code, description: optionalText('description', data.description, 'The description', TEXT_LIMITS.diagnosis) }, metadata };
    }
    case 'RemoveDiagnosis':
    case 'SetPrimaryDiagnosis':
      return { type: input.type, data: { code: diagnosisCode('code', input.data.code) }, metadata };
    case 'AddSymptom': {
      const { data } = input;
      const symptom = {
        symptomId: requireId('symptomId', data.symptomId),
        diagnosisCode: diagnosisCode('diagnosisCode', data.diagnosisCode),
        description: requireText('description', data.description, 'The symptom', TEXT_LIMITS.problem),
      };
      return { type: input.type, data: symptom, metadata };
    }
    case 'AddImpairment': {
      const { data } = input;
      const impairment = {
        impairmentId: requireId('impairmentId', data.impairmentId),
        diagnosisCode: diagnosisCode('diagnosisCode', data.diagnosisCode),
        description: requireText('description', data.description, 'The functional impairment', TEXT_LIMITS.problem),
      };
      return { type: input.type, data: impairment, metadata };
    }
    case 'RemoveSymptom':
    case 'RemoveImpairment':
    case 'MarkGoalMet':
    case 'MarkObjectiveMet':
      return input;
    case 'ChangeService':
      return { type: input.type, data: { service: serviceDetails('service', input.data.service) }, metadata };
    case 'AddGoal':
      return { type: input.type, data: addGoal(input), metadata };
    case 'ReviseGoal':
      return { type: input.type, data: reviseGoal(input), metadata };
    case 'DiscontinueGoal':
      return { type: input.type, data: { goalId: input.data.goalId, reason: reason(input.data.reason) }, metadata };
    case 'AddObjective':
      return { type: input.type, data: addObjective(input), metadata };
    case 'ReviseObjective':
      return { type: input.type, data: reviseObjective(input), metadata };
    case 'DiscontinueObjective':
      return { type: input.type, data: { objectiveId: input.data.objectiveId, reason: reason(input.data.reason) }, metadata };
    case 'AddIntervention':
      return { type: input.type, data: addIntervention(input), metadata };
    case 'DiscontinueIntervention':
      return { type: input.type, data: { interventionId: input.data.interventionId, reason: reason(input.data.reason) }, metadata };
    case 'RecordAssessment':
      return { type: input.type, data: recordAssessment(input), metadata };
    case 'ReportLifeEvent':
      return { type: input.type, data: reportLifeEvent(input), metadata };
    case 'SignRevision':
      return { type: input.type, data: signRevision(input), metadata };
    case 'ClosePlan':
      return { type: input.type, data: { reason: closureReason('reason', input.data.reason), note: note(input.data.note) }, metadata };
    default: {
      const unknown: never = input;
      throw new FieldInvalid('type', `Unknown command ${(unknown as { type: string }).type}.`);
    }
  }
};
