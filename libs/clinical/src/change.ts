import {
  INSTRUMENTS,
  bandFor,
  isAtOrAboveCaseness,
  isReliableChange,
  mostSevereBand,
  type InstrumentCode,
  type SeverityBand,
} from './instruments';
import { networkPolicy, type NetworkPolicy } from './policy';

/** An earlier score on the same instrument, with when it was taken (ISO-8601). */
export interface DatedScore {
  readonly instrument: InstrumentCode;
  readonly total: number;
  readonly safetyFlag: boolean;
  readonly at: string;
  /**
   * `at` in epoch milliseconds, when the caller already has it parsed: the course rules scan the whole history on
   * every new score, and a plan in long treatment holds thousands of scores.
   */
  readonly time?: number;
}

/** The score being judged (a ScoredAssessment fits). */
export interface CurrentScore {
  readonly instrument: InstrumentCode;
  readonly total: number;
  readonly safetyFlag: boolean;
}

export interface ChangeInput {
  readonly current: CurrentScore;
  /** When the current score was taken (ISO-8601). */
  readonly at: string;
  /** The score just before this one on the same instrument; null (or absent with an empty history) for the first. */
  readonly previous?: DatedScore | null;
  /** The first score on this instrument in this episode; defaults to the oldest in history. */
  readonly baseline?: DatedScore | null;
  /** Every earlier score on this instrument, oldest first (baseline and previous included). */
  readonly history?: readonly DatedScore[];
  /**
   * Scores on this instrument already recorded but administered after the current one (a score entered late).
   * When there are any, the current score is not the latest and the rules about the course up to now
   * (non-response, plateau) are left to the latest score (docs/clinical-dates.md, "A score entered late").
   */
  readonly later?: readonly DatedScore[];
  /** When treatment began (ISO-8601); without it non-response is not judged. */
  readonly treatmentStartedAt?: string | null;
  readonly policy?: Partial<NetworkPolicy>;
}

export type ChangeDirection = 'worsened' | 'improved' | 'unchanged';
export type ChangeReason = 'reliable_change' | 'band_change' | 'safety_flag' | 'non_response' | 'plateau';
export type ChangeUrgency = 'routine' | 'urgent';

export const CHANGE_REASONS: readonly ChangeReason[] = [
  'reliable_change',
  'band_change',
  'safety_flag',
  'non_response',
  'plateau',
];

export interface MeaningfulChange {
  readonly instrument: InstrumentCode;
  /** Null for the first-ever score (the baseline), which only a safety flag makes meaningful. */
  readonly previousScore: number | null;
  readonly newScore: number;
  readonly previousBand: SeverityBand | null;
  readonly newBand: SeverityBand;
  /** Against the previous score; null when there is none (the first-ever score), never 'unchanged' for that. */
  readonly direction: ChangeDirection | null;
  /** Never empty, in the order of CHANGE_REASONS. */
  readonly reasons: readonly ChangeReason[];
  readonly urgency: ChangeUrgency;
}

