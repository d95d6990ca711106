import type {
  ChangeDirection,
  ChangeReason,
  ChangeUrgency,
  InstrumentCode,
  SeverityBand,
} from '@golden-loop/clinical';
import type {
  Attestation,
  ClosureReason,
  Diagnosis,
  Goal,
  Impairment,
  Intervention,
  LifeEventCategory,
  LifeEventImpact,
  Objective,
  ObjectiveMeasure,
  PlanContent,
  ProblemLink,
  RevisionChanges,
  RevisionReason,
  ServiceDetails,
  SignatureMethod,
  SignerRole,
  Symptom,
  TriggerRef,
} from './plan-content';

// The plan's own events, as stored in its event store stream. They are rich (the client's words, notes) and
// self-contained: each carries what a reader needs without replaying the stream, so the integration layer
// can map each one to a lean public event (libs/contracts) on its own. Times are ISO-8601; `by` is the acting user.

export type Event<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

/** Opening a plan drafts its first revision: the plan is in effect once client and clinician sign revision 1. */
export type PlanOpened = Event<
  'PlanOpened',
  {
    planId: string;
    clientId: string;
    clinicianId: string;
    payerId: string | null;
    revision: 1;
    presentingProblem: string;
    strengths: readonly string[];
    diagnoses: readonly Diagnosis[];
    symptoms: readonly Symptom[];
    impairments: readonly Impairment[];
    service: ServiceDetails;
    openedAt: string;
    by: string;
  }
>;

export type RevisionProposed = Event<
  'RevisionProposed',
  {
    planId: string;
    revision: number;
    reason: RevisionReason;
    note: string | null;
    triggers: readonly TriggerRef[];
    proposedAt: string;
    by: string;
  }
>;

export type RevisionWithdrawn = Event<
  'RevisionWithdrawn',
  { planId: string; revision: number; note: string | null; withdrawnAt: string; by: string }
>;

type InRevision<Data> = Data & { planId: string; revision: number; by: string };

export type DiagnosisAdded = Event<'DiagnosisAdded', InRevision<{ diagnosis: Diagnosis; addedAt: string }>>;
export type DiagnosisRemoved = Event<'DiagnosisRemoved', InRevision<{ code: string; removedAt: string }>>;
export type PrimaryDiagnosisChanged = Event<
  'PrimaryDiagnosisChanged',
  InRevision<{ previousCode: string; code: string; changedAt: string }>
>;
export type SymptomAdded = Event<'SymptomAdded', InRevision<{ symptom: Symptom; addedAt: string }>>;
export type SymptomRemoved = Event<
  'SymptomRemoved',
  InRevision<{ symptomId: string; diagnosisCode: string; removedAt: string }>
>;
export type ImpairmentAdded = Event<'ImpairmentAdded', InRevision<{ impairment: Impairment; addedAt: string }>>;
export type ImpairmentRemoved = Event<
  'ImpairmentRemoved',
  InRevision<{ impairmentId: string; diagnosisCode: string; removedAt: string }>
>;
export type ServiceChanged = Event<'ServiceChanged', InRevision<{ service: ServiceDetails; changedAt: string }>>;

/** `diagnosisCodes`: the diagnoses the goal traces back to, directly or through a symptom or impairment. */
export type GoalAdded = Event<
  'GoalAdded',
  InRevision<{ goal: Goal; diagnosisCodes: readonly string[]; addedAt: string }>
>;
export type GoalRevised = Event<
  'GoalRevised',
  InRevision<{
    goalId: string;
    clientGoal: string;
    clinicalGoal: string;
    addresses: readonly ProblemLink[];
    diagnosisCodes: readonly string[];
    revisedAt: string;
  }>
>;
export type GoalDiscontinued = Event<
  'GoalDiscontinued',
  InRevision<{ goalId: string; reason: string | null; discontinuedAt: string }>
>;
/** Not part of a revision: a goal is met when it is met, and the plan then calls for an update. */
export type GoalMet = Event<'GoalMet', { planId: string; goalId: string; metAt: string; by: string }>;

export type ObjectiveAdded = Event<'ObjectiveAdded', InRevision<{ objective: Objective; addedAt: string }>>;
export type ObjectiveRevised = Event<
  'ObjectiveRevised',
  InRevision<{
    objectiveId: string;
    goalId: string;
    description: string;
    measure: ObjectiveMeasure | null;
    targetDate: string | null;
    revisedAt: string;
  }>
>;
/** `reason` is the clinician's note, or 'goal_discontinued' when it follows its goal. */
export type ObjectiveDiscontinued = Event<
  'ObjectiveDiscontinued',
  InRevision<{ objectiveId: string; goalId: string; reason: string | null; discontinuedAt: string }>
>;
export type ObjectiveMet = Event<
  'ObjectiveMet',
  { planId: string; goalId: string; objectiveId: string; metAt: string; by: string }
>;

export type InterventionAdded = Event<
  'InterventionAdded',
  InRevision<{ intervention: Intervention; addedAt: string }>
