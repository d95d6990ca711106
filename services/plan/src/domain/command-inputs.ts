import type {
  BehaviouralUnit,
  ClosureReason,
  DiagnosisRank,
  Frequency,
  LifeEventCategory,
  LifeEventImpact,
  Modality,
  ProblemLink,
  RevisionReason,
  ServiceDetails,
  SignatureMethod,
  SignerRole,
  TriggerRef,
} from './plan-content';
import type { CommandMetadata } from './commands';

// The commands as the edge states them, before parsePlanCommand (parse-command.ts) reads them into the commands the
// decider takes (commands.ts): a controller builds one from its request DTO, the import from a line of its file.
// The DTOs guarantee the shapes (strings, numbers, lists and their lengths); what a field means (an identifier, text
// with a visible character, a code of the vocabulary, an ICD-10-CM code, a date) is read at parsing, and what the
// plan allows (links, ranges, limits, duplicates) is decided.

export type CommandInput<Type extends string, Data> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

export type OpenPlanInput = CommandInput<
  'OpenPlan',
  {
    planId: string;
    clientId: string;
    clinicianId: string;
    /** Null when the client pays for care directly. */
    payerId: string | null;
    presentingProblem: string;
    strengths: readonly string[];
    diagnoses: readonly { code: string; rank: DiagnosisRank; description?: string | null }[];
    symptoms: readonly { symptomId: string; diagnosisCode: string; description: string }[];
    impairments: readonly { impairmentId: string; diagnosisCode: string; description: string }[];
    service: ServiceDetails;
    /** When treatment started (RFC 3339); the command's time when absent. */
    openedAt?: string | null;
  }
>;

export type ProposeRevisionInput = CommandInput<
  'ProposeRevision',
  { reason: RevisionReason; note?: string; triggers: readonly TriggerRef[] }
>;

export type WithdrawRevisionInput = CommandInput<'WithdrawRevision', { revision: number; note?: string }>;

/** A diagnosis is added as secondary; SetPrimaryDiagnosisInput makes it primary. */
export type AddDiagnosisInput = CommandInput<'AddDiagnosis', { code: string; description?: string | null }>;
export type RemoveDiagnosisInput = CommandInput<'RemoveDiagnosis', { code: string }>;
export type SetPrimaryDiagnosisInput = CommandInput<'SetPrimaryDiagnosis', { code: string }>;

export type AddSymptomInput = CommandInput<'AddSymptom', { symptomId: string; diagnosisCode: string; description: string }>;
export type RemoveSymptomInput = CommandInput<'RemoveSymptom', { symptomId: string }>;
export type AddImpairmentInput = CommandInput<
  'AddImpairment',
  { impairmentId: string; diagnosisCode: string; description: string }
>;
export type RemoveImpairmentInput = CommandInput<'RemoveImpairment', { impairmentId: string }>;

export type ChangeServiceInput = CommandInput<'ChangeService', { service: ServiceDetails }>;

export type AddGoalInput = CommandInput<
  'AddGoal',
  { goalId: string; clientGoal: string; clinicalGoal: string; addresses: readonly ProblemLink[] }
>;
/** Only the fields given change. */
export type ReviseGoalInput = CommandInput<
  'ReviseGoal',
  { goalId: string; clientGoal?: string; clinicalGoal?: string; addresses?: readonly ProblemLink[] }
>;
export type DiscontinueGoalInput = CommandInput<'DiscontinueGoal', { goalId: string; reason?: string }>;
export type MarkGoalMetInput = CommandInput<'MarkGoalMet', { goalId: string }>;

export type ObjectiveMeasureInput =
  | { kind: 'instrument'; instrument: string; baseline: number; target: number }
  | { kind: 'behavioural'; description: string; unit: BehaviouralUnit; baseline: number; target: number };

export type AddObjectiveInput = CommandInput<
  'AddObjective',
  {
    objectiveId: string;
    goalId: string;
    description: string;
    measure: ObjectiveMeasureInput | null;
    /** YYYY-MM-DD */
    targetDate: string | null;
  }
>;
/** Only the fields given change; null clears a measure or target date (an advisory follows). */
export type ReviseObjectiveInput = CommandInput<
  'ReviseObjective',
  { objectiveId: string; description?: string; measure?: ObjectiveMeasureInput | null; targetDate?: string | null }
>;
export type DiscontinueObjectiveInput = CommandInput<'DiscontinueObjective', { objectiveId: string; reason?: string }>;
export type MarkObjectiveMetInput = CommandInput<'MarkObjectiveMet', { objectiveId: string }>;

export type AddInterventionInput = CommandInput<
  'AddIntervention',
  {
    interventionId: string;
    objectiveId: string;
    modality: Modality;
    /** Required for modality 'other'. */
    description?: string | null;
    frequency: Frequency;
  }
>;
export type DiscontinueInterventionInput = CommandInput<'DiscontinueIntervention', { interventionId: string; reason?: string }>;

export type RecordAssessmentInput = CommandInput<
  'RecordAssessment',
  {
    assessmentId: string;
    instrument: string;
    items: readonly number[];
    declaredTotal?: number | null;
    /** When the client completed the instrument (RFC 3339); the command's time when absent. */
    administeredAt?: string | null;
  }
>;

export type ReportLifeEventInput = CommandInput<
  'ReportLifeEvent',
  {
    lifeEventId: string;
    category: LifeEventCategory;
    impact: LifeEventImpact;
    /** YYYY-MM-DD, or null when the date is not known. */
    occurredOn: string | null;
    /** What happened, in the words of whoever reported it. */
    description: string;
  }
>;

export type SignRevisionInput = CommandInput<
  'SignRevision',
  {
    revision: number;
    signerRole: SignerRole;
    signerId: string;
    method: SignatureMethod;
    /** When the signature was given (RFC 3339), e.g. on paper in session; the command's time when absent. */
    signedAt?: string | null;
  }
>;

export type ClosePlanInput = CommandInput<'ClosePlan', { reason: ClosureReason; note?: string }>;

export type PlanCommandInput =
  | OpenPlanInput
  | ProposeRevisionInput
  | WithdrawRevisionInput
  | AddDiagnosisInput
  | RemoveDiagnosisInput
  | SetPrimaryDiagnosisInput
  | AddSymptomInput
  | RemoveSymptomInput
  | AddImpairmentInput
  | RemoveImpairmentInput
  | ChangeServiceInput
  | AddGoalInput
  | ReviseGoalInput
  | DiscontinueGoalInput
  | MarkGoalMetInput
  | AddObjectiveInput
  | ReviseObjectiveInput
  | DiscontinueObjectiveInput
  | MarkObjectiveMetInput
  | AddInterventionInput
  | DiscontinueInterventionInput
  | RecordAssessmentInput
  | ReportLifeEventInput
  | SignRevisionInput
  | ClosePlanInput;
