import {
  assessChange,
  INSTRUMENTS,
  scoreAssessment,
  type InstrumentCode,
  type SeverityBand,
} from '@golden-loop/clinical';
import type {
  AddDiagnosis,
  AddGoal,
  AddImpairment,
  AddIntervention,
  AddObjective,
  AddSymptom,
  ChangeService,
  ClosePlan,
  DiscontinueGoal,
  DiscontinueIntervention,
  MarkGoalMet,
  MarkObjectiveMet,
  OpenPlan,
  PlanCommand,
  ProposeRevision,
  RecordAssessment,
  RemoveDiagnosis,
  RemoveImpairment,
  RemoveSymptom,
  ReportLifeEvent,
  ReviseGoal,
  ReviseObjective,
  RevisionChangeCommand,
  SetPrimaryDiagnosis,
  SignRevision,
  WithdrawRevision,
} from './commands';
import {
  AlreadySigned,
  AssessmentInvalid,
  CollectionFull,
  FieldInvalid,
  FirstRevisionCannotBeWithdrawn,
  GoalNotLinked,
  IdAlreadyUsed,
  LastActiveGoal,
  NoOpenRevision,
  NotActive,
  NotExactlyOnePrimaryDiagnosis,
  NotFoundInPlan,
  PlanAlreadyOpened,
  PlanIsClosed,
  PlanNotFound,
  PlanWouldHaveNoActiveGoal,
  PrimaryDiagnosisCannotBeRemoved,
  RevisionAlreadyOpen,
  RevisionHasNoActiveGoal,
  RevisionMismatch,
  SignerNotOnPlan,
  StillLinked,
} from './errors';
import type { PlanEvent } from './events';
import {
  closureReason,
  diagnosisCode,
  frequency,
  instantInTreatment,
  lifeEventCategory,
  lifeEventDate,
  lifeEventImpact,
  linkKind,
  listOf,
  modality,
  objectiveMeasure,
  optionalText,
  requireId,
  requireText,
  revisionReason,
  serviceDetails,
  signatureMethod,
  signerRole,
  targetDate,
  treatmentStart,
  triggerType,
} from './field-rules';
import { PLAN_LIMITS, TEXT_LIMITS } from './plan-limits';
import {
  activeGoals,
  diagnosisCodesOf,
  noChanges,
  recordChange,
  type Attestation,
  type ClosureReason,
  type Diagnosis,
  type Goal,
  type IdChanges,
  type Impairment,
  type LifeEventCategory,
  type LifeEventImpact,
  type Objective,
  type PlanContent,
  type ProblemLink,
  type RevisionChanges,
  type RevisionReason,
  type Symptom,
  type TriggerRef,
  type TriggerType,
} from './plan-content';

// The TreatmentPlan aggregate as a decider (STYLE.md §1): decide(command, plan) → events, evolve(plan, event) → plan.
//
// Revisions (CLINICAL.md rule 1, co-authored plans). Opening a plan drafts revision 1. Every change to diagnoses,
// symptoms, impairments, service details, goals, objectives and interventions happens inside an open draft
// revision; the draft takes effect when both the client and the clinician have signed it (PlanSigned each, then
// PlanRevised). The plan in effect is the last signed revision; the draft is kept beside it. Facts that are not
// agreements — a goal or objective met, an assessment, a life event — are recorded any time the plan is open,
// in effect or still in draft, and are the triggers a later revision answers.
//
// At least one active goal (CLINICAL.md rule 2, "every client must have at least one active goal"):
//  - a revision cannot be signed without an active goal, so the plan in effect always starts with one;
//  - discontinuing a goal is a revision change, checked when the revision is signed;
//  - marking the last active goal of the plan in effect as met is refused unless the open draft revision holds
//    another active goal (the next goal, which takes over when the draft is signed); otherwise the clinician
//    proposes a revision with the next goal first, or closes the plan (discharge) when treatment is complete;
//  - for the same reason a draft whose signing is the only way back to an active goal cannot be withdrawn.
//
// Signatures attest a revision's content: a change to a draft that someone already signed voids those
// signatures (RevisionSignaturesVoided) and both sign again.

export interface DraftRevision {
  readonly revision: number;
  readonly reason: RevisionReason;
  readonly note: string | null;
  readonly triggers: readonly TriggerRef[];
  readonly proposedAt: string;
  readonly proposedBy: string;
  readonly content: PlanContent;
  readonly changes: RevisionChanges;
  readonly attestations: readonly Attestation[];
}

export interface SignedRevision {
  readonly revision: number;
  readonly reason: RevisionReason;
  readonly note: string | null;
  readonly triggersAnswered: readonly TriggerRef[];
  readonly changes: RevisionChanges;
  /** Both attestations, client and clinician, with their time and method. */
  readonly attestations: readonly Attestation[];
  readonly effectiveAt: string;
}

export interface AssessmentRecord {
  readonly assessmentId: string;
  readonly instrument: InstrumentCode;
  readonly total: number;
  readonly band: SeverityBand;
  readonly safetyFlag: boolean;
  /** When it was administered (administeredAt in the API), which may be before it was recorded. */
  readonly assessedAt: string;
}

export interface LifeEventRecord {
  readonly lifeEventId: string;
  readonly category: LifeEventCategory;
  readonly impact: LifeEventImpact;
  readonly occurredOn: string | null;
  readonly reportedAt: string;
}

export interface TriggerRecord extends TriggerRef {
  readonly occurredAt: string;
  /** The revision that answered it, once one took effect. */
  readonly answeredInRevision: number | null;
}

export interface Closure {
  readonly reason: ClosureReason;
  readonly note: string | null;
  readonly closedAt: string;
  readonly closedBy: string;
}

export interface NoPlan {
  readonly status: 'not_opened';
}

export interface OpenedPlan {
  readonly status: 'open' | 'closed';
  readonly planId: string;
  readonly clientId: string;
  readonly clinicianId: string;
  readonly payerId: string | null;
  /** When treatment began: the clock for non-response. */
  readonly openedAt: string;
  /** The last signed revision; null until revision 1 is signed by both. */
  readonly inEffect: PlanContent | null;
  readonly revisionInEffect: number | null;
  readonly draft: DraftRevision | null;
  readonly revisions: readonly SignedRevision[];
  readonly assessments: readonly AssessmentRecord[];
  readonly lifeEvents: readonly LifeEventRecord[];
  readonly triggers: readonly TriggerRecord[];
  readonly closure: Closure | null;
}

export type TreatmentPlan = NoPlan | OpenedPlan;

export const initialState = (): TreatmentPlan => ({ status: 'not_opened' });

/** The content being worked on: the draft when one is open, else the plan in effect (null only for a plan closed before revision 1 took effect). */
export const workingContent = (plan: OpenedPlan): PlanContent | null => plan.draft?.content ?? plan.inEffect;

