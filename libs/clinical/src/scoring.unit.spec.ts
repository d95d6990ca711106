import fc from 'fast-check';
import { INSTRUMENTS, type InstrumentCode } from './instruments';
import { scoreAssessment, type AssessmentRejected, type ScoringOutcome } from './scoring';

const rejection = (outcome: ScoringOutcome): AssessmentRejected => {
  if (outcome.ok) throw new TypeError('expected the responses to be rejected');
  return outcome;
};

describe('scoring an assessment', () => {
  test('a PHQ-9 is totalled, banded and carries no safety flag when item 9 is 0', () => {
    expect(scoreAssessment('PHQ-9', [1, 1, 1, 1, 1, 1, 1, 1, 0])).toEqual({
      ok: true,
      assessment: { instrument: 'PHQ-9', items: [1, 1, 1, 1, 1, 1, 1, 1, 0], total: 8, band: 'mild', safetyFlag: false },
    });
  });

  test.each([1, 2, 3])('a PHQ-9 with item 9 at %i raises the safety flag whatever the total', (item9) => {
    const outcome = scoreAssessment('PHQ-9', [0, 0, 0, 0, 0, 0, 0, 0, item9]);
    expect(outcome.ok && outcome.assessment).toMatchObject({ total: item9, band: 'minimal', safetyFlag: true });
  });

  test('a GAD-7 is totalled and banded and never carries a safety flag', () => {
    const outcome = scoreAssessment('GAD-7', [3, 3, 3, 3, 3, 0, 3]);
    expect(outcome.ok && outcome.assessment).toEqual({
      instrument: 'GAD-7',
      items: [3, 3, 3, 3, 3, 0, 3],
      total: 18,
      band: 'severe',
      safetyFlag: false,
    });
  });

  test('a declared total that equals the sum of the items is accepted', () => {
    expect(scoreAssessment('GAD-7', [1, 1, 1, 1, 1, 1, 1], 7).ok).toBe(true);
  });

  test('the scored items are a copy, so later changes to the input do not alter the result', () => {
    const items = [1, 1, 1, 1, 1, 1, 1];
    const outcome = scoreAssessment('GAD-7', items);
    items[0] = 3;
    expect(outcome.ok && outcome.assessment.items[0]).toBe(1);
  });

  test.each<[string, string, readonly unknown[], number | undefined, string, string]>([
    ['an unknown instrument', 'BDI-II', [0, 0, 0], undefined, 'unknown_instrument', 'instrument'],
    ['a lower-case instrument name', 'phq-9', [0, 0, 0, 0, 0, 0, 0, 0, 0], undefined, 'unknown_instrument', 'instrument'],
    ['a PHQ-9 with 8 items', 'PHQ-9', [0, 0, 0, 0, 0, 0, 0, 0], undefined, 'wrong_item_count', 'items'],
    ['a PHQ-9 with 10 items', 'PHQ-9', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], undefined, 'wrong_item_count', 'items'],
    ['a GAD-7 with 9 items', 'GAD-7', [0, 0, 0, 0, 0, 0, 0, 0, 0], undefined, 'wrong_item_count', 'items'],
    ['an empty list of items', 'GAD-7', [], undefined, 'wrong_item_count', 'items'],
    ['an item of 4', 'PHQ-9', [0, 0, 4, 0, 0, 0, 0, 0, 0], undefined, 'item_out_of_range', 'items[2]'],
    ['an item of -1', 'GAD-7', [0, 0, 0, 0, 0, 0, -1], undefined, 'item_out_of_range', 'items[6]'],
    ['an item of 1.5', 'PHQ-9', [1.5, 0, 0, 0, 0, 0, 0, 0, 0], undefined, 'item_not_integer', 'items[0]'],
    ['an item that is not a number', 'PHQ-9', [0, '2', 0, 0, 0, 0, 0, 0, 0], undefined, 'item_not_integer', 'items[1]'],
    ['an item that is NaN', 'GAD-7', [0, 0, 0, NaN, 0, 0, 0], undefined, 'item_not_integer', 'items[3]'],
    ['an item that is Infinity', 'GAD-7', [0, 0, 0, 0, Infinity, 0, 0], undefined, 'item_not_integer', 'items[4]'],
    ['a missing item', 'GAD-7', [0, 0, 0, 0, 0, null, 0], undefined, 'item_not_integer', 'items[5]'],
    ['a declared total above the sum', 'PHQ-9', [1, 1, 1, 1, 1, 1, 1, 1, 1], 10, 'total_mismatch', 'declaredTotal'],
    ['a declared total below the sum', 'GAD-7', [2, 2, 2, 2, 2, 2, 2], 13, 'total_mismatch', 'declaredTotal'],
    ['a fractional declared total', 'GAD-7', [0, 0, 0, 0, 0, 0, 1], 1.5, 'total_mismatch', 'declaredTotal'],
  ])('%s is rejected with the field and reason named', (_name, instrument, items, declaredTotal, code, field) => {
    const outcome = rejection(scoreAssessment(instrument, items as number[], declaredTotal));
    expect(outcome.code).toBe('assessment_invalid');
    expect(outcome.problems).toEqual([expect.objectContaining({ code, field })]);
    expect(outcome.problems[0].reason).toMatch(/\w.*\.$/);
    expect(outcome.message).toContain(outcome.problems[0].reason);
  });

  test('items that are not a list are rejected as a wrong item count', () => {
    const outcome = rejection(scoreAssessment('PHQ-9', 'all zero' as unknown as number[]));
    expect(outcome.problems).toEqual([expect.objectContaining({ code: 'wrong_item_count', field: 'items' })]);
  });

  test('every problem is reported at once, so the clinician can fix them together', () => {
    const outcome = rejection(scoreAssessment('PHQ-9', [4, 0, 0, 0, 0, 0, 0, 0.5]));
    expect(outcome.problems.map((problem) => problem.code)).toEqual([
      'wrong_item_count',
      'item_out_of_range',
      'item_not_integer',
    ]);
  });

  test('a reason names the item the way the clinician counts it, from 1', () => {
    const outcome = rejection(scoreAssessment('PHQ-9', [0, 0, 0, 0, 0, 0, 0, 0, 7]));
    expect(outcome.problems[0].reason).toBe('PHQ-9 item 9 must be from 0 to 3; got 7.');
  });

  const validResponses = fc.constantFrom<InstrumentCode>('PHQ-9', 'GAD-7').chain((instrument) =>
    fc.tuple(
      fc.constant(instrument),
      fc.array(fc.integer({ min: 0, max: 3 }), {
        minLength: INSTRUMENTS[instrument].itemCount,
        maxLength: INSTRUMENTS[instrument].itemCount,
      }),
    ),
  );

  test('the total always equals the sum of valid items and the band always contains the total', () => {
    fc.assert(
      fc.property(validResponses, ([instrument, items]) => {
        const outcome = scoreAssessment(instrument, items);
        if (!outcome.ok) return false;
        const band = INSTRUMENTS[instrument].bands.find((range) => range.band === outcome.assessment.band)!;
        return (
          outcome.assessment.total === items.reduce((sum, item) => sum + item, 0) &&
          band.min <= outcome.assessment.total &&
          outcome.assessment.total <= band.max
        );
      }),
    );
  });

  test('the safety flag is raised exactly when PHQ-9 item 9 is above 0', () => {
    fc.assert(
      fc.property(validResponses, ([instrument, items]) => {
        const outcome = scoreAssessment(instrument, items);
        return outcome.ok && outcome.assessment.safetyFlag === (instrument === 'PHQ-9' && items[8] > 0);
      }),
    );
  });

  test('any item outside the whole numbers 0 to 3 is rejected', () => {
    const badItem = fc.oneof(
      fc.integer({ min: 4 }),
      fc.integer({ max: -1 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(NaN, Infinity, -Infinity),
    );
    fc.assert(
      fc.property(validResponses, badItem, fc.nat(), ([instrument, items], bad, position) => {
        const index = position % items.length;
        const spoiled = items.map((item, i) => (i === index ? bad : item));
        const outcome = scoreAssessment(instrument, spoiled);
        return !outcome.ok && outcome.problems.some((problem) => problem.field === `items[${index}]`);
      }),
    );
  });

  test('any declared total other than the sum is rejected', () => {
    fc.assert(
      fc.property(validResponses, fc.integer({ min: -50, max: 50 }), ([instrument, items], offset) => {
        fc.pre(offset !== 0);
        const sum = items.reduce((total, item) => total + item, 0);
        const outcome = scoreAssessment(instrument, items, sum + offset);
        return !outcome.ok && outcome.problems[0].code === 'total_mismatch';
      }),
    );
  });
});

// docs/clinical-rules.md, "Score validation": invalid responses are rejected with a clear error. A clinician reads these sentences, so each
// names the item as counted on the form (from 1), the allowed range and exactly what was given.
describe('the reasons a clinician reads when responses are rejected', () => {
  const reasonFor = (instrument: unknown, items: readonly unknown[], declaredTotal?: number | null): string[] =>
    rejection(scoreAssessment(instrument as string, items as number[], declaredTotal)).problems.map((problem) => problem.reason);

  test.each<[string, unknown, string]>([
    ['a text', 'BDI-II', '"BDI-II" is not an instrument Golden Loop scores; use one of PHQ-9, GAD-7.'],
    ['a number', 9, '9 is not an instrument Golden Loop scores; use one of PHQ-9, GAD-7.'],
    ['nothing', undefined, 'undefined is not an instrument Golden Loop scores; use one of PHQ-9, GAD-7.'],
    ['a list holding a code', ['PHQ-9'], 'object is not an instrument Golden Loop scores; use one of PHQ-9, GAD-7.'],
  ])('an unknown instrument given as %s is shown as given', (_kind, instrument, reason) => {
    expect(reasonFor(instrument, [0, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual([reason]);
  });

  test.each<[string, unknown, string]>([
    ['a text', '2', 'got "2".'],
    ['a fraction', 1.5, 'got 1.5.'],
    ['not a number', NaN, 'got NaN.'],
    ['a yes/no answer', true, 'got true.'],
    ['a missing answer', null, 'got null.'],
    ['an undefined answer', undefined, 'got undefined.'],
    ['a nested answer', { score: 2 }, 'got object.'],
  ])('an item given as %s is named from 1 and shown as given', (_kind, value, got) => {
    expect(reasonFor('GAD-7', [0, value, 0, 0, 0, 0, 0])).toEqual([`GAD-7 item 2 must be a whole number from 0 to 3; ${got}`]);
  });

  test('items that are not a list ask for the full list of responses', () => {
    expect(reasonFor('GAD-7', 'all zero' as unknown as unknown[])).toEqual(['A GAD-7 needs a list of exactly 7 item responses.']);
  });

  test('a wrong item count says how many are needed and how many were given', () => {
    expect(reasonFor('PHQ-9', [0, 0, 0])).toEqual(['A PHQ-9 has exactly 9 item responses; 3 were given.']);
  });

  test('a declared total that disagrees names both totals', () => {
    expect(reasonFor('GAD-7', [1, 1, 1, 1, 1, 1, 1], 8)).toEqual([
      'The declared GAD-7 total 8 does not equal the sum of the items, 7.',
    ]);
  });

  test('the message lists every reason as sentences separated by a space', () => {
    const outcome = rejection(scoreAssessment('PHQ-9', [4, 0, 0, 0, 0, 0, 0, 0]));
    expect(outcome.message).toBe(
      'The assessment was not recorded: A PHQ-9 has exactly 9 item responses; 8 were given. PHQ-9 item 1 must be from 0 to 3; got 4.',
    );
  });
});

describe('a declared total', () => {
  test.each([undefined, null])('of %p means none was declared, and the items are scored', (declaredTotal) => {
    const outcome = scoreAssessment('PHQ-9', [1, 1, 1, 1, 1, 1, 1, 1, 1], declaredTotal);
    expect(outcome.ok && outcome.assessment.total).toBe(9);
  });
});
