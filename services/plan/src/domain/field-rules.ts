import { INSTRUMENTS, isInstrumentCode, parseIcd10Code } from '@golden-loop/clinical';
import {
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
} from '@golden-loop/contracts';
import type { ObjectiveMeasureInput } from './commands';
import { DiagnosisCodeInvalid, FieldInvalid, ObjectiveNotMeasurable } from './errors';
import type { Frequency, ObjectiveMeasure, ServiceDetails, TriggerType } from './plan-content';

// Checks on the fields of a command. Each throws a typed domain error naming the field; each returns the value
// in the form the plan keeps (trimmed text, canonical codes).

const MAX_TEXT = 4000;

export const requireText = (field: string, value: unknown, what: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new FieldInvalid(field, `${what} is required.`);
  const text = value.trim();
  if (text.length > MAX_TEXT) throw new FieldInvalid(field, `${what} is longer than ${MAX_TEXT} characters.`);
  return text;
};

export const optionalText = (field: string, value: unknown, what: string): string | null =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
    ? null
    : requireText(field, value, what);

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
      const date = new Date(Date.UTC(year, month - 1, day));
      return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    })();
  if (!valid) throw new FieldInvalid(field, `${what} must be a calendar date written YYYY-MM-DD.`);
  return value as string;
};

export const diagnosisCode = (field: string, value: unknown): string => {
  const parsed = parseIcd10Code(value);
  if (!parsed.ok) throw new DiagnosisCodeInvalid(field, parsed.reason);
  return parsed.value.code;
};

// Bounds follow the public contract (libs/contracts vocabulary), so every stored event can be published.
export const frequency = (field: string, value: unknown): Frequency => {
  const given = (value ?? {}) as Partial<Frequency>;
  return {
    count: integerIn(`${field}.count`, given.count, 1, 31, 'The number of sessions'),
    per: oneOf(`${field}.per`, given.per, FREQUENCY_PERIODS, 'The frequency period'),
  };
};

export const serviceDetails = (field: string, value: unknown): ServiceDetails => {
  const given = (value ?? {}) as Partial<ServiceDetails>;
  return {
    sessionType: oneOf(`${field}.sessionType`, given.sessionType, SESSION_TYPES, 'The treatment type'),
    sessionMinutes: integerIn(`${field}.sessionMinutes`, given.sessionMinutes, 1, 480, 'The session length in minutes'),
    frequency: frequency(`${field}.frequency`, given.frequency),
    expectedDurationWeeks: integerIn(
      `${field}.expectedDurationWeeks`,
      given.expectedDurationWeeks,
      1,
      520,
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

export const linkKind = (field: string, value: unknown) =>
  oneOf(field, value, ['diagnosis', 'symptom', 'impairment'] as const, 'What the goal addresses');

/**
 * A measure makes an objective measurable (CLINICAL.md rule 7): a standardized instrument with a baseline and a
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
    const amount = (name: 'baseline' | 'target', number: unknown) => {
      if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 10000) {
        throw new ObjectiveNotMeasurable(`${field}.${name}`, `The ${name} must be a number from 0 to 10000.`);
      }
      return number;
    };
    if (typeof unit !== 'string' || !(BEHAVIOURAL_UNITS as readonly string[]).includes(unit)) {
      throw new ObjectiveNotMeasurable(`${field}.unit`, `The unit must be one of ${BEHAVIOURAL_UNITS.join(', ')}.`);
    }
    if (typeof description !== 'string' || description.trim() === '') {
      throw new ObjectiveNotMeasurable(`${field}.description`, 'Say what the behavioural measure counts.');
    }
    const measure = { baseline: amount('baseline', baseline), target: amount('target', target) };
    if (measure.target === measure.baseline) {
      throw new ObjectiveNotMeasurable(`${field}.target`, 'The target must differ from the baseline, or there is nothing to achieve.');
    }
    return { kind: 'behavioural', description: description.trim(), unit, ...measure };
  }
  throw new ObjectiveNotMeasurable(`${field}.kind`, "A measure is either an 'instrument' or a 'behavioural' measure.");
};
