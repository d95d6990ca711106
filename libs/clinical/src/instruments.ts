/** The standardized measures Golden Loop scores. Every number here is a published rule; its source sits beside it. */
export type InstrumentCode = 'PHQ-9' | 'GAD-7';

export type SeverityBand = 'minimal' | 'mild' | 'moderate' | 'moderately_severe' | 'severe';

export interface BandRange {
  readonly band: SeverityBand;
  readonly min: number;
  readonly max: number;
}

export interface InstrumentDefinition {
  readonly code: InstrumentCode;
  readonly name: string;
  readonly itemCount: number;
  readonly itemMin: number;
  readonly itemMax: number;
  readonly totalMin: number;
  readonly totalMax: number;
  /** Ordered from least to most severe; contiguous over totalMin..totalMax. */
  readonly bands: readonly BandRange[];
  /** A change of at least this many points, either way, is reliable (beyond measurement error). */
  readonly reliableChange: number;
  /** A total at or above this is a clinical case. */
  readonly caseness: number;
  /** LOINC code of the total score, for FHIR Observation.code. */
  readonly loinc: string;
  /** A total below this is remission. */
  readonly remissionBelow: number;
  /** The fraction of the baseline total that must be shed to count as response. */
  readonly responseReduction: number;
  /** 1-based number of the item whose score above 0 is a safety flag, if the instrument has one. */
  readonly safetyItem: number | null;
}

export const PHQ9: InstrumentDefinition = {
  code: 'PHQ-9',
  name: 'Patient Health Questionnaire-9 (depression)',
  // Kroenke, Spitzer & Williams 2001: nine items scored 0-3, total 0-27.
  itemCount: 9,
  itemMin: 0,
  itemMax: 3,
  totalMin: 0,
  totalMax: 27,
  // Kroenke, Spitzer & Williams 2001: cut points 5, 10, 15, 20.
  bands: [
    { band: 'minimal', min: 0, max: 4 },
    { band: 'mild', min: 5, max: 9 },
    { band: 'moderate', min: 10, max: 14 },
    { band: 'moderately_severe', min: 15, max: 19 },
    { band: 'severe', min: 20, max: 27 },
  ],
  // NHS Talking Therapies manual: reliable change on PHQ-9 is 6 points.
  reliableChange: 6,
  // NHS Talking Therapies manual: caseness on PHQ-9 is a total of 10 or more.
  caseness: 10,
  loinc: '44261-6',
  // Remission: PHQ-9 below 5 (Kroenke et al. 2001 minimal band).
  remissionBelow: 5,
  // Response: at least 50 % reduction from baseline (collaborative-care convention).
  responseReduction: 0.5,
  // PHQ-9 item 9 (thoughts of being better off dead or of self-harm) above 0 needs urgent review (Simon et al. 2013).
  safetyItem: 9,
};

export const GAD7: InstrumentDefinition = {
  code: 'GAD-7',
  name: 'Generalized Anxiety Disorder-7',
  // Spitzer et al. 2006: seven items scored 0-3, total 0-21.
  itemCount: 7,
  itemMin: 0,
  itemMax: 3,
  totalMin: 0,
  totalMax: 21,
  // Spitzer et al. 2006: cut points 5, 10, 15.
  bands: [
    { band: 'minimal', min: 0, max: 4 },
    { band: 'mild', min: 5, max: 9 },
    { band: 'moderate', min: 10, max: 14 },
    { band: 'severe', min: 15, max: 21 },
  ],
  // NHS Talking Therapies manual: reliable change on GAD-7 is 4 points.
  reliableChange: 4,
  // NHS Talking Therapies manual: caseness on GAD-7 is a total of 8 or more.
  caseness: 8,
  loinc: '70274-6',
  // Remission: GAD-7 below 5 (Spitzer et al. 2006 minimal band).
  remissionBelow: 5,
  responseReduction: 0.5,
  safetyItem: null,
};

export const INSTRUMENTS: Readonly<Record<InstrumentCode, InstrumentDefinition>> = {
  'PHQ-9': PHQ9,
  'GAD-7': GAD7,
};

export const INSTRUMENT_CODES: readonly InstrumentCode[] = ['PHQ-9', 'GAD-7'];

export const isInstrumentCode = (value: unknown): value is InstrumentCode =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(INSTRUMENTS, value);

export const instrumentDefinition = (code: InstrumentCode): InstrumentDefinition => INSTRUMENTS[code];

/** The band a total falls in; totals outside the instrument's range are clamped into the nearest band. */
export const bandFor = (instrument: InstrumentCode, total: number): SeverityBand => {
  const { bands } = INSTRUMENTS[instrument];
  const found = bands.find((range) => total >= range.min && total <= range.max);
  if (found) return found.band;
  return total < bands[0].min ? bands[0].band : bands[bands.length - 1].band;
};

/** Position of a band on the instrument's scale (0 = least severe); -1 if the instrument has no such band. */
export const bandRank = (instrument: InstrumentCode, band: SeverityBand): number =>
  INSTRUMENTS[instrument].bands.findIndex((range) => range.band === band);

export const mostSevereBand = (instrument: InstrumentCode): SeverityBand => {
  const { bands } = INSTRUMENTS[instrument];
  return bands[bands.length - 1].band;
};

export const isAtOrAboveCaseness = (instrument: InstrumentCode, total: number): boolean =>
  total >= INSTRUMENTS[instrument].caseness;

export const isRemission = (instrument: InstrumentCode, total: number): boolean =>
  total < INSTRUMENTS[instrument].remissionBelow;

/** At least the instrument's response reduction (50 %) from a baseline above zero. */
export const isResponse = (instrument: InstrumentCode, baselineTotal: number, total: number): boolean =>
  baselineTotal > 0 && (baselineTotal - total) / baselineTotal >= INSTRUMENTS[instrument].responseReduction;

export const isReliableChange = (instrument: InstrumentCode, fromTotal: number, toTotal: number): boolean =>
  Math.abs(toTotal - fromTotal) >= INSTRUMENTS[instrument].reliableChange;
