import { GOAL_LINK_KINDS, parseIcd10Code } from '@golden-loop/clinical';
import {
  CLOSURE_REASONS,
  DIAGNOSIS_RANKS,
  FREQUENCY_PERIODS,
  LIFE_EVENT_CATEGORIES,
  LIFE_EVENT_IMPACTS,
  MODALITIES,
  PLAN_NUMBER_RANGES,
  REVISION_REASONS,
  SESSION_TYPES,
  SIGNATURE_METHODS,
  SIGNER_ROLES,
} from '@golden-loop/contracts';
import { DiagnosisCodeInvalid, FieldInvalid } from './errors';
import { TRIGGER_TYPES, type DiagnosisRank, type Frequency, type ServiceDetails } from './plan-content';

// How parsePlanCommand (parse-command.ts) reads each field of a command: what the field is, whatever the plan holds.
// Each throws a typed domain error naming the field; each returns the value in the form the plan keeps (trimmed
// text, canonical codes, UTC instants). What the plan allows of a value is decided (date-rules.ts,
// objective-measure.ts and the decide files).

// Blank: nothing but white space and invisible formatting characters (zero-width space, BOM, ...): text that
// shows as empty is empty (docs/input-limits.md, "Text").
const BLANK = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;
export const isBlank = (value: string): boolean => BLANK.test(value);

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

/** An RFC 3339 instant (the edge checked its syntax), kept as UTC ISO-8601 so that string order is time order. */
export const instant = (field: string, value: unknown, what: string): string => {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new FieldInvalid(field, `${what} must be an RFC 3339 date-time with its offset, such as 2026-03-01T09:30:00Z.`);
  return new Date(time).toISOString();
};

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

export const triggerType = (field: string, value: unknown) => oneOf(field, value, TRIGGER_TYPES, 'The trigger type');

export const linkKind = (field: string, value: unknown) => oneOf(field, value, GOAL_LINK_KINDS, 'What the goal addresses');

export const diagnosisRank = (field: string, value: unknown): DiagnosisRank => {
  if (typeof value !== 'string' || !(DIAGNOSIS_RANKS as readonly string[]).includes(value)) {
    throw new FieldInvalid(field, `The rank must be ${DIAGNOSIS_RANKS.map((rank) => `'${rank}'`).join(' or ')}.`);
  }
  return value as DiagnosisRank;
};
