import type { Urgency } from './events';

// Service levels and review cadence: a network's policy, not science (docs/clinical-rules.md, "Network policy is
// configuration"). The service's config class reads them from the
// environment and validates them; these defaults are docs/review-scheduling.md's.

export interface ReviewPolicy {
  /** An urgent plan-update task (safety flag, worsening into the severe band) is due this many hours after its trigger. */
  readonly urgentDueHours: number;
  /** A routine one this many days after. */
  readonly routineDueDays: number;
  /** A safety review is due by the end of the trigger's day in this IANA time zone ("same day") ... */
  readonly timeZone: string;
  /** ... but never sooner than this many hours after the flag (a flag at 23:50 is not due at midnight). */
  readonly safetyMinimumHours: number;
  /** An overdue safety review goes to the supervisor this many minutes after its due time. */
  readonly safetyEscalationGraceMinutes: number;
  /** The periodic review is due this many days after the last revision in effect (per payer below) ... */
  readonly periodicIntervalDays: number;
  readonly periodicIntervalDaysByPayer: ReadonlyMap<string, number>;
  /** ... and its task opens this many days before that date (kept below the interval). */
  readonly periodicNoticeDays: number;
}

export const DEFAULT_REVIEW_POLICY: ReviewPolicy = {
  urgentDueHours: 24,
  routineDueDays: 14,
  timeZone: 'UTC',
  safetyMinimumHours: 4,
  safetyEscalationGraceMinutes: 0,
  periodicIntervalDays: 90,
  periodicIntervalDaysByPayer: new Map(),
  periodicNoticeDays: 14,
};

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const plus = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

// Stryker disable next-line EqualityOperator: `<` is equivalent: every due time is written by toISOString, so two equal instants are the same text
export const earlier = (a: string, b: string): string => (Date.parse(a) <= Date.parse(b) ? a : b);

export const isAtOrAfter = (now: string, instant: string): boolean => Date.parse(now) >= Date.parse(instant);

/** When a plan-update task with this urgency, triggered at `from`, is due. */
export const planUpdateDueAt = (policy: ReviewPolicy, urgency: Urgency, from: string): string =>
  urgency === 'urgent' ? plus(from, policy.urgentDueHours * HOUR_MS) : plus(from, policy.routineDueDays * DAY_MS);

// Building a DateTimeFormat costs far more than using one: one per time zone, kept.
const formats = new Map<string, Intl.DateTimeFormat>();
const formatOf = (timeZone: string): Intl.DateTimeFormat => {
  let format = formats.get(timeZone);
  // Stryker disable next-line ConditionalExpression: a cache: building a new format every time gives the same parts
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // Stryker disable next-line all: a cache: not keeping the format gives the same parts
    formats.set(timeZone, format);
  }
  return format;
};

/** The UTC offset of a time zone at an instant, in milliseconds (Intl knows every IANA zone and its DST rules). */
const offsetAt = (instant: number, timeZone: string): number => {
  const parts = formatOf(timeZone).formatToParts(new Date(instant));
  // Stryker disable next-line OptionalChaining: formatToParts always yields every part the format asks for
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - (instant - (instant % 1000));
};

/** The first instant of the next calendar day in `timeZone` after `iso`: the end of that day. */
export const endOfDay = (iso: string, timeZone: string): string => {
  const instant = Date.parse(iso);
  const local = new Date(instant + offsetAt(instant, timeZone));
  const nextMidnightWall = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
  // The offset at midnight may differ from the offset now (a DST change that day): ask again at the guess.
  const guess = nextMidnightWall - offsetAt(instant, timeZone);
  return new Date(nextMidnightWall - offsetAt(guess, timeZone)).toISOString();
};

/** A safety review is due the same day (docs/clinical-rules.md, "PHQ-9 item 9: the safety flag"), with the minimum lead time. */
export const safetyReviewDueAt = (policy: ReviewPolicy, from: string): string => {
  const sameDay = endOfDay(from, policy.timeZone);
  const minimum = plus(from, policy.safetyMinimumHours * HOUR_MS);
  // Stryker disable next-line EqualityOperator: `>` is equivalent: when both are the same instant both are the same toISOString text
  return Date.parse(sameDay) >= Date.parse(minimum) ? sameDay : minimum;
};

export const escalationAt = (policy: ReviewPolicy, dueAt: string): string => plus(dueAt, policy.safetyEscalationGraceMinutes * 60 * 1000);

export const periodicIntervalDaysFor = (policy: ReviewPolicy, payerId: string | null): number =>
  // Stryker disable next-line ConditionalExpression: `false` is equivalent: the map is keyed by payer uuids, so get(null) is undefined too
  (payerId === null ? undefined : policy.periodicIntervalDaysByPayer.get(payerId)) ?? policy.periodicIntervalDays;

/** The next periodic review after `from` for the plan's payer: when it is due and when its task opens. */
export const nextPeriodicReview = (policy: ReviewPolicy, payerId: string | null, from: string) => {
  const intervalDays = periodicIntervalDaysFor(policy, payerId);
  const reviewAt = plus(from, intervalDays * DAY_MS);
  const noticeDays = Math.min(policy.periodicNoticeDays, intervalDays - 1);
  return { intervalDays, reviewAt, opensAt: plus(reviewAt, -Math.max(0, noticeDays) * DAY_MS) };
};

export const secondsBetween = (from: string, to: string): number => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
