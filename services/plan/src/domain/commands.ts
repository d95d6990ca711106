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
    diagnoses: readonly { code: string; rank: DiagnosisRank; description?: string | null }[];
    symptoms: readonly { symptomId: string; diagnosisCode: string; description: string }[];
    impairments: readonly { impairmentId: string; diagnosisCode: string; description: string }[];
    service: ServiceDetails;
    /** When treatment started (RFC 3339); the command's time when absent. */
    openedAt?: string | null;
  }
>;

export type ProposeRevision = Command<
  'ProposeRevision',
  { reason: RevisionReason; note?: string; triggers: readonly TriggerRef[] }
>;

export type WithdrawRevision = Command<'WithdrawRevision', { revision: number; note?: string }>;

/** A diagnosis is added as secondary; SetPrimaryDiagnosis makes it primary. */
export type AddDiagnosis = Command<'AddDiagnosis', { code: string; description?: string | null }>;
export type RemoveDiagnosis = Command<'RemoveDiagnosis', { code: string }>;
export type SetPrimaryDiagnosis = Command<'SetPrimaryDiagnosis', { code: string }>;

export type AddSymptom = Command<'AddSymptom', { symptomId: string; diagnosisCode: string; description: string }>;
export type RemoveSymptom = Command<'RemoveSymptom', { symptomId: string }>;
export type AddImpairment = Command<
  'AddImpairment',
  { impairmentId: string; diagnosisCode: string; description: string }
>;
export type RemoveImpairment = Command<'RemoveImpairment', { impairmentId: string }>;

export type ChangeService = Command<'ChangeService', { service: ServiceDetails }>;

export type AddGoal = Command<
  'AddGoal',
  { goalId: string; clientGoal: string; clinicalGoal: string; addresses: readonly ProblemLink[] }
>;
/** Only the fields given change. */
export type ReviseGoal = Command<
  'ReviseGoal',
  { goalId: string; clientGoal?: string; clinicalGoal?: string; addresses?: readonly ProblemLink[] }
>;
export type DiscontinueGoal = Command<'DiscontinueGoal', { goalId: string; reason?: string }>;
export type MarkGoalMet = Command<'MarkGoalMet', { goalId: string }>;

export type ObjectiveMeasureInput =
  | { kind: 'instrument'; instrument: string; baseline: number; target: number }
  | { kind: 'behavioural'; description: string; unit: BehaviouralUnit; baseline: number; target: number };

export type AddObjective = Command<
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
export type ReviseObjective = Command<
  'ReviseObjective',
  { objectiveId: string; description?: string; measure?: ObjectiveMeasureInput | null; targetDate?: string | null }
>;
export type DiscontinueObjective = Command<'DiscontinueObjective', { objectiveId: string; reason?: string }>;
export type MarkObjectiveMet = Command<'MarkObjectiveMet', { objectiveId: string }>;

export type AddIntervention = Command<
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
export type DiscontinueIntervention = Command<'DiscontinueIntervention', { interventionId: string; reason?: string }>;

export type RecordAssessment = Command<
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

export type ReportLifeEvent = Command<
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

export type SignRevision = Command<
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

export type ClosePlan = Command<'ClosePlan', { reason: ClosureReason; note?: string }>;

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