/** Inputs that cannot describe one client's series on one instrument: a caller's mistake, not a clinical fact. */
export class ChangeInputInconsistent extends Error {
  readonly code = 'change_input_inconsistent';
  constructor(readonly field: string, reason: string) {
    super(reason);
    this.name = 'ChangeInputInconsistent';
  }
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

const weeksBetween = (from: number, to: number): number => (to - from) / WEEK_MS;

/** A score of the series with its time parsed once (epoch ms): the rules below scan the series on every new score. */
interface Point {
  readonly total: number;
  readonly time: number;
}

const pointOf = (score: { readonly total: number; readonly at: string; readonly time?: number }): Point => ({ total: score.total, time: score.time ?? Date.parse(score.at) });

/**
 * Plateau at the last point of a series: the last N assessments span at least the policy's weeks, no two of them
 * differ reliably, and the latest is still at or above caseness (docs/clinical-rules.md, "Plateau"; Medicare's "no reasonable
 * expectation of improvement" means a plateau must prompt a review).
 */
const plateauEndsAt = (
  instrument: InstrumentCode,
  series: readonly Point[],
  index: number,
  policy: NetworkPolicy,
): boolean => {
  const size = policy.plateauAssessments;
  if (size < 2 || index + 1 < size) return false;
  const first = series[index + 1 - size];
  const last = series[index];
  if (!(weeksBetween(first.time, last.time) >= policy.plateauMinimumWeeks)) return false;
  let lowest = Infinity;
  let highest = -Infinity;
  for (let at = index + 1 - size; at <= index; at++) {
    lowest = Math.min(lowest, series[at].total);
    highest = Math.max(highest, series[at].total);
  }
  if (isReliableChange(instrument, lowest, highest)) return false;
  return isAtOrAboveCaseness(instrument, last.total);
};

/**
 * A plateau is reported once per window: a later plateau is reported again only when its window shares no
 * assessment with the last reported one. A persisting plateau therefore prompts a fresh review every N
 * assessments instead of at every assessment (which would reopen the same review again and again).
 */
const plateauReportedAtLast = (instrument: InstrumentCode, series: readonly Point[], policy: NetworkPolicy): boolean => {
  let lastReported = -Infinity;
  for (let index = 0; index < series.length; index++) {
    if (plateauEndsAt(instrument, series, index, policy) && index + 1 - policy.plateauAssessments > lastReported) {
      lastReported = index;
    }
  }
  return lastReported === series.length - 1;
};

/**
 * Non-response: less than the instrument's response reduction (50 %) from baseline at or after the policy's weeks
 * of treatment (collaborative care reviews non-responders at weeks 8-12). Judged only for a baseline at or above
 * caseness (someone who started below caseness cannot "respond"), and never for the baseline itself.
 */
const nonResponseAt = (
  instrument: InstrumentCode,
  baseline: { readonly total: number },
  point: Point,
  treatmentStarted: number,
  policy: NetworkPolicy,
): boolean =>
  isAtOrAboveCaseness(instrument, baseline.total) &&
  weeksBetween(treatmentStarted, point.time) >= policy.nonResponseAfterWeeks &&
  (baseline.total - point.total) / baseline.total < INSTRUMENTS[instrument].responseReduction;

/**
 * Whether a new score is a meaningful clinical change (docs/clinical-rules.md, "What counts as a meaningful clinical change"),
 * and if so what it is. Returns null for noise.
 *
 * - The first-ever score is the baseline: there is nothing to compare, so only a safety flag (urgent) is reported,
 *   with no direction (null: "no previous score", not "unchanged").
 * - Scores are compared in the order they were administered: previous, baseline and history are the scores given
 *   before the current one, `later` those given after it. A score entered late is judged against the score before
 *   it on reliable change, band move and safety flag; non-response and plateau describe the course up to the
 *   latest score and are judged only there (docs/clinical-dates.md).
 * - Reliable change (>= the instrument's threshold) and band moves are judged against the previous score.
 * - A safety flag is reported only when new: the previous score had none.
 * - Non-response is reported once per series: at the first post-baseline assessment where it holds. Later
 *   non-responding assessments do not repeat it (the review it prompted is already open or done); they still
 *   report reliable changes, band moves and plateaus. A new treatment episode (a new series) re-arms it.
 * - Plateau: see plateauReportedAtLast.
 * - Urgency is urgent for a new safety flag, and for a reliable worsening that ends in the instrument's most
 *   severe band (PHQ-9 20-27, GAD-7 15-21): Kroenke & Spitzer 2002 advise immediate treatment and expedited
 *   referral at severe depression, which a routine review cadence would delay. Everything else is routine.
 */
export const assessChange = (input: ChangeInput): MeaningfulChange | null => {
  const { current, at } = input;
  const instrument = current.instrument;
  const policy = networkPolicy(input.policy);
  const history = input.history ?? [];
  const later = input.later ?? [];
  for (const [name, scores] of [
    ['history', history],
    ['later', later],
  ] as const) {
    for (let index = 0; index < scores.length; index++) {
      const other = scores[index];
      if (other.instrument !== instrument) {
        throw new ChangeInputInconsistent(
          `${name}[${index}]`,
          `A ${other.instrument} score cannot be compared with a ${instrument} score.`,
        );
      }
    }
  }
  const previous = input.previous === undefined ? (history[history.length - 1] ?? null) : input.previous;
  const baseline = input.baseline ?? history[0] ?? previous;
  for (const [field, score] of [
    ['previous', previous],
    ['baseline', baseline],
  ] as const) {
    if (score && score.instrument !== instrument) {
      throw new ChangeInputInconsistent(field, `A ${score.instrument} score cannot be compared with a ${instrument} score.`);
    }
  }
  const newBand = bandFor(instrument, current.total);

  if (!previous) {
    if (!current.safetyFlag) return null;
    return {
      instrument,
      previousScore: null,
      newScore: current.total,
      previousBand: null,
      newBand,
      direction: null,
      reasons: ['safety_flag'],
      urgency: 'urgent',
    };
  }

  const previousBand = bandFor(instrument, previous.total);
  const delta = current.total - previous.total;
  const direction: ChangeDirection = delta > 0 ? 'worsened' : delta < 0 ? 'improved' : 'unchanged';
  const reliable = isReliableChange(instrument, previous.total, current.total);
  const latest = later.length === 0;
  const series: Point[] = [...(history.length > 0 ? history : [previous]).map(pointOf), pointOf({ total: current.total, at })];
  const treatmentStarted = input.treatmentStartedAt ? Date.parse(input.treatmentStartedAt) : null;
  const nonResponse =
    latest &&
    !!baseline &&
    treatmentStarted !== null &&
    nonResponseAt(instrument, baseline, series[series.length - 1], treatmentStarted, policy) &&
    !series.slice(1, -1).some((point) => nonResponseAt(instrument, baseline, point, treatmentStarted, policy));

  const present: Record<ChangeReason, boolean> = {
    reliable_change: reliable,
    band_change: newBand !== previousBand,
    safety_flag: current.safetyFlag && !previous.safetyFlag,
    non_response: nonResponse,
    plateau: latest && plateauReportedAtLast(instrument, series, policy),
  };
  const reasons = CHANGE_REASONS.filter((reason) => present[reason]);
  if (reasons.length === 0) return null;

  const urgent =
    present.safety_flag || (reliable && direction === 'worsened' && newBand === mostSevereBand(instrument));
  return {
    instrument,
    previousScore: previous.total,
    newScore: current.total,
    previousBand,
    newBand,
    direction,
    reasons,
    urgency: urgent ? 'urgent' : 'routine',
  };
};
