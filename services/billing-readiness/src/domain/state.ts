import type { InstrumentCode } from '@golden-loop/contracts';
import type {
  CheckOutcome,
  ClinicalChangeKind,
  Diagnosis,
  Finding,
  PayerDecision,
  ReauthorizationPriority,
  RevisedPlan,
  ReviewReason,
  SignerRole,
} from './events';

// What billing-readiness knows of one plan, folded from its readiness stream (evolve.ts). Everything a check reads.

export interface Signer {
  readonly signerId: string;
  readonly signedAt: string;
}

export type Signatures = Readonly<Partial<Record<SignerRole, Signer>>>;

export interface RevisionInEffect {
  readonly revision: number;
  readonly revisedAt: string;
  readonly plan: RevisedPlan;
  readonly signatures: Signatures;
}

export interface AssessmentFact {
  readonly assessmentId: string;
  readonly instrument: InstrumentCode;
  readonly score: number;
  readonly band: string;
  readonly assessedAt: string;
}

export interface PendingChange {
  readonly eventId: string;
  readonly kind: ClinicalChangeKind;
  readonly occurredAt: string;
}

export interface Progress {
  readonly goalsMet: readonly { readonly goalId: string; readonly metAt: string }[];
  readonly objectivesMet: readonly { readonly objectiveId: string; readonly goalId?: string; readonly metAt: string }[];
}

export interface ReviewTask {
  readonly taskId: string;
  readonly status: 'open' | 'overdue' | 'completed';
  readonly reasons: readonly ReviewReason[];
  readonly triggeredBy: readonly string[];
  readonly dueAt: string;
}

export interface Authorization {
  readonly authorizationId: string;
  readonly authorizationNumber: string;
  readonly payerId: string;
  readonly serviceCodes: readonly string[];
  readonly sessionsAuthorized: number;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly requestId: string | null;
  readonly recordedAt: string;
}

export interface Session {
  readonly sessionId: string;
  readonly dateOfService: string;
  readonly serviceCode: string;
  readonly minutes: number;
  readonly authorizationId: string | null;
}

export interface Reauthorization {
  readonly requestId: string;
  readonly payerId: string;
  readonly authorizationId: string | null;
  readonly priority: ReauthorizationPriority;
  readonly serviceCodes: readonly string[];
  readonly sessionsRequested: number;
  readonly submittedAt: string;
  readonly decisionDueAt: string;
  readonly status: 'submitted' | PayerDecision;
  readonly overdue: boolean;
  readonly sessionsApproved: number | null;
  readonly approvedAuthorizationId: string | null;
  readonly decidedAt: string | null;
}

export interface LastCheck {
  readonly checkId: string;
  readonly outcome: CheckOutcome;
  readonly findings: readonly Finding[];
  readonly checkedAt: string;
  readonly ruleSetId: string;
  readonly ruleSetVersion: number;
  readonly nextCheckAt: string | null;
}

export interface OpenedPlan {
  readonly clientId: string;
  readonly clinicianId: string;
  /** null: the client pays directly; nothing is checked for a payer. */
  readonly payerId: string | null;
  readonly openedAt: string;
  readonly diagnoses: readonly Diagnosis[];
}

export interface PlanReadiness {
  readonly planId: string | null;
  readonly opened: OpenedPlan | null;
  readonly closed: { readonly closedAt: string; readonly reason: string } | null;
  /** Every revision that took effect, oldest first; the last one is in effect. */
  readonly revisions: readonly RevisionInEffect[];
  /** The newest revision number heard of (drafted or being signed). */
  readonly latestRevision: number;
  /** Signatures of revisions not yet in effect. */
  readonly pendingSignatures: Readonly<Record<number, Signatures>>;
  readonly assessments: readonly AssessmentFact[];
  /** Meaningful changes since the revision in effect that no revision or completed review has answered yet. */
  readonly pendingChanges: readonly PendingChange[];
  readonly progress: Progress;
  readonly tasks: readonly ReviewTask[];
  readonly authorizations: readonly Authorization[];
  readonly sessions: readonly Session[];
  readonly reauthorizations: readonly Reauthorization[];
  readonly lastCheck: LastCheck | null;
  readonly checks: number;
}

export const initialState = (): PlanReadiness => ({
  planId: null,
  opened: null,
  closed: null,
  revisions: [],
  latestRevision: 0,
  pendingSignatures: {},
  assessments: [],
  pendingChanges: [],
  progress: { goalsMet: [], objectivesMet: [] },
  tasks: [],
  authorizations: [],
  sessions: [],
  reauthorizations: [],
  lastCheck: null,
  checks: 0,
});

export const revisionInEffect = (state: PlanReadiness): RevisionInEffect | null => state.revisions.at(-1) ?? null;

/** The revision in effect on a calendar date (UTC): the newest one that took effect on or before it. */
export const revisionInEffectOn = (state: PlanReadiness, date: string): RevisionInEffect | null =>
  [...state.revisions].reverse().find((revision) => revision.revisedAt.slice(0, 10) <= date) ?? null;

/** The clinicians a check may need credentials of: the treating clinician and every clinician signer. */
export const cliniciansOf = (state: PlanReadiness): string[] => {
  const ids = new Set<string>();
  if (state.opened) ids.add(state.opened.clinicianId);
  for (const revision of state.revisions) if (revision.signatures.clinician) ids.add(revision.signatures.clinician.signerId);
  for (const signatures of Object.values(state.pendingSignatures)) if (signatures.clinician) ids.add(signatures.clinician.signerId);
  return [...ids];
};

/** The clinician who signed the revision in effect (Medicare: the provider's signature and credentials). */
export const clinicianSignerOf = (state: PlanReadiness): string | null => revisionInEffect(state)?.signatures.clinician?.signerId ?? null;

export const sessionsUsed = (state: PlanReadiness, authorizationId: string): number =>
  state.sessions.filter((session) => session.authorizationId === authorizationId).length;