export const isInEffect = (plan: TreatmentPlan): boolean => plan.status === 'open' && plan.inEffect !== null;

export const decide = (command: PlanCommand, plan: TreatmentPlan): PlanEvent[] => {
  if (command.type === 'OpenPlan') return openPlan(command, plan);
  if (plan.status === 'not_opened') throw new PlanNotFound();
  // Stryker disable next-line OptionalChaining: PlanClosed sets the status and the closure together, so a closed plan always has its closure
  if (plan.status === 'closed') throw new PlanIsClosed(plan.closure?.closedAt ?? '');
  switch (command.type) {
    case 'ProposeRevision':
      return proposeRevision(command, plan);
    case 'WithdrawRevision':
      return withdrawRevision(command, plan);
    case 'AddDiagnosis':
    case 'RemoveDiagnosis':
    case 'SetPrimaryDiagnosis':
    case 'AddSymptom':
    case 'RemoveSymptom':
    case 'AddImpairment':
    case 'RemoveImpairment':
    case 'ChangeService':
    case 'AddGoal':
    case 'ReviseGoal':
    case 'DiscontinueGoal':
    case 'AddObjective':
    case 'ReviseObjective':
    case 'DiscontinueObjective':
    case 'AddIntervention':
    case 'DiscontinueIntervention':
      return changeRevision(command, plan);
    case 'MarkGoalMet':
      return markGoalMet(command, plan);
    case 'MarkObjectiveMet':
      return markObjectiveMet(command, plan);
    case 'RecordAssessment':
      return recordAssessment(command, plan);
    case 'ReportLifeEvent':
      return reportLifeEvent(command, plan);
    case 'SignRevision':
      return signRevision(command, plan);
    case 'ClosePlan':
      return closePlan(command, plan);
    default: {
      const unknown: never = command;
      throw new FieldInvalid('type', `Unknown command ${(unknown as { type: string }).type}.`);
    }
  }
};

// A guard that narrows to unknown elements, where Array.isArray would narrow to any[].
const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

const openPlan = ({ data, metadata }: OpenPlan, plan: TreatmentPlan): PlanEvent[] => {
  if (plan.status !== 'not_opened') throw new PlanAlreadyOpened(plan.planId);

  const diagnoses: Diagnosis[] = [];
  // Every list is held to its limit before any item is looked at (docs/input-limits.md).
  listOf('diagnoses', data.diagnoses, 'The diagnoses', PLAN_LIMITS.diagnoses).forEach((given, index) => {
    const code = diagnosisCode(`diagnoses[${index}].code`, given.code);
    if (diagnoses.some((diagnosis) => diagnosis.code === code)) {
      throw new FieldInvalid(`diagnoses[${index}].code`, `${code} is listed twice.`);
    }
    const rank = given.rank === 'primary' || given.rank === 'secondary' ? given.rank : null;
    if (rank === null) throw new FieldInvalid(`diagnoses[${index}].rank`, "The rank must be 'primary' or 'secondary'.");
    diagnoses.push({ code, rank, description: optionalText(`diagnoses[${index}].description`, given.description, 'The description', TEXT_LIMITS.diagnosis) });
  });
  const primaries = diagnoses.filter((diagnosis) => diagnosis.rank === 'primary').length;
  if (primaries !== 1) throw new NotExactlyOnePrimaryDiagnosis(primaries);

  const linkedDiagnosis = (field: string, value: unknown): string => {
    const code = diagnosisCode(field, value);
    if (!diagnoses.some((diagnosis) => diagnosis.code === code)) throw new NotFoundInPlan('diagnosis', code, field);
    return code;
  };
  const symptoms: Symptom[] = [];
  listOf('symptoms', data.symptoms, 'The symptoms', PLAN_LIMITS.symptoms).forEach((given, index) => {
    const symptomId = requireId(`symptoms[${index}].symptomId`, given.symptomId);
    if (symptoms.some((symptom) => symptom.symptomId === symptomId)) {
      throw new IdAlreadyUsed('symptom', symptomId, `symptoms[${index}].symptomId`);
    }
    symptoms.push({
      symptomId,
      diagnosisCode: linkedDiagnosis(`symptoms[${index}].diagnosisCode`, given.diagnosisCode),
      description: requireText(`symptoms[${index}].description`, given.description, 'The symptom', TEXT_LIMITS.problem),
    });
  });
  const impairments: Impairment[] = [];
  listOf('impairments', data.impairments, 'The functional impairments', PLAN_LIMITS.impairments).forEach((given, index) => {
    const impairmentId = requireId(`impairments[${index}].impairmentId`, given.impairmentId);
    if (impairments.some((impairment) => impairment.impairmentId === impairmentId)) {
      throw new IdAlreadyUsed('impairment', impairmentId, `impairments[${index}].impairmentId`);
    }
    impairments.push({
      impairmentId,
      diagnosisCode: linkedDiagnosis(`impairments[${index}].diagnosisCode`, given.diagnosisCode),
      description: requireText(`impairments[${index}].description`, given.description, 'The functional impairment', TEXT_LIMITS.problem),
    });
  });

  return [
    {
      type: 'PlanOpened',
      data: {
        planId: requireId('planId', data.planId),
        clientId: requireId('clientId', data.clientId),
        clinicianId: requireId('clinicianId', data.clinicianId),
        payerId: data.payerId === null ? null : requireId('payerId', data.payerId),
        revision: 1,
        presentingProblem: requireText('presentingProblem', data.presentingProblem, 'The presenting problem', TEXT_LIMITS.presentingProblem),
        strengths: listOf('strengths', data.strengths, 'The strengths', PLAN_LIMITS.strengths).map((strength, index) =>
          requireText(`strengths[${index}]`, strength, 'A strength', TEXT_LIMITS.strength),
        ),
        diagnoses,
        symptoms,
        impairments,
        service: serviceDetails('service', data.service),
        openedAt: data.openedAt == null ? metadata.now : treatmentStart('openedAt', data.openedAt, metadata.now),
        by: metadata.userId,
      },
    },
  ];
};

