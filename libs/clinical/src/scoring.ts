import { INSTRUMENTS, bandFor, isInstrumentCode, type InstrumentCode, type SeverityBand } from './instruments';

export interface ScoredAssessment {
  readonly instrument: InstrumentCode;
  readonly items: readonly number[];
  readonly total: number;
  readonly band: SeverityBand;
  /** PHQ-9 item 9 above 0; always false for an instrument without a safety item. */
  readonly safetyFlag: boolean;
}

export type ScoringProblemCode =
  | 'unknown_instrument'
  | 'wrong_item_count'
  | 'item_not_integer'
  | 'item_out_of_range'
  | 'total_mismatch';

/** One reason the responses were rejected: which field, and a sentence a clinician understands. */
export interface ScoringProblem {
  readonly code: ScoringProblemCode;
  readonly field: string;
  readonly reason: string;
}

export interface AssessmentScored {
  readonly ok: true;
  readonly assessment: ScoredAssessment;
}

export interface AssessmentRejected {
  readonly ok: false;
  readonly code: 'assessment_invalid';
  readonly message: string;
  readonly problems: readonly ScoringProblem[];
}

export type ScoringOutcome = AssessmentScored | AssessmentRejected;

// A guard that narrows to unknown elements, where Array.isArray would narrow to any[].
const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

const rejected = (problems: readonly ScoringProblem[]): AssessmentRejected => ({
  ok: false,
  code: 'assessment_invalid',
  message: `The assessment was not recorded: ${problems.map((problem) => problem.reason).join(' ')}`,
  problems,
});

const shown = (value: unknown): string => {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
};

/**
 * Scores and bands item responses. Validation follows docs/clinical-rules.md, "Score validation" (an item outside
 * 0-3, a wrong item count, or a total that disagrees with the items is rejected with a clear error); every problem
 * found is reported.
 */
export const scoreAssessment = (
  instrument: string,
  items: readonly number[],
  declaredTotal?: number | null,
): ScoringOutcome => {
  if (!isInstrumentCode(instrument)) {
    return rejected([
      {
        code: 'unknown_instrument',
        field: 'instrument',
        reason: `${shown(instrument)} is not an instrument Golden Loop scores; use one of ${Object.keys(INSTRUMENTS).join(', ')}.`,
      },
    ]);
  }
  const definition = INSTRUMENTS[instrument];
  if (!isList(items)) {
    return rejected([
      {
        code: 'wrong_item_count',
        field: 'items',
        reason: `A ${instrument} needs a list of exactly ${definition.itemCount} item responses.`,
      },
    ]);
  }

  const problems: ScoringProblem[] = [];
  if (items.length !== definition.itemCount) {
    problems.push({
      code: 'wrong_item_count',
      field: 'items',
      reason: `A ${instrument} has exactly ${definition.itemCount} item responses; ${items.length} were given.`,
    });
  }
  items.forEach((value: unknown, index) => {
    const field = `items[${index}]`;
    const range = `${definition.itemMin} to ${definition.itemMax}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      problems.push({
        code: 'item_not_integer',
        field,
        reason: `${instrument} item ${index + 1} must be a whole number from ${range}; got ${shown(value)}.`,
      });
    } else if (value < definition.itemMin || value > definition.itemMax) {
      problems.push({
        code: 'item_out_of_range',
        field,
        reason: `${instrument} item ${index + 1} must be from ${range}; got ${value}.`,
      });
    }
  });
  if (problems.length > 0) return rejected(problems);

  const total = items.reduce((sum, value) => sum + value, 0);
  if (declaredTotal !== undefined && declaredTotal !== null && declaredTotal !== total) {
    return rejected([
      {
        code: 'total_mismatch',
        field: 'declaredTotal',
        reason: `The declared ${instrument} total ${shown(declaredTotal)} does not equal the sum of the items, ${total}.`,
      },
    ]);
  }

  const safetyFlag = definition.safetyItem !== null && (items[definition.safetyItem - 1] ?? 0) > 0;
  return {
    ok: true,
    assessment: { instrument, items: [...items], total, band: bandFor(instrument, total), safetyFlag },
  };
};
