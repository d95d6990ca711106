import { DateOutOfRange } from './errors';
import { DATE_LIMITS, dayOf } from './plan-limits';

// The dates and times a plan can hold, decided against the command's time and the plan's opening
// (docs/clinical-dates.md). Their form was read when the command was parsed (field-rules.ts: calendarDate, instant).

/** How the refusals name each time the clinic gives, when it is parsed and when it is decided alike. */
export const CLINIC_TIMES = {
  openedAt: 'The start of treatment',
  administeredAt: 'The time the assessment was administered',
  signedAt: 'The signature',
} as const;

/**
 * An objective's target date: not before the plan opened (a target before treatment began is a typing mistake) and
 * at most DATE_LIMITS.targetYearsAhead years after today.
 */
export const targetDate = (field: string, date: string, plan: { readonly openedAt: string }, now: string): string => {
  const opened = dayOf(plan.openedAt);
  const latest = dayOf(now, DATE_LIMITS.targetYearsAhead);
  if (date < opened) throw new DateOutOfRange(field, `The target date ${date} is before the plan opened (${opened}).`);
  if (date > latest) {
    throw new DateOutOfRange(field, `The target date ${date} is more than ${DATE_LIMITS.targetYearsAhead} years ahead; the latest is ${latest}.`);
  }
  return date;
};

/** When a life event happened: not in the future, at most DATE_LIMITS.lifeEventYearsBack years ago. */
export const lifeEventDate = (field: string, date: string, now: string): string => {
  const today = dayOf(now);
  const earliest = dayOf(now, -DATE_LIMITS.lifeEventYearsBack);
  if (date > today) throw new DateOutOfRange(field, 'A life event is reported once it has happened; the date is in the future.');
  if (date < earliest) {
    throw new DateOutOfRange(field, `The date ${date} is more than ${DATE_LIMITS.lifeEventYearsBack} years ago; the earliest is ${earliest}.`);
  }
  return date;
};

const MINUTE_MS = 60_000;

/**
 * A time the clinic gives for something already done (treatment started, an instrument administered, a signature
 * given), as parsed (UTC ISO-8601, so that string order is time order). Refused when it is in the future beyond
 * DATE_LIMITS.clockSkewMinutes (within it, it is taken as now), or before `earliest`.
 */
export const clinicInstant = (
  field: string,
  given: string,
  now: string,
  what: string,
  earliest?: { readonly at: string; readonly reason: (given: string) => string },
): string => {
  const time = Date.parse(given);
  const current = Date.parse(now);
  if (time > current + DATE_LIMITS.clockSkewMinutes * MINUTE_MS) {
    throw new DateOutOfRange(
      field,
      `${what} (${given}) is in the future; it can be at most ${DATE_LIMITS.clockSkewMinutes} minutes ahead of the service's clock (${now}).`,
    );
  }
  if (earliest && time < Date.parse(earliest.at)) throw new DateOutOfRange(field, earliest.reason(given));
  return time > current ? now : given;
};

/** When treatment started: a clinic instant at most DATE_LIMITS.openedYearsBack years ago. */
export const treatmentStart = (field: string, given: string, now: string): string => {
  const earliest = new Date(now);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - DATE_LIMITS.openedYearsBack);
  const at = earliest.toISOString();
  return clinicInstant(field, given, now, CLINIC_TIMES.openedAt, {
    at,
    reason: (time) => `${CLINIC_TIMES.openedAt} (${time}) is more than ${DATE_LIMITS.openedYearsBack} years ago; the earliest is ${at}.`,
  });
};

/** When something happened in this plan's treatment (an assessment, a signature): a clinic instant not before the plan opened. */
export const instantInTreatment = (field: string, given: string, plan: { readonly openedAt: string }, now: string, what: string): string =>
  clinicInstant(field, given, now, what, {
    at: plan.openedAt,
    reason: (time) =>
      `${what} (${time}) is before the plan opened (${plan.openedAt}): the plan records one treatment, from its start (openedAt, given when the plan is opened).`,
  });