const proposeRevision = ({ data, metadata }: ProposeRevision, plan: OpenedPlan): PlanEvent[] => {
  if (plan.draft) throw new RevisionAlreadyOpen(plan.draft.revision);
  const reason = revisionReason('reason', data.reason);
  if (reason === 'initial_plan') {
    throw new FieldInvalid('reason', "'initial_plan' is the reason of revision 1 only; name what this revision answers.");
  }
  const triggers: TriggerRef[] = [];
  listOf('triggers', data.triggers, 'The triggers', PLAN_LIMITS.triggersPerRevision).forEach((given, index) => {
    const type: TriggerType = triggerType(`triggers[${index}].type`, given.type);
    const id = requireId(`triggers[${index}].id`, given.id);
    if (!plan.triggers.some((trigger) => trigger.type === type && trigger.id === id)) {
      throw new NotFoundInPlan('trigger', `${type} ${id}`, `triggers[${index}]`);
    }
    if (triggers.some((trigger) => trigger.type === type && trigger.id === id)) {
      throw new FieldInvalid(`triggers[${index}]`, `${type} ${id} is listed twice.`);
    }
    triggers.push({ type, id });
  });
  return [
    {
      type: 'RevisionProposed',
      data: {
        planId: plan.planId,
        revision: (plan.revisionInEffect ?? 0) + 1,
        reason,
        note: optionalText('note', data.note, 'The note', TEXT_LIMITS.note),
        triggers,
        proposedAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};

const openDraft = (plan: OpenedPlan, revision?: number): DraftRevision => {
  if (!plan.draft) {
    if (revision !== undefined) throw new RevisionMismatch(revision, null);
    throw new NoOpenRevision();
  }
  if (revision !== undefined && revision !== plan.draft.revision) throw new RevisionMismatch(revision, plan.draft.revision);
  return plan.draft;
};

const withdrawRevision = ({ data, metadata }: WithdrawRevision, plan: OpenedPlan): PlanEvent[] => {
  const draft = openDraft(plan, data.revision);
  if (draft.revision === 1) throw new FirstRevisionCannotBeWithdrawn();
  if (plan.inEffect && activeGoals(plan.inEffect).length === 0) throw new PlanWouldHaveNoActiveGoal(draft.revision);
  return [
    {
      type: 'RevisionWithdrawn',
      data: {
        planId: plan.planId,
        revision: draft.revision,
        note: optionalText('note', data.note, 'The note', TEXT_LIMITS.note),
        withdrawnAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};

interface ChangeContext {
  readonly planId: string;
  /** When the plan opened: no objective targets a date before it. */
  readonly openedAt: string;
  readonly revision: number;
  readonly by: string;
  readonly now: string;
  readonly content: PlanContent;
}

const changeRevision = (command: RevisionChangeCommand, plan: OpenedPlan): PlanEvent[] => {
  const draft = openDraft(plan);
  const context: ChangeContext = {
    planId: plan.planId,
    openedAt: plan.openedAt,
    revision: draft.revision,
    by: command.metadata.userId,
    now: command.metadata.now,
    content: draft.content,
  };
  const changes = decideChange(command, context);
  if (changes.length === 0 || draft.attestations.length === 0) return changes;
  return [
    {
      type: 'RevisionSignaturesVoided',
      data: {
        planId: plan.planId,
        revision: draft.revision,
        voided: draft.attestations,
        voidedAt: context.now,
        by: context.by,
      },
    },
    ...changes,
  ];
};

const decideChange = (command: RevisionChangeCommand, context: ChangeContext): PlanEvent[] => {
  switch (command.type) {
    case 'AddDiagnosis':
      return addDiagnosis(command, context);
    case 'RemoveDiagnosis':
      return removeDiagnosis(command, context);
    case 'SetPrimaryDiagnosis':
      return setPrimaryDiagnosis(command, context);
    case 'AddSymptom':
      return addSymptom(command, context);
    case 'RemoveSymptom':
      return removeSymptom(command, context);
    case 'AddImpairment':
      return addImpairment(command, context);
    case 'RemoveImpairment':
      return removeImpairment(command, context);
    case 'ChangeService':
      return changeService(command, context);
    case 'AddGoal':
      return addGoal(command, context);
    case 'ReviseGoal':
      return reviseGoal(command, context);
    case 'DiscontinueGoal':
      return discontinueGoal(command, context);
    case 'AddObjective':
      return addObjective(command, context);
    case 'ReviseObjective':
      return reviseObjective(command, context);
    case 'DiscontinueObjective':
      return discontinueObjective(context, command.data.objectiveId, optionalText('reason', command.data.reason, 'The reason', TEXT_LIMITS.note));
    case 'AddIntervention':
      return addIntervention(command, context);
    case 'DiscontinueIntervention':
      return discontinueIntervention(command, context);
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustiveness check; decide passes only the revision changes listed here (an unknown command is refused in decide)
    default: {
      const unknown: never = command;
      // Stryker disable next-line all: unreachable, as above
      throw new FieldInvalid('type', `Unknown command ${(unknown as { type: string }).type}.`);
    }
  }
};

const inRevision = (context: ChangeContext) => ({ planId: context.planId, revision: context.revision, by: context.by });

const existingDiagnosis = (context: ChangeContext, field: string, value: unknown): Diagnosis => {
  const code = diagnosisCode(field, value);
  const diagnosis = context.content.diagnoses.find((candidate) => candidate.code === code);
  if (!diagnosis) throw new NotFoundInPlan('diagnosis', code, field);
  return diagnosis;
};

/** Active goals that address a problem directly. */
const goalsAddressing = (content: PlanContent, kind: ProblemLink['kind'], id: string): string[] =>
  activeGoals(content)
    .filter((goal) => goal.addresses.some((link) => link.kind === kind && link.id === id))
    .map((goal) => `goal ${goal.goalId}`);

const addDiagnosis = ({ data }: AddDiagnosis, context: ChangeContext): PlanEvent[] => {
  if (context.content.diagnoses.length >= PLAN_LIMITS.diagnoses) {
    throw new CollectionFull('diagnoses', PLAN_LIMITS.diagnoses, 'remove one that nothing addresses before adding another');
  }
  const code = diagnosisCode('code', data.code);
  if (context.content.diagnoses.some((diagnosis) => diagnosis.code === code)) throw new IdAlreadyUsed('diagnosis', code, 'code');
  return [
    {
      type: 'DiagnosisAdded',
      data: {
        ...inRevision(context),
        diagnosis: { code, rank: 'secondary', description: optionalText('description', data.description, 'The description', TEXT_LIMITS.diagnosis) },
        addedAt: context.now,
      },
    },
  ];
};

const removeDiagnosis = ({ data }: RemoveDiagnosis, context: ChangeContext): PlanEvent[] => {
  const diagnosis = existingDiagnosis(context, 'code', data.code);
  if (diagnosis.rank === 'primary') throw new PrimaryDiagnosisCannotBeRemoved(diagnosis.code);
  const linkedFrom = [
    ...context.content.symptoms.filter((symptom) => symptom.diagnosisCode === diagnosis.code).map((s) => `symptom ${s.symptomId}`),
    ...context.content.impairments
      .filter((impairment) => impairment.diagnosisCode === diagnosis.code)
      .map((i) => `impairment ${i.impairmentId}`),
    ...goalsAddressing(context.content, 'diagnosis', diagnosis.code),
  ];
  if (linkedFrom.length > 0) throw new StillLinked('diagnosis', diagnosis.code, linkedFrom);
  return [{ type: 'DiagnosisRemoved', data: { ...inRevision(context), code: diagnosis.code, removedAt: context.now } }];
};

/** Making the primary diagnosis primary again changes nothing and records nothing. */
const setPrimaryDiagnosis = ({ data }: SetPrimaryDiagnosis, context: ChangeContext): PlanEvent[] => {
  const diagnosis = existingDiagnosis(context, 'code', data.code);
  if (diagnosis.rank === 'primary') return [];
  const previous = context.content.diagnoses.find((candidate) => candidate.rank === 'primary')!;
  return [
    {
      type: 'PrimaryDiagnosisChanged',
      data: { ...inRevision(context), previousCode: previous.code, code: diagnosis.code, changedAt: context.now },
    },
  ];
};

const addSymptom = ({ data }: AddSymptom, context: ChangeContext): PlanEvent[] => {
  if (context.content.symptoms.length >= PLAN_LIMITS.symptoms) {
    throw new CollectionFull('symptoms', PLAN_LIMITS.symptoms, 'remove one that no goal addresses before adding another');
  }
  const symptomId = requireId('symptomId', data.symptomId);
  if (context.content.symptoms.some((symptom) => symptom.symptomId === symptomId)) {
    throw new IdAlreadyUsed('symptom', symptomId, 'symptomId');
  }
  return [
    {
      type: 'SymptomAdded',
      data: {
        ...inRevision(context),
        symptom: {
          symptomId,
          diagnosisCode: existingDiagnosis(context, 'diagnosisCode', data.diagnosisCode).code,
          description: requireText('description', data.description, 'The symptom', TEXT_LIMITS.problem),
        },
        addedAt: context.now,
      },
    },
  ];
};

const removeSymptom = ({ data }: RemoveSymptom, context: ChangeContext): PlanEvent[] => {
  const symptom = context.content.symptoms.find((candidate) => candidate.symptomId === data.symptomId);
  if (!symptom) throw new NotFoundInPlan('symptom', String(data.symptomId), 'symptomId');
  const linkedFrom = goalsAddressing(context.content, 'symptom', symptom.symptomId);
  if (linkedFrom.length > 0) throw new StillLinked('symptom', symptom.symptomId, linkedFrom);
  return [
    {
      type: 'SymptomRemoved',
      data: { ...inRevision(context), symptomId: symptom.symptomId, diagnosisCode: symptom.diagnosisCode, removedAt: context.now },
    },
  ];
};

const addImpairment = ({ data }: AddImpairment, context: ChangeContext): PlanEvent[] => {
  if (context.content.impairments.length >= PLAN_LIMITS.impairments) {
    throw new CollectionFull('impairments', PLAN_LIMITS.impairments, 'remove one that no goal addresses before adding another');
  }
  const impairmentId = requireId('impairmentId', data.impairmentId);
  if (context.content.impairments.some((impairment) => impairment.impairmentId === impairmentId)) {
    throw new IdAlreadyUsed('impairment', impairmentId, 'impairmentId');
  }
  return [
    {
      type: 'ImpairmentAdded',
      data: {
        ...inRevision(context),
        impairment: {
          impairmentId,
          diagnosisCode: existingDiagnosis(context, 'diagnosisCode', data.diagnosisCode).code,
          description: requireText('description', data.description, 'The functional impairment', TEXT_LIMITS.problem),
        },
        addedAt: context.now,
      },
    },
  ];
};

const removeImpairment = ({ data }: RemoveImpairment, context: ChangeContext): PlanEvent[] => {
  const impairment = context.content.impairments.find((candidate) => candidate.impairmentId === data.impairmentId);
  if (!impairment) throw new NotFoundInPlan('impairment', String(data.impairmentId), 'impairmentId');
  const linkedFrom = goalsAddressing(context.content, 'impairment', impairment.impairmentId);
  if (linkedFrom.length > 0) throw new StillLinked('impairment', impairment.impairmentId, linkedFrom);
  return [
    {
      type: 'ImpairmentRemoved',
      data: {
        ...inRevision(context),
        impairmentId: impairment.impairmentId,
        diagnosisCode: impairment.diagnosisCode,
        removedAt: context.now,
      },
    },
  ];
};

const changeService = ({ data }: ChangeService, context: ChangeContext): PlanEvent[] => [
  { type: 'ServiceChanged', data: { ...inRevision(context), service: serviceDetails('service', data.service), changedAt: context.now } },
];

/** Every link must name a diagnosis, symptom or impairment of this plan (the golden loop). */
const problemLinks = (context: ChangeContext, value: readonly ProblemLink[] | undefined): ProblemLink[] => {
  if (!isList(value) || value.length === 0) throw new GoalNotLinked();
  listOf('addresses', value, 'A goal', PLAN_LIMITS.linksPerGoal);
  const links = value.map((link, index) => {
    const field = `addresses[${index}]`;
    const kind = linkKind(`${field}.kind`, link?.kind);
    switch (kind) {
      case 'diagnosis':
        return { kind, id: existingDiagnosis(context, `${field}.id`, link.id).code };
      case 'symptom':
        if (!context.content.symptoms.some((symptom) => symptom.symptomId === link.id)) {
          throw new NotFoundInPlan('symptom', String(link.id), `${field}.id`);
        }
        return { kind, id: link.id };
      case 'impairment':
        if (!context.content.impairments.some((impairment) => impairment.impairmentId === link.id)) {
          throw new NotFoundInPlan('impairment', String(link.id), `${field}.id`);
        }
        return { kind, id: link.id };
      // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustiveness check; linkKind has already refused any other kind
      default: {
        const unknownKind: never = kind;
        return unknownKind;
      }
    }
  });
  links.forEach((link, index) => {
    if (links.findIndex((other) => other.kind === link.kind && other.id === link.id) < index) {
      throw new FieldInvalid(`addresses[${index}]`, `The ${link.kind} ${link.id} is listed twice.`);
    }
  });
  return links;
};

const CLIENT_GOAL = "The client goal, in the client's own words,";
const CLINICAL_GOAL = 'The clinical goal';

const addGoal = ({ data }: AddGoal, context: ChangeContext): PlanEvent[] => {
  // Met and discontinued goals count: PlanRevised lists every goal of the plan.
  if (context.content.goals.length >= PLAN_LIMITS.goals) {
    throw new CollectionFull('goals', PLAN_LIMITS.goals, 'met and discontinued goals count too, so revise an existing goal instead');
  }
  const goalId = requireId('goalId', data.goalId);
  if (context.content.goals.some((goal) => goal.goalId === goalId)) throw new IdAlreadyUsed('goal', goalId, 'goalId');
  const goal: Goal = {
    goalId,
    clientGoal: requireText('clientGoal', data.clientGoal, CLIENT_GOAL, TEXT_LIMITS.goal),
    clinicalGoal: requireText('clinicalGoal', data.clinicalGoal, CLINICAL_GOAL, TEXT_LIMITS.goal),
    addresses: problemLinks(context, data.addresses),
    status: 'active',
  };
  return [
    {
      type: 'GoalAdded',
      data: { ...inRevision(context), goal, diagnosisCodes: diagnosisCodesOf(context.content, goal.addresses), addedAt: context.now },
    },
  ];
};

const activeGoal = (content: PlanContent, goalId: string, field = 'goalId'): Goal => {
  const goal = content.goals.find((candidate) => candidate.goalId === goalId);
  if (!goal) throw new NotFoundInPlan('goal', String(goalId), field);
  if (goal.status !== 'active') throw new NotActive('goal', goal.goalId, goal.status);
  return goal;
};

const reviseGoal = ({ data }: ReviseGoal, context: ChangeContext): PlanEvent[] => {
  const goal = activeGoal(context.content, data.goalId);
  if (data.clientGoal === undefined && data.clinicalGoal === undefined && data.addresses === undefined) {
    throw new FieldInvalid('goalId', 'Say what to revise: the client goal, the clinical goal or what the goal addresses.');
  }
  const addresses = data.addresses === undefined ? goal.addresses : problemLinks(context, data.addresses);
  return [
    {
      type: 'GoalRevised',
      data: {
        ...inRevision(context),
        goalId: goal.goalId,
        clientGoal: data.clientGoal === undefined ? goal.clientGoal : requireText('clientGoal', data.clientGoal, CLIENT_GOAL, TEXT_LIMITS.goal),
        clinicalGoal:
          data.clinicalGoal === undefined ? goal.clinicalGoal : requireText('clinicalGoal', data.clinicalGoal, CLINICAL_GOAL, TEXT_LIMITS.goal),
        addresses,
        diagnosisCodes: diagnosisCodesOf(context.content, addresses),
        revisedAt: context.now,
      },
    },
  ];
};

/** A discontinued goal takes its active objectives with it, and they their interventions. */
const discontinueGoal = ({ data }: DiscontinueGoal, context: ChangeContext): PlanEvent[] => {
  const goal = activeGoal(context.content, data.goalId);
  return [
    {
      type: 'GoalDiscontinued',
      data: {
        ...inRevision(context),
        goalId: goal.goalId,
        reason: optionalText('reason', data.reason, 'The reason', TEXT_LIMITS.note),
        discontinuedAt: context.now,
      },
    },
    ...context.content.objectives
      .filter((objective) => objective.goalId === goal.goalId && objective.status === 'active')
      .flatMap((objective) => discontinueObjective(context, objective.objectiveId, 'goal_discontinued')),
  ];
};

const activeObjective = (content: PlanContent, objectiveId: string, field = 'objectiveId'): Objective => {
  const objective = content.objectives.find((candidate) => candidate.objectiveId === objectiveId);
  if (!objective) throw new NotFoundInPlan('objective', String(objectiveId), field);
  if (objective.status !== 'active') throw new NotActive('objective', objective.objectiveId, objective.status);
  return objective;
};

const addObjective = ({ data }: AddObjective, context: ChangeContext): PlanEvent[] => {
  if (context.content.objectives.length >= PLAN_LIMITS.objectives) {
    throw new CollectionFull('objectives', PLAN_LIMITS.objectives, 'met and discontinued objectives count too, so revise an existing objective instead');
  }
  const objectiveId = requireId('objectiveId', data.objectiveId);
  if (context.content.objectives.some((objective) => objective.objectiveId === objectiveId)) {
    throw new IdAlreadyUsed('objective', objectiveId, 'objectiveId');
  }
  const goal = activeGoal(context.content, data.goalId);
  return [
    {
      type: 'ObjectiveAdded',
      data: {
        ...inRevision(context),
        objective: {
          objectiveId,
          goalId: goal.goalId,
          description: requireText('description', data.description, 'The objective', TEXT_LIMITS.objective),
          measure: data.measure === null || data.measure === undefined ? null : objectiveMeasure('measure', data.measure),
          targetDate: data.targetDate === null || data.targetDate === undefined ? null : targetDate('targetDate', data.targetDate, context, context.now),
          status: 'active',
        },
        addedAt: context.now,
      },
    },
  ];
};

const reviseObjective = ({ data }: ReviseObjective, context: ChangeContext): PlanEvent[] => {
  const objective = activeObjective(context.content, data.objectiveId);
  if (data.description === undefined && data.measure === undefined && data.targetDate === undefined) {
    throw new FieldInvalid('objectiveId', 'Say what to revise: the description, the measure or the target date.');
  }
  return [
    {
      type: 'ObjectiveRevised',
      data: {
        ...inRevision(context),
        objectiveId: objective.objectiveId,
        goalId: objective.goalId,
        description:
          data.description === undefined ? objective.description : requireText('description', data.description, 'The objective', TEXT_LIMITS.objective),
        measure:
          data.measure === undefined ? objective.measure : data.measure === null ? null : objectiveMeasure('measure', data.measure),
        targetDate:
          data.targetDate === undefined
            ? objective.targetDate
            : data.targetDate === null
              ? null
              : targetDate('targetDate', data.targetDate, context, context.now),
        revisedAt: context.now,
      },
    },
  ];
};

const discontinueObjective = (
  context: ChangeContext,
  objectiveId: string,
  reason: string | null,
): PlanEvent[] => {
  const objective = activeObjective(context.content, objectiveId);
  return [
    {
      type: 'ObjectiveDiscontinued',
      data: {
        ...inRevision(context),
        objectiveId: objective.objectiveId,
        goalId: objective.goalId,
        reason,
        discontinuedAt: context.now,
      },
    },
    ...context.content.interventions
      .filter((intervention) => intervention.objectiveId === objective.objectiveId && intervention.status === 'active')
      .map(
        (intervention): PlanEvent => ({
          type: 'InterventionDiscontinued',
          data: {
            ...inRevision(context),
            interventionId: intervention.interventionId,
            objectiveId: objective.objectiveId,
            reason: 'objective_discontinued',
            discontinuedAt: context.now,
          },
        }),
      ),
  ];
};

const addIntervention = ({ data }: AddIntervention, context: ChangeContext): PlanEvent[] => {
  // Only active interventions are published, so only they count.
  if (context.content.interventions.filter((intervention) => intervention.status === 'active').length >= PLAN_LIMITS.activeInterventions) {
    throw new CollectionFull('active_interventions', PLAN_LIMITS.activeInterventions, 'discontinue one before adding another');
  }
  const interventionId = requireId('interventionId', data.interventionId);
  if (context.content.interventions.some((intervention) => intervention.interventionId === interventionId)) {
    throw new IdAlreadyUsed('intervention', interventionId, 'interventionId');
  }
  const objective = activeObjective(context.content, data.objectiveId);
  const chosen = modality('modality', data.modality);
  const description =
    chosen === 'other'
      ? requireText('description', data.description, "An intervention of modality 'other' needs a description; it", TEXT_LIMITS.intervention)
      : optionalText('description', data.description, 'The description', TEXT_LIMITS.intervention);
  return [
    {
      type: 'InterventionAdded',
      data: {
        ...inRevision(context),
        intervention: {
          interventionId,
          objectiveId: objective.objectiveId,
          modality: chosen,
          description,
          frequency: frequency('frequency', data.frequency),
          status: 'active',
        },
        addedAt: context.now,
      },
    },
  ];
};

const discontinueIntervention = ({ data }: DiscontinueIntervention, context: ChangeContext): PlanEvent[] => {
  const intervention = context.content.interventions.find((candidate) => candidate.interventionId === data.interventionId);
  if (!intervention) throw new NotFoundInPlan('intervention', String(data.interventionId), 'interventionId');
  if (intervention.status !== 'active') throw new NotActive('intervention', intervention.interventionId, intervention.status);
  return [
    {
      type: 'InterventionDiscontinued',
      data: {
        ...inRevision(context),
        interventionId: intervention.interventionId,
        objectiveId: intervention.objectiveId,
        reason: optionalText('reason', data.reason, 'The reason', TEXT_LIMITS.note),
        discontinuedAt: context.now,
      },
    },
  ];
};

/** The goal as it stands now: in the draft if the draft has it, else in the plan in effect. */
const latestGoal = (plan: OpenedPlan, goalId: string): Goal | undefined =>
  plan.draft?.content.goals.find((goal) => goal.goalId === goalId) ??
  plan.inEffect?.goals.find((goal) => goal.goalId === goalId);

const markGoalMet = ({ data, metadata }: MarkGoalMet, plan: OpenedPlan): PlanEvent[] => {
  const goal = latestGoal(plan, data.goalId);
  if (!goal) throw new NotFoundInPlan('goal', String(data.goalId), 'goalId');
  if (goal.status !== 'active') throw new NotActive('goal', goal.goalId, goal.status);
  if (plan.inEffect) {
    const othersActive = (content: PlanContent | undefined) =>
      (content ? activeGoals(content) : []).some((candidate) => candidate.goalId !== goal.goalId);
    if (!othersActive(plan.inEffect) && !othersActive(plan.draft?.content)) throw new LastActiveGoal(goal.goalId);
  }
  return [{ type: 'GoalMet', data: { planId: plan.planId, goalId: goal.goalId, metAt: metadata.now, by: metadata.userId } }];
};

const markObjectiveMet = ({ data, metadata }: MarkObjectiveMet, plan: OpenedPlan): PlanEvent[] => {
  const objective =
    plan.draft?.content.objectives.find((candidate) => candidate.objectiveId === data.objectiveId) ??
    plan.inEffect?.objectives.find((candidate) => candidate.objectiveId === data.objectiveId);
  if (!objective) throw new NotFoundInPlan('objective', String(data.objectiveId), 'objectiveId');
  if (objective.status !== 'active') throw new NotActive('objective', objective.objectiveId, objective.status);
  return [
    {
      type: 'ObjectiveMet',
      data: {
        planId: plan.planId,
        goalId: objective.goalId,
        objectiveId: objective.objectiveId,
        metAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};

/**
 * Always records the assessment; adds SymptomsChanged when libs/clinical finds a meaningful change against this
 * plan's other scores on the same instrument, taken in the order they were administered: a score entered late is
 * compared with the one given before it, and the scores given after it are not judged again (docs/clinical-dates.md,
 * "A score entered late"). Treatment is counted from the plan's opening (non-response).
 */
const recordAssessment = ({ data, metadata }: RecordAssessment, plan: OpenedPlan): PlanEvent[] => {
  const assessmentId = requireId('assessmentId', data.assessmentId);
  if (plan.assessments.some((assessment) => assessment.assessmentId === assessmentId)) {
    throw new IdAlreadyUsed('assessment', assessmentId, 'assessmentId');
  }
  const outcome = scoreAssessment(data.instrument, data.items, data.declaredTotal);
  if (!outcome.ok) throw new AssessmentInvalid(outcome.problems);
  const scored = outcome.assessment;
  const administeredAt =
    data.administeredAt == null ? metadata.now : instantInTreatment('administeredAt', data.administeredAt, plan, metadata.now, 'The time the assessment was administered');
  const administered = Date.parse(administeredAt);
  // Stable sort: scores given at the same time keep the order they were entered, and the new one comes after them.
  const series = plan.assessments
    .filter((assessment) => assessment.instrument === scored.instrument)
    .map((assessment) => ({ ...assessment, at: assessment.assessedAt }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const history = series.filter((assessment) => Date.parse(assessment.at) <= administered);
  const later = series.filter((assessment) => Date.parse(assessment.at) > administered);
  const previous = history[history.length - 1] ?? null;
  const change = assessChange({
    current: scored,
    at: administeredAt,
    previous,
    // Stryker disable next-line LogicalOperator: libs/clinical takes the first score of the history as the baseline when it is given none
    baseline: history[0] ?? null,
    history,
    later,
    treatmentStartedAt: plan.openedAt,
  });
  const loinc = INSTRUMENTS[scored.instrument].loinc;
  const recorded: PlanEvent = {
    type: 'AssessmentRecorded',
    data: {
      planId: plan.planId,
      assessmentId,
      instrument: scored.instrument,
      loinc,
      items: scored.items,
      total: scored.total,
      band: scored.band,
      safetyFlag: scored.safetyFlag,
      assessedAt: administeredAt,
      by: metadata.userId,
    },
  };
  if (!change) return [recorded];
  return [
    recorded,
    {
      type: 'SymptomsChanged',
      data: {
        planId: plan.planId,
        assessmentId,
        previousAssessmentId: previous?.assessmentId ?? null,
        instrument: change.instrument,
        loinc,
        previousScore: change.previousScore,
        newScore: change.newScore,
        previousBand: change.previousBand,
        newBand: change.newBand,
        direction: change.direction,
        reasons: change.reasons,
        urgency: change.urgency,
        occurredAt: metadata.now,
      },
    },
  ];
};

const reportLifeEvent = ({ data, metadata }: ReportLifeEvent, plan: OpenedPlan): PlanEvent[] => {
  const lifeEventId = requireId('lifeEventId', data.lifeEventId);
  if (plan.lifeEvents.some((lifeEvent) => lifeEvent.lifeEventId === lifeEventId)) {
    throw new IdAlreadyUsed('life_event', lifeEventId, 'lifeEventId');
  }
  const occurredOn = data.occurredOn === null ? null : lifeEventDate('occurredOn', data.occurredOn, metadata.now);
  return [
    {
      type: 'LifeEventReported',
      data: {
        planId: plan.planId,
        lifeEventId,
        category: lifeEventCategory('category', data.category),
        impact: lifeEventImpact('impact', data.impact),
        occurredOn,
        description: requireText('description', data.description, 'What happened', TEXT_LIMITS.lifeEvent),
        reportedAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};

const signRevision = ({ data, metadata }: SignRevision, plan: OpenedPlan): PlanEvent[] => {
  const draft = openDraft(plan, data.revision);
  const role = signerRole('signerRole', data.signerRole);
  const expectedSigner = role === 'client' ? plan.clientId : plan.clinicianId;
  if (data.signerId !== expectedSigner) throw new SignerNotOnPlan(role, String(data.signerId));
  const method = signatureMethod('method', data.method);
  if (draft.attestations.some((attestation) => attestation.signerRole === role)) throw new AlreadySigned(draft.revision, role);
  if (activeGoals(draft.content).length === 0) throw new RevisionHasNoActiveGoal(draft.revision);

  const signedAt = data.signedAt == null ? metadata.now : instantInTreatment('signedAt', data.signedAt, plan, metadata.now, 'The signature');
  const attestation: Attestation = { signerRole: role, signerId: data.signerId, signedAt, method };
  const signed: PlanEvent = {
    type: 'PlanSigned',
    data: { planId: plan.planId, revision: draft.revision, ...attestation, by: metadata.userId },
  };
  if (draft.attestations.length === 0) return [signed];
  return [
    signed,
    {
      type: 'PlanRevised',
      data: {
        planId: plan.planId,
        revision: draft.revision,
        reason: draft.reason,
        note: draft.note,
        triggersAnswered: draft.triggers,
        changes: draft.changes,
        plan: draft.content,
        attestations: [...draft.attestations, attestation],
        revisedAt: metadata.now,
      },
    },
  ];
};

const closePlan = ({ data, metadata }: ClosePlan, plan: OpenedPlan): PlanEvent[] => [
  {
    type: 'PlanClosed',
    data: {
      planId: plan.planId,
      reason: closureReason('reason', data.reason),
      note: optionalText('note', data.note, 'The note', TEXT_LIMITS.note),
      lastRevision: plan.revisionInEffect,
      withdrawnRevision: plan.draft?.revision ?? null,
      closedAt: metadata.now,
      by: metadata.userId,
    },
  },
];

const replace = <T>(items: readonly T[], matches: (item: T) => boolean, update: (item: T) => T): T[] =>
  items.map((item) => (matches(item) ? update(item) : item));

type ChangeArea = Exclude<keyof RevisionChanges, 'service'>;

const changeDraft = (
  plan: OpenedPlan,
  updateContent: (content: PlanContent) => PlanContent,
  ...summary: readonly [area: ChangeArea, kind: keyof IdChanges, id: string][]
): OpenedPlan => {
  // Stryker disable next-line ConditionalExpression: every change event is decided inside an open draft (openDraft), so it never meets a plan without one
  if (!plan.draft) return plan;
  const changes = summary.reduce<RevisionChanges>(
    (acc, [area, kind, id]) => ({ ...acc, [area]: recordChange(acc[area], kind, id) }),
    plan.draft.changes,
  );
  return { ...plan, draft: { ...plan.draft, content: updateContent(plan.draft.content), changes } };
};

/** Applies a status change to a goal or objective wherever it is: in the plan in effect and in the draft. */
const everywhere = (plan: OpenedPlan, update: (content: PlanContent) => PlanContent): OpenedPlan => ({
  ...plan,
  inEffect: plan.inEffect && update(plan.inEffect),
  draft: plan.draft && { ...plan.draft, content: update(plan.draft.content) },
});

const addTrigger = (plan: OpenedPlan, type: TriggerType, id: string, occurredAt: string): OpenedPlan => ({
  ...plan,
  triggers: [...plan.triggers, { type, id, occurredAt, answeredInRevision: null }],
});

export const evolve = (state: TreatmentPlan, event: PlanEvent): TreatmentPlan => {
  if (event.type === 'PlanOpened') {
    const { data } = event;
    const content: PlanContent = {
      presentingProblem: data.presentingProblem,
      strengths: data.strengths,
      service: data.service,
      diagnoses: data.diagnoses,
      symptoms: data.symptoms,
      impairments: data.impairments,
      goals: [],
      objectives: [],
      interventions: [],
    };
    return {
      status: 'open',
      planId: data.planId,
      clientId: data.clientId,
      clinicianId: data.clinicianId,
      payerId: data.payerId,
      openedAt: data.openedAt,
      inEffect: null,
      revisionInEffect: null,
      draft: {
        revision: 1,
        reason: 'initial_plan',
        note: null,
        triggers: [],
        proposedAt: data.openedAt,
        proposedBy: data.by,
        content,
        changes: {
          ...noChanges,
          diagnoses: { ...noChanges.diagnoses, added: data.diagnoses.map((diagnosis) => diagnosis.code) },
          symptoms: { ...noChanges.symptoms, added: data.symptoms.map((symptom) => symptom.symptomId) },
          impairments: { ...noChanges.impairments, added: data.impairments.map((impairment) => impairment.impairmentId) },
          service: true,
        },
        attestations: [],
      },
      revisions: [],
      assessments: [],
      lifeEvents: [],
      triggers: [],
      closure: null,
    };
  }
  if (state.status === 'not_opened') return state;
  const plan = state;

  switch (event.type) {
    case 'RevisionProposed': {
      const { data } = event;
      // Stryker disable next-line ConditionalExpression: a revision is proposed only when none is drafted, which an open plan is only once revision 1 took effect
      if (!plan.inEffect) return plan;
      return {
        ...plan,
        draft: {
          revision: data.revision,
          reason: data.reason,
          note: data.note,
          triggers: data.triggers,
          proposedAt: data.proposedAt,
          proposedBy: data.by,
          content: plan.inEffect,
          changes: noChanges,
          attestations: [],
        },
      };
    }
    case 'RevisionWithdrawn':
      return { ...plan, draft: null };
    case 'DiagnosisAdded': {
      const { diagnosis } = event.data;
      return changeDraft(plan, (c) => ({ ...c, diagnoses: [...c.diagnoses, diagnosis] }), ['diagnoses', 'added', diagnosis.code]);
    }
    case 'DiagnosisRemoved': {
      const { code } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, diagnoses: c.diagnoses.filter((diagnosis) => diagnosis.code !== code) }),
        ['diagnoses', 'removed', code],
      );
    }
    case 'PrimaryDiagnosisChanged': {
      const { previousCode, code } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          diagnoses: c.diagnoses.map((diagnosis) => ({
            ...diagnosis,
            rank: diagnosis.code === code ? 'primary' : diagnosis.code === previousCode ? 'secondary' : diagnosis.rank,
          })),
        }),
        ['diagnoses', 'changed', previousCode],
        ['diagnoses', 'changed', code],
      );
    }
    case 'SymptomAdded': {
      const { symptom } = event.data;
      return changeDraft(plan, (c) => ({ ...c, symptoms: [...c.symptoms, symptom] }), ['symptoms', 'added', symptom.symptomId]);
    }
    case 'SymptomRemoved': {
      const { symptomId } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, symptoms: c.symptoms.filter((symptom) => symptom.symptomId !== symptomId) }),
        ['symptoms', 'removed', symptomId],
      );
    }
    case 'ImpairmentAdded': {
      const { impairment } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, impairments: [...c.impairments, impairment] }),
        ['impairments', 'added', impairment.impairmentId],
      );
    }
    case 'ImpairmentRemoved': {
      const { impairmentId } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, impairments: c.impairments.filter((impairment) => impairment.impairmentId !== impairmentId) }),
        ['impairments', 'removed', impairmentId],
      );
    }
    case 'ServiceChanged': {
      const changed = changeDraft(plan, (c) => ({ ...c, service: event.data.service }));
      return changed.draft ? { ...changed, draft: { ...changed.draft, changes: { ...changed.draft.changes, service: true } } } : changed;
    }
    case 'GoalAdded': {
      const { goal } = event.data;
      return changeDraft(plan, (c) => ({ ...c, goals: [...c.goals, goal] }), ['goals', 'added', goal.goalId]);
    }
    case 'GoalRevised': {
      const { goalId, clientGoal, clinicalGoal, addresses } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          goals: replace(c.goals, (goal) => goal.goalId === goalId, (goal) => ({ ...goal, clientGoal, clinicalGoal, addresses })),
        }),
        ['goals', 'changed', goalId],
      );
    }
    case 'GoalDiscontinued': {
      const { goalId } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, goals: replace(c.goals, (goal) => goal.goalId === goalId, (goal) => ({ ...goal, status: 'discontinued' })) }),
        ['goals', 'removed', goalId],
      );
    }
    case 'GoalMet': {
      const { goalId, metAt } = event.data;
      const met = everywhere(plan, (c) => ({
        ...c,
        goals: replace(c.goals, (goal) => goal.goalId === goalId, (goal) => ({ ...goal, status: 'met' })),
      }));
      return addTrigger(met, 'GoalMet', goalId, metAt);
    }
    case 'ObjectiveAdded': {
      const { objective } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, objectives: [...c.objectives, objective] }),
        ['objectives', 'added', objective.objectiveId],
      );
    }
    case 'ObjectiveRevised': {
      const { objectiveId, description, measure, targetDate } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          objectives: replace(
            c.objectives,
            (objective) => objective.objectiveId === objectiveId,
            (objective) => ({ ...objective, description, measure, targetDate }),
          ),
        }),
        ['objectives', 'changed', objectiveId],
      );
    }
    case 'ObjectiveDiscontinued': {
      const { objectiveId } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          objectives: replace(
            c.objectives,
            (objective) => objective.objectiveId === objectiveId,
            (objective) => ({ ...objective, status: 'discontinued' }),
          ),
        }),
        ['objectives', 'removed', objectiveId],
      );
    }
    case 'ObjectiveMet': {
      const { objectiveId, metAt } = event.data;
      const met = everywhere(plan, (c) => ({
        ...c,
        objectives: replace(
          c.objectives,
          (objective) => objective.objectiveId === objectiveId,
          (objective) => ({ ...objective, status: 'met' }),
        ),
      }));
      return addTrigger(met, 'ObjectiveMet', objectiveId, metAt);
    }
    case 'InterventionAdded': {
      const { intervention } = event.data;
      return changeDraft(
        plan,
        (c) => ({ ...c, interventions: [...c.interventions, intervention] }),
        ['interventions', 'added', intervention.interventionId],
      );
    }
    case 'InterventionDiscontinued': {
      const { interventionId } = event.data;
      return changeDraft(
        plan,
        (c) => ({
          ...c,
          interventions: replace(
            c.interventions,
            (intervention) => intervention.interventionId === interventionId,
            (intervention) => ({ ...intervention, status: 'discontinued' }),
          ),
        }),
        ['interventions', 'removed', interventionId],
      );
    }
    case 'AssessmentRecorded': {
      const { assessmentId, instrument, total, band, safetyFlag, assessedAt } = event.data;
      return { ...plan, assessments: [...plan.assessments, { assessmentId, instrument, total, band, safetyFlag, assessedAt }] };
    }
    case 'SymptomsChanged':
      return addTrigger(plan, 'SymptomsChanged', event.data.assessmentId, event.data.occurredAt);
    case 'LifeEventReported': {
      const { lifeEventId, category, impact, occurredOn, reportedAt } = event.data;
      const reported = { ...plan, lifeEvents: [...plan.lifeEvents, { lifeEventId, category, impact, occurredOn, reportedAt }] };
      return addTrigger(reported, 'LifeEventReported', lifeEventId, reportedAt);
    }
    case 'RevisionSignaturesVoided':
      return plan.draft ? { ...plan, draft: { ...plan.draft, attestations: [] } } : plan;
    case 'PlanSigned': {
      const { signerRole: role, signerId, signedAt, method } = event.data;
      // Stryker disable next-line ConditionalExpression: a signature is decided only on an open draft (openDraft)
      if (!plan.draft) return plan;
      return {
        ...plan,
        draft: { ...plan.draft, attestations: [...plan.draft.attestations, { signerRole: role, signerId, signedAt, method }] },
      };
    }
    case 'PlanRevised': {
      const { data } = event;
      const answered = (trigger: TriggerRecord) =>
        data.triggersAnswered.some((ref) => ref.type === trigger.type && ref.id === trigger.id);
      return {
        ...plan,
        inEffect: data.plan,
        revisionInEffect: data.revision,
        draft: null,
        revisions: [
          ...plan.revisions,
          {
            revision: data.revision,
            reason: data.reason,
            note: data.note,
            triggersAnswered: data.triggersAnswered,
            changes: data.changes,
            attestations: data.attestations,
            effectiveAt: data.revisedAt,
          },
        ],
        triggers: plan.triggers.map((trigger) =>
          answered(trigger) ? { ...trigger, answeredInRevision: data.revision } : trigger,
        ),
      };
    }
    case 'PlanClosed': {
      const { reason, note, closedAt, by } = event.data;
      return { ...plan, status: 'closed', draft: null, closure: { reason, note, closedAt, closedBy: by } };
    }
    default: {
      // An event type this build does not know (written by a newer one) changes nothing here.
      const unknown: never = event;
      void unknown;
      return plan;
    }
  }
};
