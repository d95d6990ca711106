import { PLAN_COLLECTION_LIMITS } from '@golden-loop/contracts';

// Every limit of the plan, named once (docs/input-limits.md, "The plan's own limits"). The request DTOs import these
// (ArrayMaxSize, MaxLength), so the edge and the domain say the same thing; the collection limits the public events
// carry come from libs/contracts, so the plan never holds what its PlanRevised could not publish.

/** The most items of each kind one revision holds, or one request lists. */
export const PLAN_LIMITS = {
  ...PLAN_COLLECTION_LIMITS,
  symptoms: 50,
  impairments: 50,
  strengths: 20,
  /** Events one revision says it answers. */
  triggersPerRevision: 50,
  /** Diagnoses, symptoms and impairments one goal addresses. */
  linksPerGoal: 20,
} as const;

/** The longest text of each field, in UTF-16 code units (as JavaScript and class-validator count). */
export const TEXT_LIMITS = {
  presentingProblem: 4000,
  /** Notes of a revision, a withdrawal or a discharge, and the reason something is discontinued. */
  note: 4000,
  lifeEvent: 4000,
  /** The client goal and the clinical goal, each. */
  goal: 2000,
  objective: 2000,
  intervention: 2000,
  /** A symptom or a functional impairment. */
  problem: 1000,
  diagnosis: 500,
  strength: 500,
  /** What a behavioural measure counts. */
  measure: 500,
  /** An ICD-10-CM code as typed (the domain reads it into its canonical form of at most 8 characters). */
  diagnosisCode: 10,
} as const;

/** How far dates may lie from the day a command is decided. */
export const DATE_LIMITS = {
  /** An objective's target date: not before the plan opened, and at most this many years ahead (treatment plans run 1-520 weeks). */
  targetYearsAhead: 10,
  /** A life event: not in the future, and at most this many years back (a lifetime). */
  lifeEventYearsBack: 120,
  /**
   * How far ahead of the service's clock a time the clinic gives (openedAt, administeredAt, signedAt) may be: a
   * device whose clock runs a little fast is not refused, and its time is kept as the service's now. Five minutes,
   * the clock skew Kerberos tolerates by default (docs/clinical-dates.md).
   */
  clockSkewMinutes: 5,
  /** When treatment started: at most this many years back (520 weeks, the longest expected duration a plan states). */
  openedYearsBack: 10,
} as const;

/** `YYYY-MM-DD` of an instant, moved by whole years (string order is date order for four-digit years). */
export const dayOf = (instant: string, yearsLater = 0): string => {
  const day = instant.slice(0, 10);
  return `${String(Number(day.slice(0, 4)) + yearsLater).padStart(4, '0')}${day.slice(4)}`;
};
