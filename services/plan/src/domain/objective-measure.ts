import { INSTRUMENTS, isInstrumentCode } from '@golden-loop/clinical';
import { BEHAVIOURAL_UNIT_RANGES, BEHAVIOURAL_UNITS } from '@golden-loop/contracts';
import type { ObjectiveMeasureInput } from './command-inputs';
import { ObjectiveNotMeasurable } from './errors';
import { isBlank } from './field-rules';
import type { BehaviouralUnit, ObjectiveMeasure } from './plan-content';
import { TEXT_LIMITS } from './plan-limits';

// Whether a measure makes an objective measurable is decided when the objective is added or revised: a clinical
// rule, not the form of a field, so parsing leaves the measure as the edge gave it.

const UNIT_WORDS: Readonly<Record<BehaviouralUnit, string>> = {
  count_per_day: 'times a day',
  count_per_week: 'times a week',
  days_per_week: 'days a week',
  minutes_per_day: 'minutes a day',
  hours_per_night: 'hours a night',
  rating_0_10: 'on the 0-10 rating',
  percent: 'percent',
};

/**
 * A measure makes an objective measurable (docs/clinical-rules.md, rule 7): a standardized instrument with a baseline
 * and a target total inside its range, the target lower (both instruments score symptoms: lower is better); or a
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
