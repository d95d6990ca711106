import type {
  AuthorizationCheckCompletedV1,
  CHECK_CAUSES,
  ClinicianCredential,
  InstrumentCode,
  PAYER_DECISIONS,
  PlanRevisedV1,
  REAUTHORIZATION_PRIORITIES,
  REVIEW_REASONS,
  SIGNER_ROLES,
} from '@golden-loop/contracts';
import type { Bundle } from '@medplum/fhirtypes';

// The events of one plan's readiness stream (stream id = plan id). The *Noted events are what billing learnt from
// the public plan and review topics (ids, codes, dates: the public payloads are lean); the rest are its own facts.
// `sourceEventId` is the public event's ce_id: PlanRevised and ReviewTaskCompleted name earlier events by it.

export type Event<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

export type Finding = AuthorizationCheckCompletedV1['findings'][number];
export type CheckOutcome = AuthorizationCheckCompletedV1['outcome'];
export type CheckCause = (typeof CHECK_CAUSES)[number];
export type SignerRole = (typeof SIGNER_ROLES)[number];
export type RevisedPlan = PlanRevisedV1['revisedPlan'];
export type Diagnosis = RevisedPlan['diagnoses'][number];
export type ReauthorizationPriority = (typeof REAUTHORIZATION_PRIORITIES)[number];
export type PayerDecision = (typeof PAYER_DECISIONS)[number];
export type ReviewReason = (typeof REVIEW_REASONS)[number];
export type ClinicalChangeKind = 'symptoms_changed' | 'goal_met' | 'objective_met' | 'life_event';

export type PlanOpenedNoted = Event<
  'PlanOpenedNoted',
  { planId: string; sourceEventId: string; clientId: string; clinicianId: string; payerId: string | null; revision: number; diagnoses: readonly Diagnosis[]; openedAt: string }
>;

export type PlanSignatureNoted = Event<
  'PlanSignatureNoted',
  { sourceEventId: string; revision: number; signerRole: SignerRole; signerId: string; signedAt: string }
>;

export type PlanRevisionNoted = Event<
  'PlanRevisionNoted',
  { sourceEventId: string; revision: number; reason: PlanRevisedV1['reason']; triggersAnswered: readonly string[]; plan: RevisedPlan; revisedAt: string }
>;

export type AssessmentNoted = Event<
  'AssessmentNoted',
  { sourceEventId: string; assessmentId: string; instrument: InstrumentCode; score: number; band: string; safetyFlag: boolean; assessedAt: string }
>;

/** A meaningful clinical change (docs/clinical-rules.md, rule 6): the plan needs a revision that answers it. */
export type ClinicalChangeNoted = Event<
  'ClinicalChangeNoted',
  { sourceEventId: string; kind: ClinicalChangeKind; occurredAt: string; goalId?: string; objectiveId?: string; assessmentId?: string }
>;

export type PlanClosedNoted = Event<'PlanClosedNoted', { sourceEventId: string; reason: string; closedAt: string }>;

export type ReviewTaskNoted = Event<
  'ReviewTaskNoted',
  {
    sourceEventId: string;
    taskId: string;
    status: 'open' | 'overdue' | 'completed';
    reasons: readonly ReviewReason[];
    triggeredBy: readonly string[];
    dueAt: string;
    at: string;
  }
>;

export type ReadinessChecked = Event<
  'ReadinessChecked',
  {
    planId: string;
    checkId: string;
    payerId: string;
    ruleSetId: string;
    ruleSetVersion: number;
    ruleSetHash: string;
    cause: CheckCause;
    triggeredBy: string | null;
    outcome: CheckOutcome;
    findings: readonly Finding[];
    checkedAt: string;
    nextCheckAt: string | null;
  }
>;

export type AuthorizationRecorded = Event<
  'AuthorizationRecorded',
  {
    planId: string;
    authorizationId: string;
    authorizationNumber: string;
    payerId: string;
    serviceCodes: readonly string[];
    sessionsAuthorized: number;
    startsOn: string;
    endsOn: string;
    requestId: string | null;
    recordedAt: string;
    by: string;
  }
>;

export type SessionRecorded = Event<
  'SessionRecorded',
  { planId: string; sessionId: string; dateOfService: string; serviceCode: string; minutes: number; authorizationId: string | null; recordedAt: string; by: string }
>;

export type ReauthorizationRequested = Event<
  'ReauthorizationRequested',
  {
    planId: string;
    requestId: string;
    payerId: string;
    authorizationId: string | null;
    priority: ReauthorizationPriority;
    serviceCodes: readonly string[];
    sessionsRequested: number;
    submittedAt: string;
    decisionDueAt: string;
    /** The Da Vinci PAS request as submitted (stays in this service: it is what the payer was sent). */
    bundle: Bundle;
    by: string;
  }
>;

export type ReauthorizationDecided = Event<
  'ReauthorizationDecided',
  {
    planId: string;
    payerId: string;
    requestId: string;
    decision: PayerDecision;
    sessionsRequested: number;
    sessionsApproved: number;
    authorizationId: string | null;
    decisionDueAt: string;
    decidedAt: string;
    late: boolean;
    by: string;
  }
>;

export type ReauthorizationDecisionOverdue = Event<
  'ReauthorizationDecisionOverdue',
  { planId: string; payerId: string; requestId: string; priority: ReauthorizationPriority; submittedAt: string; decisionDueAt: string; flaggedAt: string }
>;

export type ReadinessEvent =
  | PlanOpenedNoted
  | PlanSignatureNoted
  | PlanRevisionNoted
  | AssessmentNoted
  | ClinicalChangeNoted
  | PlanClosedNoted
  | ReviewTaskNoted
  | ReadinessChecked
  | AuthorizationRecorded
  | SessionRecorded
  | ReauthorizationRequested
  | ReauthorizationDecided
  | ReauthorizationDecisionOverdue;

export type ReadinessEventType = ReadinessEvent['type'];

/** Clinician credentials as the check reads them: a snapshot for the clinicians the plan names. */
export type CredentialsOf = (clinicianId: string) => readonly ClinicianCredential[] | undefined;
