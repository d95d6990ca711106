import type { JsonSchema } from './json-schema';

// Shared schema fragments and code lists. Every string a payload carries is one of these: an id, a date,
// or a code from a closed list — never text a person typed (see the PHI guard in schemas.unit.spec.ts).

type Properties = { readonly [property: string]: JsonSchema };

/** A closed object: every property listed, nothing else accepted, `required` computed from the first argument. */
export const closedObject = <const R extends Properties, const O extends Properties = Record<never, never>>(
  required: R,
  optional?: O,
): {
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly required: readonly (keyof R & string)[];
  readonly properties: R & O;
} => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(required),
  properties: { ...required, ...(optional ?? ({} as O)) },
});

// Lower-case canonical form only: ajv's `uuid` format also accepts upper case and a `urn:uuid:` prefix,
// and two spellings of one plan id would hash to different partitions.
export const uuid = {
  type: 'string',
  format: 'uuid',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
} as const;

export const uuidList = { type: 'array', items: uuid, uniqueItems: true } as const;

/** RFC 3339 date-time with an offset, e.g. `2026-03-01T09:30:00.000Z`. */
export const dateTime = { type: 'string', format: 'date-time' } as const;

/** RFC 3339 full-date, e.g. `2026-03-01`. */
export const date = { type: 'string', format: 'date' } as const;

export const revision = {
  type: 'integer',
  minimum: 1,
  description: 'Plan revision number, 1 for the first revision.',
} as const;

/** ICD-10-CM code in its dotted form, e.g. `F33.1`, `F41.1`, `Z63.0`. */
export const icd10CmCode = {
  type: 'string',
  pattern: '^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$',
  maxLength: 8,
} as const;

export const icd10CmCodeList = { type: 'array', items: icd10CmCode, uniqueItems: true } as const;

export const DIAGNOSIS_RANKS = ['primary', 'secondary'] as const;

export const diagnosis = closedObject({
  code: icd10CmCode,
  rank: { type: 'string', enum: DIAGNOSIS_RANKS },
});

// Instruments, their LOINC total-score codes and severity bands: docs/clinical-rules.md, "Instruments" (Kroenke 2001,
// Spitzer 2006). The one table the schemas read (instrument, loinc, score and instrumentRules below derive from it).
// libs/clinical/src/instruments.ts, which scores assessments, is the source of these facts; neither library may import
// the other (eslint module boundaries), so services/plan/src/domain/vocabularies.unit.spec.ts fails when they disagree.
export const INSTRUMENTS = {
  'PHQ-9': {
    loinc: '44261-6',
    maxScore: 27,
    bands: ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'],
  },
  'GAD-7': { loinc: '70274-6', maxScore: 21, bands: ['minimal', 'mild', 'moderate', 'severe'] },
} as const;

export type InstrumentCode = keyof typeof INSTRUMENTS;
export const INSTRUMENT_CODES = Object.keys(INSTRUMENTS) as InstrumentCode[];
const LOINC_CODES = INSTRUMENT_CODES.map((code) => INSTRUMENTS[code].loinc);
export const SEVERITY_BANDS = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;

export const instrument = { type: 'string', enum: INSTRUMENT_CODES } as const;
export const loinc = {
  type: 'string',
  enum: LOINC_CODES,
  description: `LOINC code of the instrument total score: ${INSTRUMENT_CODES.map((code) => `${INSTRUMENTS[code].loinc} for ${code}`).join(', ')}.`,
} as const;
/** A total on any instrument, up to the highest maximum (each instrument's own range: instrumentRules). */
export const score = { type: 'integer', minimum: 0, maximum: Math.max(...INSTRUMENT_CODES.map((code) => INSTRUMENTS[code].maxScore)) } as const;
export const severityBand = { type: 'string', enum: SEVERITY_BANDS } as const;

/**
 * Cross-field rules for an object that carries `instrument`: the LOINC code that belongs to it, the
 * score range and the bands the instrument defines, and (GAD-7 has no item 9) no safety flag.
 */
export const instrumentRules = (fields: {
  readonly scores: readonly string[];
  readonly bands?: readonly string[];
  readonly safetyFlag?: string;
  readonly loinc?: string;
}): readonly JsonSchema[] =>
  INSTRUMENT_CODES.map((code) => {
    const { loinc: loincCode, maxScore, bands } = INSTRUMENTS[code];
    const then: Record<string, JsonSchema> = {};
    if (fields.loinc) then[fields.loinc] = { type: 'string', const: loincCode };
    // null passes here; whether a field may be null is its own schema's decision.
    for (const field of fields.scores) then[field] = { type: ['integer', 'null'], maximum: maxScore };
    for (const field of fields.bands ?? []) then[field] = { type: ['string', 'null'], enum: [...bands, null] };
    if (fields.safetyFlag && code !== 'PHQ-9') then[fields.safetyFlag] = { type: 'boolean', const: false };
    return {
      if: { type: 'object', properties: { instrument: { type: 'string', const: code } }, required: ['instrument'] },
      then: { type: 'object', properties: then },
    };
  });

/**
 * The numeric ranges the plan's public events allow, named once: the schemas below use them, and the plan domain
 * imports them so it never stores what it could not publish (it may be stricter, never looser).
 */
