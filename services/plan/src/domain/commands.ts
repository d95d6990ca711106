import type {
  ClosureReason,
  Diagnosis,
  Frequency,
  Impairment,
  LifeEventCategory,
  LifeEventImpact,
  Modality,
  ProblemLink,
  RevisionReason,
  ServiceDetails,
  SignatureMethod,
  SignerRole,
  Symptom,
  TriggerRef,
} from './plan-content';
import type { ObjectiveMeasureInput } from './command-inputs';

// The commands the decider takes, as parsePlanCommand (parse-command.ts) reads them from what the edge gave
// (command-inputs.ts): every identifier non-empty, text trimmed with a visible character and within its length,
// codes from their vocabularies, ICD-10-CM codes in their dotted canonical form, dates and instants well formed
// (instants as UTC ISO-8601), optional text that is blank or left out as null. What the plan allows is decided.

/** The handler supplies the time and the acting user: the domain has no clock and no session. */
export interface CommandMetadata {
  /** ISO-8601 instant of the command. */
  readonly now: string;
  /** The user acting (a clinician, or a client in a client-facing app). */
  readonly userId: string;
}

export type Command<Type extends string, Data> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

export type OpenPlan = Command<
  'OpenPlan',
  {
    planId: string;
    clientId: string;
    clinicianId: string;
    /** Null when the client pays for care directly. */
    payerId: string | null;
    presentingProblem: string;
    strengths: readonly string[];
    diagnoses: readonly Diagnosis[];
    symptoms: readonly Symptom[];
    impairments: readonly Impairment[];
    service: ServiceDetails;
    /** When treatment started; null for the command's time. */
    openedAt: string | null;
  }
>;

export type ProposeRevision = Command<'ProposeRevision', { reason: RevisionReason; note: string | null; triggers: readonly TriggerRef[] }>;

export type WithdrawRevision = Command<'WithdrawRevision', { revision: number; note: string | null }>;

/** A diagnosis is added as secondary; SetPrimaryDiagnosis makes it primary. */
export type AddDiagnosis = Command<'AddDiagnosis', { code: string; description: string | null }>;
export type RemoveDiagnosis = Command<'RemoveDiagnosis', { code: string }>;
export type SetPrimaryDiagnosis = Command<'SetPrimaryDiagnosis', { code: string }>;

export type AddSymptom = Command<'AddSymptom', Symptom>;
export type RemoveSymptom = Command<'RemoveSymptom', { symptomId: string }>;
export type AddImpairment = Command<'AddImpairment', Impairment>;
export type RemoveImpairment = Command<'RemoveImpairment', { impairmentId: string }>;

export type ChangeService = Command<'ChangeService', { service: ServiceDetails }>;

/** `addresses` as given: a goal addressing nothing is refused when decided (goal_not_linked). */
export type AddGoal = Command<'AddGoal', { goalId: string; clientGoal: string; clinicalGoal: string; addresses: readonly ProblemLink[] }>;
/** Only the fields given change. */
export type ReviseGoal = Command<'ReviseGoal', { goalId: string; clientGoal?: string; clinicalGoal?: string; addresses?: readonly ProblemLink[] }>;
export type DiscontinueGoal = Command<'DiscontinueGoal', { goalId: string; reason: string | null }>;
export type MarkGoalMet = Command<'MarkGoalMet', { goalId: string }>;

/** The measure as given: whether it makes the objective measurable is decided (objective-measure.ts). */
export type AddObjective = Command<
  'AddObjective',
  { objectiveId: string; goalId: string; description: string; measure: ObjectiveMeasureInput | null; /** YYYY-MM-DD */ targetDate: string | null }
>;
/** Only the fields given change; null clears a measure or target date (an advisory follows). */
export type ReviseObjective = Command<
  'ReviseObjective',
  { objectiveId: string; description?: string; measure?: ObjectiveMeasureInput | null; targetDate?: string | null }
>;
export type DiscontinueObjective = Command<'DiscontinueObjective', { objectiveId: string; reason: string | null }>;
export type MarkObjectiveMet = Command<'MarkObjectiveMet', { objectiveId: string }>;

export type AddIntervention = Command<
  'AddIntervention',
  { interventionId: string; objectiveId: string; modality: Modality; description: string | null; frequency: Frequency }
>;
export type DiscontinueIntervention = Command<'DiscontinueIntervention', { interventionId: string; reason: string | null }>;

/** The responses as given: libs/clinical scores them (or refuses them) when the assessment is decided. */
export type RecordAssessment = Command<
  'RecordAssessment',
  { assessmentId: string; instrument: string; items: readonly number[]; declaredTotal: number | null; administeredAt: string | null }
>;

export type ReportLifeEvent = Command<
  'ReportLifeEvent',
  { lifeEventId: string; category: LifeEventCategory; impact: LifeEventImpact; /** YYYY-MM-DD */ occurredOn: string | null; description: string }
>;

export type SignRevision = Command<
  'SignRevision',
  { revision: number; signerRole: SignerRole; signerId: string; method: SignatureMethod; signedAt: string | null }
>;

export type ClosePlan = Command<'ClosePlan', { reason: ClosureReason; note: string | null }>;

export type PlanCommand =
  | OpenPlan
  | ProposeRevision
  | WithdrawRevision
  | AddDiagnosis
  | RemoveDiagnosis
  | SetPrimaryDiagnosis
  | AddSymptom
  | RemoveSymptom
  | AddImpairment
  | RemoveImpairment
  | ChangeService
  | AddGoal
  | ReviseGoal
  | DiscontinueGoal
  | MarkGoalMet
  | AddObjective
  | ReviseObjective
  | DiscontinueObjective
  | MarkObjectiveMet
  | AddIntervention
  | DiscontinueIntervention
  | RecordAssessment
  | ReportLifeEvent
  | SignRevision
  | ClosePlan;

export type PlanCommandType = PlanCommand['type'];

/** Commands that change what a revision agrees on: they need an open draft revision. */
export type RevisionChangeCommand =
  | AddDiagnosis
  | RemoveDiagnosis
  | SetPrimaryDiagnosis
  | AddSymptom
  | RemoveSymptom
  | AddImpairment
  | RemoveImpairment
  | ChangeService
  | AddGoal
  | ReviseGoal
  | DiscontinueGoal
  | AddObjective
  | ReviseObjective
  | DiscontinueObjective
  | AddIntervention
  | DiscontinueIntervention;
