import { INSTRUMENTS, isInstrumentCode, parseIcd10Code } from '@golden-loop/clinical';
import {
  BEHAVIOURAL_UNIT_RANGES,
  BEHAVIOURAL_UNITS,
  CLOSURE_REASONS,
  FREQUENCY_PERIODS,
  LIFE_EVENT_CATEGORIES,
  LIFE_EVENT_IMPACTS,
  MODALITIES,
  REVISION_REASONS,
  SESSION_TYPES,
  SIGNATURE_METHODS,
  SIGNER_ROLES,
  PLAN_NUMBER_RANGES,
} from '@golden-loop/contracts';
import type { ObjectiveMeasureInput } from './commands';
import { DateOutOfRange, DiagnosisCodeInvalid, FieldInvalid, ObjectiveNotMeasurable } from './errors';
import type { BehaviouralUnit, Frequency, ObjectiveMeasure, ServiceDetails, TriggerType } from './plan-content';
import { DATE_LIMITS, dayOf, TEXT_LIMITS } from './plan-limits';

// Checks on the fields of a command. Each throws a typed domain error naming the field; each returns the value
// in the form the plan keeps (trimmed text, canonical codes).

// Blank: nothing but white space and invisible formatting characters (zero-width space, BOM, ...): text that
// shows as empty is empty (docs/input-limits.md, "Text").
const BLANK = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;
const isBlank = (value: string): boolean => BLANK.test(value);

/** Text of at most `maxLength` characters (TEXT_LIMITS), with a visible character; kept trimmed. */
export const requireText = (field: string, value: unknown, what: string, maxLength: number): string => {
  if (typeof value !== 'string' || isBlank(value)) throw new FieldInvalid(field, `${what} is required.`);
  const text = value.trim();
  if (text.length > maxLength) throw new FieldInvalid(field, `${what} is longer than ${maxLength} characters.`);
  return text;
};

export const optionalText = (field: string, value: unknown, what: string, maxLength: number): string | null =>
  value === undefined || value === null || (typeof value === 'string' && isBlank(value))
    ? null
    : requireText(field, value, what, maxLength);

/** A list of at most `max` items (PLAN_LIMITS), refused before any item is looked at. */
// A guard that narrows to the element type, where Array.isArray would narrow to any[].
const isList = <T>(value: readonly T[] | undefined): value is readonly T[] => Array.isArray(value);

export const listOf = <T>(field: string, value: readonly T[] | undefined, what: string, max: number): readonly T[] => {
  if (!isList(value)) throw new FieldInvalid(field, `${what} must be a list.`);
  if (value.length > max) throw new FieldInvalid(field, `${what} can list at most ${max}; ${value.length} were given.`);
  return value;
};

export const requireId = (field: string, value: unknown): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.trim() !== value) {
    throw new FieldInvalid(field, `${field} must be a non-empty identifier.`);
  }
  return value;
};