export const PLAN_NUMBER_RANGES = {
  /** Sessions per week or month. */
  frequencyCount: { min: 1, max: 31 },
  sessionMinutes: { min: 1, max: 480 },
  expectedDurationWeeks: { min: 1, max: 520 },
  /** A behavioural measure's baseline and target, whatever the unit (BEHAVIOURAL_UNIT_RANGES narrows it per unit). */
  behaviouralAmount: { min: 0, max: 10000 },
} as const;

export const BEHAVIOURAL_UNITS = [
  'count_per_day',
  'count_per_week',
  'days_per_week',
  'minutes_per_day',
  'hours_per_night',
  'rating_0_10',
  'percent',
] as const;

/**
 * The values a baseline or target can take in each unit, for the plan domain: a week has 7 days, a day 1,440
 * minutes, a night at most 24 hours; a rating is 0-10 and a percent 0-100; counts are bounded at 1,000 a day
 * (7,000 a week), far above any behaviour counted in treatment (docs/input-limits.md). The v1 schema keeps its
 * 0-10000 for every unit (`PLAN_NUMBER_RANGES.behaviouralAmount`): narrowing a published schema is a breaking
 * change, and every range here lies inside it (a contracts test checks).
 */
export const BEHAVIOURAL_UNIT_RANGES = {
  count_per_day: { min: 0, max: 1000 },
  count_per_week: { min: 0, max: 7000 },
  days_per_week: { min: 0, max: 7 },
  minutes_per_day: { min: 0, max: 1440 },
  hours_per_night: { min: 0, max: 24 },
  rating_0_10: { min: 0, max: 10 },
  percent: { min: 0, max: 100 },
} as const satisfies Record<(typeof BEHAVIOURAL_UNITS)[number], { readonly min: number; readonly max: number }>;

/** How an objective is measured: a standardized instrument, or a behavioural measure with a coded unit. */
export const measure = {
  oneOf: [
    {
      ...closedObject({
        kind: { type: 'string', const: 'instrument' },
        instrument,
        loinc,
        baseline: score,
        target: score,
      }),
      allOf: instrumentRules({ scores: ['baseline', 'target'], loinc: 'loinc' }),
    },
    closedObject({
      kind: { type: 'string', const: 'behavioural' },
      unit: { type: 'string', enum: BEHAVIOURAL_UNITS },
      baseline: { type: 'number', minimum: PLAN_NUMBER_RANGES.behaviouralAmount.min, maximum: PLAN_NUMBER_RANGES.behaviouralAmount.max },
      target: { type: 'number', minimum: PLAN_NUMBER_RANGES.behaviouralAmount.min, maximum: PLAN_NUMBER_RANGES.behaviouralAmount.max },
    }),
  ],
} as const;

export const nullableMeasure = { oneOf: [...measure.oneOf, { type: 'null' }] } as const;

export const FREQUENCY_PERIODS = ['week', 'month'] as const;

export const frequency = closedObject({
  count: { type: 'integer', minimum: PLAN_NUMBER_RANGES.frequencyCount.min, maximum: PLAN_NUMBER_RANGES.frequencyCount.max },
  per: { type: 'string', enum: FREQUENCY_PERIODS },
});

/** Medicare LCD L33632 asks the plan to state the type of treatment. */
export const SESSION_TYPES = ['individual', 'group', 'family'] as const;

export const SIGNATURE_METHODS = ['electronic', 'wet_ink_scanned', 'verbal_attested'] as const;

export const CLOSURE_REASONS = [
  'treatment_completed',
  'client_withdrew',
  'transferred',
  'referred_out',
  'lost_to_follow_up',
  'administrative',
] as const;

export const LIFE_EVENT_IMPACTS = ['minor', 'moderate', 'major'] as const;

export const CHANGE_DIRECTIONS = ['worsened', 'improved', 'unchanged'] as const;

/**
 * What a SymptomsChanged compared the new score with: the score administered before it, or nothing (the client's
 * first score on the instrument). Added to SymptomsChanged v1 as an optional field (docs/clinical-dates.md).
 */
export const CHANGE_COMPARISONS = ['previous_score', 'no_previous_score'] as const;

export const MODALITIES = [
  'cbt',
  'dbt',
  'act',
  'ipt',
  'behavioural_activation',
  'emdr',
  'motivational_interviewing',
  'prolonged_exposure',
  'cognitive_processing_therapy',
  'psychodynamic',
  'family_systems',
  'problem_solving',
  'mindfulness_based',
  'psychoeducation',
  'medication_management',
  'other',
] as const;

export const modality = { type: 'string', enum: MODALITIES } as const;

export const URGENCIES = ['routine', 'urgent'] as const;
export const urgency = { type: 'string', enum: URGENCIES } as const;

export const SIGNER_ROLES = ['client', 'clinician'] as const;
export const signerRole = { type: 'string', enum: SIGNER_ROLES } as const;

export const PLAN_ITEM_STATUSES = ['active', 'met', 'discontinued'] as const;
export const planItemStatus = { type: 'string', enum: PLAN_ITEM_STATUSES } as const;
