import type { InstrumentCode, SeverityBand } from '@golden-loop/clinical';
import { NoOpenRevision, RevisionMismatch } from './errors';
import type {
  Attestation,
  ClosureReason,
  LifeEventCategory,
  LifeEventImpact,
  PlanContent,
  RevisionChanges,
  RevisionReason,
  TriggerRef,
} from './plan-content';

// The state of one plan's stream (stream id = plan id): a plan never opened, or an opened plan with the revision
// in effect, the draft revision beside it and the facts recorded on it. evolve.ts builds it from the plan's events.

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

/**
 * A score as the change rules read it (libs/clinical `DatedScore`), with its time parsed once: each new score is
 * judged against every earlier one, and a plan in long treatment holds thousands (docs/service-kit.md, "Flat command
 * cost").
 */
export interface SeriesScore {
  readonly assessmentId: string;
  readonly instrument: InstrumentCode;
  readonly total: number;
  readonly safetyFlag: boolean;
  readonly at: string;
  readonly time: number;
}

/**
 * Where a score given at `time` goes in an instrument's series: after every score given at or before it (so scores of
 * one instant keep the order they were recorded in). Usually the end; a score entered late goes further in.
 */
export const positionInSeries = (series: readonly SeriesScore[], time: number): number => {
  let position = series.length;
  while (position > 0 && series[position - 1].time > time) position -= 1;
  return position;
};

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
  /**
   * Each instrument's scores in the order they were administered (scores given at the same time in the order they
   * were recorded): what record-assessment.decide.ts judges a new score against. Derived from `assessments`.
   */
  readonly series: Readonly<Partial<Record<InstrumentCode, readonly SeriesScore[]>>>;
  readonly lifeEvents: readonly LifeEventRecord[];
  readonly triggers: readonly TriggerRecord[];
  readonly closure: Closure | null;
}

export type TreatmentPlan = NoPlan | OpenedPlan;

export const initialState = (): TreatmentPlan => ({ status: 'not_opened' });

/** The content being worked on: the draft when one is open, else the plan in effect (null only for a plan closed before revision 1 took effect). */
export const workingContent = (plan: OpenedPlan): PlanContent | null => plan.draft?.content ?? plan.inEffect;

export const isInEffect = (plan: TreatmentPlan): boolean => plan.status === 'open' && plan.inEffect !== null;

/** The draft revision a change or signature is for; refused when none is open, or when the command names another. */
export const openDraft = (plan: OpenedPlan, revision?: number): DraftRevision => {
  if (!plan.draft) {
    if (revision !== undefined) throw new RevisionMismatch(revision, null);
    throw new NoOpenRevision();
  }
  if (revision !== undefined && revision !== plan.draft.revision) throw new RevisionMismatch(revision, plan.draft.revision);
  return plan.draft;
};