const oneOf = <T extends string>(field: string, value: unknown, allowed: readonly T[], what: string): T => {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new FieldInvalid(field, `${what} must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
};

const integerIn = (field: string, value: unknown, min: number, max: number, what: string): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FieldInvalid(field, `${what} must be a whole number from ${min} to ${max}.`);
  }
  return value;
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export const calendarDate = (field: string, value: unknown, what: string): string => {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  const valid =
    match !== null &&
    (() => {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(0);
      date.setUTCFullYear(year, month - 1, day);
      return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    })();
  if (!valid) throw new FieldInvalid(field, `${what} must be a calendar date written YYYY-MM-DD.`);
  return value as string;
};

/**
 * An objective's target date: a calendar date not before the plan opened (a target before treatment began is a
 * typing mistake) and at most DATE_LIMITS.targetYearsAhead years after today.
 */
export const targetDate = (field: string, value: unknown, plan: { readonly openedAt: string }, now: string): string => {
  const date = calendarDate(field, value, 'The target date');
  const opened = dayOf(plan.openedAt);
  const latest = dayOf(now, DATE_LIMITS.targetYearsAhead);
  if (date < opened) throw new DateOutOfRange(field, `The target date ${date} is before the plan opened (${opened}).`);
  if (date > latest) {
    throw new DateOutOfRange(field, `The target date ${date} is more than ${DATE_LIMITS.targetYearsAhead} years ahead; the latest is ${latest}.`);
  }
  return date;
};

/** When a life event happened: a calendar date, not in the future, at most DATE_LIMITS.lifeEventYearsBack years ago. */
export const lifeEventDate = (field: string, value: unknown, now: string): string => {
  const date = calendarDate(field, value, 'The date of the life event');
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
 * given), an RFC 3339 instant (the edge checked its syntax): kept as UTC ISO-8601, so that string order is time
 * order. Refused when it is in the future beyond DATE_LIMITS.clockSkewMinutes (within it, it is taken as now), or
 * before `earliest` (docs/clinical-dates.md).
 */
export const clinicInstant = (
  field: string,
  value: unknown,
  now: string,
  what: string,
  earliest?: { readonly at: string; readonly reason: (given: string) => string },
): string => {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new FieldInvalid(field, `${what} must be an RFC 3339 date-time with its offset, such as 2026-03-01T09:30:00Z.`);
  const given = new Date(time).toISOString();
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
export const treatmentStart = (field: string, value: unknown, now: string): string => {
  const earliest = new Date(now);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - DATE_LIMITS.openedYearsBack);
  const at = earliest.toISOString();
  return clinicInstant(field, value, now, 'The start of treatment', {
    at,
    reason: (given) => `The start of treatment (${given}) is more than ${DATE_LIMITS.openedYearsBack} years ago; the earliest is ${at}.`,
  });
};

/** When something happened in this plan's treatment (an assessment, a signature): a clinic instant not before the plan opened. */
export const instantInTreatment = (field: string, value: unknown, plan: { readonly openedAt: string }, now: string, what: string): string =>
  clinicInstant(field, value, now, what, {
    at: plan.openedAt,
    reason: (given) =>
      `${what} (${given}) is before the plan opened (${plan.openedAt}): the plan records one treatment, from its start (openedAt, given when the plan is opened).`,
  });

export const diagnosisCode = (field: string, value: unknown): string => {
  const parsed = parseIcd10Code(value);
  if (!parsed.ok) throw new DiagnosisCodeInvalid(field, parsed.reason);
  return parsed.value.code;
};

// Bounds follow the public contract (libs/contracts vocabulary), so every stored event can be published.
const { frequencyCount, sessionMinutes, expectedDurationWeeks } = PLAN_NUMBER_RANGES;

export const frequency = (field: string, value: unknown): Frequency => {
  const given = (value ?? {}) as Partial<Frequency>;
  return {
    count: integerIn(`${field}.count`, given.count, frequencyCount.min, frequencyCount.max, 'The number of sessions'),
    per: oneOf(`${field}.per`, given.per, FREQUENCY_PERIODS, 'The frequency period'),
  };
};

export const serviceDetails = (field: string, value: unknown): ServiceDetails => {
  const given = (value ?? {}) as Partial<ServiceDetails>;
  return {
    sessionType: oneOf(`${field}.sessionType`, given.sessionType, SESSION_TYPES, 'The treatment type'),
    sessionMinutes: integerIn(`${field}.sessionMinutes`, given.sessionMinutes, sessionMinutes.min, sessionMinutes.max, 'The session length in minutes'),
    frequency: frequency(`${field}.frequency`, given.frequency),
    expectedDurationWeeks: integerIn(
      `${field}.expectedDurationWeeks`,
      given.expectedDurationWeeks,
      expectedDurationWeeks.min,
      expectedDurationWeeks.max,
      'The expected duration in weeks',
    ),
  };
};

export const modality = (field: string, value: unknown) => oneOf(field, value, MODALITIES, 'The modality');
export const revisionReason = (field: string, value: unknown) =>
  oneOf(field, value, REVISION_REASONS, 'The reason for the revision');
export const lifeEventCategory = (field: string, value: unknown) =>
  oneOf(field, value, LIFE_EVENT_CATEGORIES, 'The life-event category');

export const lifeEventImpact = (field: string, value: unknown) => oneOf(field, value, LIFE_EVENT_IMPACTS, 'The impact');

export const signatureMethod = (field: string, value: unknown) =>
  oneOf(field, value, SIGNATURE_METHODS, 'The signature method');

export const signerRole = (field: string, value: unknown) =>
  oneOf(field, value, SIGNER_ROLES, 'The signer role');

export const closureReason = (field: string, value: unknown) =>
  oneOf(field, value, CLOSURE_REASONS, 'The discharge reason');

export const TRIGGER_TYPES = ['SymptomsChanged', 'GoalMet', 'ObjectiveMet', 'LifeEventReported'] as const satisfies readonly TriggerType[];
export const triggerType = (field: string, value: unknown) => oneOf(field, value, TRIGGER_TYPES, 'The trigger type');

const UNIT_WORDS: Readonly<Record<BehaviouralUnit, string>> = {
  count_per_day: 'times a day',
  count_per_week: 'times a week',
  days_per_week: 'days a week',
  minutes_per_day: 'minutes a day',
  hours_per_night: 'hours a night',
  rating_0_10: 'on the 0-10 rating',
  percent: 'percent',
};

export const linkKind = (field: string, value: unknown) =>
  oneOf(field, value, ['diagnosis', 'symptom', 'impairment'] as const, 'What the goal addresses');

/**
 * A measure makes an objective measurable (docs/clinical-rules.md, rule 7): a standardized instrument with a baseline and a
 * target total inside its range, the target lower (both instruments score symptoms: lower is better); or a
 * behavioural measure with a coded unit, a baseline and a different target.
 */
export const objectiveMeasure = (field: string, value: ObjectiveMeasureInput): ObjectiveMeasure => {
  const kind: unknown = (value as { kind?: unknown }).kind;
  if (kind === 'instrument') {
    const { instrument, baseline, target } = value as Extract<ObjectiveMeasureInput, { kind: 'instrument' }>;
    if (!isInstrumentCode(instrument)) {
      throw new ObjectiveNotMeasurable(`${field}.instrument`, `The instrument must be one of ${Object.keys(INSTRUMENTS).join(', ')}.`);
    }
    const definition = INSTRUMENTS[instrument];
    const total = (name: 'baseline' | 'target', score: unknown) => {
      if (typeof score !== 'number' || !Number.isInteger(score) || score < definition.totalMin || score > definition.totalMax) {
        throw new ObjectiveNotMeasurable(
          `${field}.${name}`,
          `The ${name} must be a ${instrument} total from ${definition.totalMin} to ${definition.totalMax}.`,
        );
      }
      return score;
    };
    const measure = { baseline: total('baseline', baseline), target: total('target', target) };
    if (measure.target >= measure.baseline) {
      throw new ObjectiveNotMeasurable(
        `${field}.target`,
        `A ${instrument} target must be lower than the baseline: a lower total means fewer symptoms.`,
      );
    }
    return { kind: 'instrument', instrument, loinc: definition.loinc, ...measure };
  }
  if (kind === 'behavioural') {
    const { description, unit, baseline, target } = value as Extract<ObjectiveMeasureInput, { kind: 'behavioural' }>;
    if (typeof unit !== 'string' || !(BEHAVIOURAL_UNITS as readonly string[]).includes(unit)) {
      throw new ObjectiveNotMeasurable(`${field}.unit`, `The unit must be one of ${BEHAVIOURAL_UNITS.join(', ')}.`);
    }
    // Each unit has its range (libs/contracts BEHAVIOURAL_UNIT_RANGES): 7 days a week, 100 percent, ...
    const range = BEHAVIOURAL_UNIT_RANGES[unit];
    const amount = (name: 'baseline' | 'target', number: unknown) => {
      if (typeof number !== 'number' || !Number.isFinite(number) || number < range.min || number > range.max) {
        throw new ObjectiveNotMeasurable(`${field}.${name}`, `The ${name} must be a number from ${range.min} to ${range.max} ${UNIT_WORDS[unit]}.`);
      }
      return number;
    };
    if (typeof description !== 'string' || isBlank(description)) {
      throw new ObjectiveNotMeasurable(`${field}.description`, 'Say what the behavioural measure counts.');
    }
    const measure = { baseline: amount('baseline', baseline), target: amount('target', target) };
    if (measure.target === measure.baseline) {
      throw new ObjectiveNotMeasurable(`${field}.target`, 'The target must differ from the baseline, or there is nothing to achieve.');
    }
    const text = description.trim();
    if (text.length > TEXT_LIMITS.measure) {
      throw new ObjectiveNotMeasurable(`${field}.description`, `What the measure counts is longer than ${TEXT_LIMITS.measure} characters.`);
    }
    return { kind: 'behavioural', description: text, unit, ...measure };
  }
  throw new ObjectiveNotMeasurable(`${field}.kind`, "A measure is either an 'instrument' or a 'behavioural' measure.");
};