>;
/** `reason` is the clinician's note, or 'objective_discontinued' when it follows its objective. */
export type InterventionDiscontinued = Event<
  'InterventionDiscontinued',
  InRevision<{ interventionId: string; objectiveId: string; reason: string | null; discontinuedAt: string }>
>;

export type AssessmentRecorded = Event<
  'AssessmentRecorded',
  {
    planId: string;
    assessmentId: string;
    instrument: InstrumentCode;
    loinc: string;
    items: readonly number[];
    total: number;
    band: SeverityBand;
    safetyFlag: boolean;
    /** When the client completed it (the clinic's time; the event's own time is when it was recorded). */
    assessedAt: string;
    by: string;
  }
>;

/** A meaningful clinical change (libs/clinical assessChange). The previous fields are null for a first-ever score. */
export type SymptomsChanged = Event<
  'SymptomsChanged',
  {
    planId: string;
    assessmentId: string;
    previousAssessmentId: string | null;
    instrument: InstrumentCode;
    loinc: string;
    previousScore: number | null;
    newScore: number;
    previousBand: SeverityBand | null;
    newBand: SeverityBand;
    /** Null when there is no previous score; events stored before that say 'unchanged' with previousScore null. */
    direction: ChangeDirection | null;
    reasons: readonly ChangeReason[];
    urgency: ChangeUrgency;
    occurredAt: string;
  }
>;

export type LifeEventReported = Event<
  'LifeEventReported',
  {
    planId: string;
    lifeEventId: string;
    category: LifeEventCategory;
    impact: LifeEventImpact;
    occurredOn: string | null;
    description: string;
    reportedAt: string;
    by: string;
  }
>;

/** A change reached a revision someone had already signed: their signature no longer attests its content. */
export type RevisionSignaturesVoided = Event<
  'RevisionSignaturesVoided',
  { planId: string; revision: number; voided: readonly Attestation[]; voidedAt: string; by: string }
>;

export type PlanSigned = Event<
  'PlanSigned',
  {
    planId: string;
    revision: number;
    signerRole: SignerRole;
    signerId: string;
    method: SignatureMethod;
    signedAt: string;
    by: string;
  }
>;

/**
 * A revision took effect: client and clinician have both signed it. Carries the plan as now in effect, so a
 * reader (billing-readiness, a read model) needs nothing else.
 */
export type PlanRevised = Event<
  'PlanRevised',
  {
    planId: string;
    revision: number;
    reason: RevisionReason;
    note: string | null;
    triggersAnswered: readonly TriggerRef[];
    changes: RevisionChanges;
    plan: PlanContent;
    attestations: readonly Attestation[];
    revisedAt: string;
  }
>;

export type PlanClosed = Event<
  'PlanClosed',
  {
    planId: string;
    reason: ClosureReason;
    note: string | null;
    /** The revision in effect when the plan closed; null if none ever took effect. */
    lastRevision: number | null;
    /** A draft revision abandoned by the closing, if one was open. */
    withdrawnRevision: number | null;
    closedAt: string;
    by: string;
  }
>;

export type PlanEvent =
  | PlanOpened
  | RevisionProposed
  | RevisionWithdrawn
  | DiagnosisAdded
  | DiagnosisRemoved
  | PrimaryDiagnosisChanged
  | SymptomAdded
  | SymptomRemoved
  | ImpairmentAdded
  | ImpairmentRemoved
  | ServiceChanged
  | GoalAdded
  | GoalRevised
  | GoalDiscontinued
  | GoalMet
  | ObjectiveAdded
  | ObjectiveRevised
  | ObjectiveDiscontinued
  | ObjectiveMet
  | InterventionAdded
  | InterventionDiscontinued
  | AssessmentRecorded
  | SymptomsChanged
  | LifeEventReported
  | RevisionSignaturesVoided
  | PlanSigned
  | PlanRevised
  | PlanClosed;

export type PlanEventType = PlanEvent['type'];

// A record, so the compiler insists on every event type.
const eventTypes: Readonly<Record<PlanEventType, true>> = {
  PlanOpened: true,
  RevisionProposed: true,
  RevisionWithdrawn: true,
  DiagnosisAdded: true,
  DiagnosisRemoved: true,
  PrimaryDiagnosisChanged: true,
  SymptomAdded: true,
  SymptomRemoved: true,
  ImpairmentAdded: true,
  ImpairmentRemoved: true,
  ServiceChanged: true,
  GoalAdded: true,
  GoalRevised: true,
  GoalDiscontinued: true,
  GoalMet: true,
  ObjectiveAdded: true,
  ObjectiveRevised: true,
  ObjectiveDiscontinued: true,
  ObjectiveMet: true,
  InterventionAdded: true,
  InterventionDiscontinued: true,
  AssessmentRecorded: true,
  SymptomsChanged: true,
  LifeEventReported: true,
  RevisionSignaturesVoided: true,
  PlanSigned: true,
  PlanRevised: true,
  PlanClosed: true,
};

/** Every event type this aggregate stores (an event store upcaster map or a projection can check against it). */
export const PLAN_EVENT_TYPES = Object.keys(eventTypes) as readonly PlanEventType[];
