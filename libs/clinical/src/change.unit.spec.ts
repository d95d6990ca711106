import fc from 'fast-check';
import { assessChange, ChangeInputInconsistent, type DatedScore } from './change';
import { bandFor, type InstrumentCode } from './instruments';

const START = Date.parse('2025-01-06T10:00:00.000Z');
const week = (n: number): string => new Date(START + n * 7 * 24 * 60 * 60 * 1000).toISOString();

const score = (instrument: InstrumentCode, total: number, atWeek: number, safetyFlag = false): DatedScore => ({
  instrument,
  total,
  safetyFlag,
  at: week(atWeek),
});

/** A series of [total, week] on one instrument: everything but the last is history, the last is judged. */
const judge = (
  instrument: InstrumentCode,
  points: readonly (readonly [number, number, boolean?])[],
  treatmentStartedAt: string | null = week(0),
) => {
  const history = points.slice(0, -1).map(([total, atWeek, flag]) => score(instrument, total, atWeek, flag));
  const [total, atWeek, flag] = points[points.length - 1];
  return assessChange({
    current: { instrument, total, safetyFlag: flag ?? false },
    at: week(atWeek),
    previous: history[history.length - 1] ?? null,
    baseline: history[0] ?? null,
    history,
    treatmentStartedAt,
  });
};

describe('a meaningful clinical change', () => {
  describe('the plan service acceptance checks', () => {
    test('a PHQ-9 rise from 8 to 16 is one routine worsening with a reliable change and a band move', () => {
      expect(judge('PHQ-9', [[8, 0], [16, 2]])).toEqual({
        instrument: 'PHQ-9',
        previousScore: 8,
        newScore: 16,
        previousBand: 'mild',
        newBand: 'moderately_severe',
        direction: 'worsened',
        reasons: ['reliable_change', 'band_change'],
        urgency: 'routine',
      });
    });

    test('a PHQ-9 move from 12 to 13 is noise', () => {
      expect(judge('PHQ-9', [[12, 0], [13, 2]])).toBeNull();
    });

    test('a new item-9 answer above 0 is an urgent safety flag even when the total barely moves', () => {
      expect(judge('PHQ-9', [[12, 0], [13, 2, true]])).toEqual(
        expect.objectContaining({ reasons: ['safety_flag'], urgency: 'urgent', direction: 'worsened' }),
      );
    });
  });

  describe('the first-ever score', () => {
    test('is the baseline and yields nothing without a safety flag', () => {
      expect(judge('PHQ-9', [[26, 0]])).toBeNull();
    });

    test('with a safety flag yields an urgent safety flag with no previous score and no direction', () => {
      expect(judge('PHQ-9', [[3, 0, true]])).toEqual({
        instrument: 'PHQ-9',
        previousScore: null,
        newScore: 3,
        previousBand: null,
        newBand: 'minimal',
        direction: null,
        reasons: ['safety_flag'],
        urgency: 'urgent',
      });
    });
  });

  describe('reliable change', () => {
    test.each<[InstrumentCode, number, number, string]>([
      ['PHQ-9', 10, 16, 'worsened'],
      ['PHQ-9', 16, 10, 'improved'],
      ['GAD-7', 10, 14, 'worsened'],
      ['GAD-7', 14, 10, 'improved'],
    ])('a %s move from %i to %i is a reliable change, %s', (instrument, from, to, direction) => {
      expect(judge(instrument, [[from, 0], [to, 2]])).toMatchObject({ direction, reasons: expect.arrayContaining(['reliable_change']) });
    });

    test.each<[InstrumentCode, number, number]>([
      ['PHQ-9', 10, 14],
      ['PHQ-9', 14, 10],
      ['GAD-7', 10, 13],
      ['GAD-7', 13, 10],
    ])('a %s move from %i to %i within one band is below the threshold and is noise', (instrument, from, to) => {
      expect(judge(instrument, [[from, 0], [to, 2]])).toBeNull();
    });
  });

  describe('band change', () => {
    test('a one-point PHQ-9 move across a cut point is a band change without a reliable change', () => {
      expect(judge('PHQ-9', [[9, 0], [10, 2]])).toMatchObject({
        previousBand: 'mild',
        newBand: 'moderate',
        direction: 'worsened',
        reasons: ['band_change'],
        urgency: 'routine',
      });
    });

    test('a GAD-7 improvement into the mild band is a band change, improved', () => {
      expect(judge('GAD-7', [[10, 0], [9, 2]])).toMatchObject({ direction: 'improved', reasons: ['band_change'] });
    });
  });

  describe('safety flag', () => {
    test('a flag already raised at the previous assessment is not new and yields nothing by itself', () => {
      expect(judge('PHQ-9', [[12, 0, true], [13, 2, true]])).toBeNull();
    });

    test('a flag that clears is not a change by itself', () => {
      expect(judge('PHQ-9', [[12, 0, true], [12, 2, false]])).toBeNull();
    });

    test('a new flag with a reliable worsening carries both reasons and is urgent', () => {
      expect(judge('PHQ-9', [[8, 0], [16, 2, true]])).toMatchObject({
        reasons: ['reliable_change', 'band_change', 'safety_flag'],
        urgency: 'urgent',
      });
    });
  });

  describe('urgency', () => {
    test('a reliable worsening into the severe band is urgent', () => {
      expect(judge('PHQ-9', [[13, 0], [21, 2]])).toMatchObject({ newBand: 'severe', urgency: 'urgent' });
      expect(judge('GAD-7', [[10, 0], [15, 2]])).toMatchObject({ newBand: 'severe', urgency: 'urgent' });
    });

    test('a reliable worsening within the severe band is urgent', () => {
      expect(judge('PHQ-9', [[20, 0], [27, 2]])).toMatchObject({ reasons: ['reliable_change'], urgency: 'urgent' });
    });

    test('a drift into the severe band that is not reliable is routine', () => {
      expect(judge('PHQ-9', [[19, 0], [20, 2]])).toMatchObject({ reasons: ['band_change'], urgency: 'routine' });
    });

    test('a reliable improvement out of the severe band is routine', () => {
      expect(judge('PHQ-9', [[27, 0], [20, 2]])).toMatchObject({ direction: 'improved', urgency: 'routine' });
    });
  });

  describe('non-response', () => {
    test('less than 50 % improvement from baseline at 8 weeks of treatment is non-response', () => {
      expect(judge('PHQ-9', [[18, 0], [12, 4], [11, 8]])).toMatchObject({
        previousScore: 12,
        newScore: 11,
        direction: 'improved',
        reasons: ['non_response'],
        urgency: 'routine',
      });
    });

    test('at 50 % improvement the client has responded', () => {
      expect(judge('PHQ-9', [[16, 0], [10, 4], [8, 8]])).toMatchObject({ reasons: ['band_change'] });
    });

    test('before 8 weeks of treatment a slow improvement is not yet non-response', () => {
      expect(judge('PHQ-9', [[18, 0], [12, 4], [11, 7]])).toBeNull();
    });

    test('is reported once: a later non-responding assessment does not repeat it', () => {
      expect(judge('PHQ-9', [[18, 0], [12, 4], [11, 8], [12, 9]])).toBeNull();
    });

    test('is reported at the first assessment after 8 weeks even when the one before was earlier', () => {
      expect(judge('PHQ-9', [[18, 0], [12, 4], [11, 11]])).toMatchObject({ reasons: ['non_response'] });
    });

    test('is not judged for a baseline below caseness', () => {
      expect(judge('PHQ-9', [[8, 0], [8, 4], [8, 9]])).toBeNull();
    });

    test('is not judged without a treatment start', () => {
      const history = [score('PHQ-9', 18, 0), score('PHQ-9', 12, 4)];
      expect(
        assessChange({ current: { instrument: 'PHQ-9', total: 11, safetyFlag: false }, at: week(9), history }),
      ).toBeNull();
    });

    test('the 8-week window is the network policy and can be overridden', () => {
      const history = [score('PHQ-9', 18, 0), score('PHQ-9', 12, 4)];
      const input = { current: { instrument: 'PHQ-9' as const, total: 11, safetyFlag: false }, at: week(9), history, treatmentStartedAt: week(0) };
      expect(assessChange(input)).toMatchObject({ reasons: ['non_response'] });
      expect(assessChange({ ...input, policy: { nonResponseAfterWeeks: 12 } })).toBeNull();
    });
  });

  describe('plateau', () => {
    test('three assessments over 6 weeks without reliable change while at or above caseness is a plateau', () => {
      expect(judge('GAD-7', [[12, 0], [11, 3], [12, 6]])).toMatchObject({
        previousScore: 11,
        newScore: 12,
        direction: 'worsened',
        reasons: ['plateau'],
        urgency: 'routine',
      });
    });

    test('three assessments spanning less than 6 weeks are not yet a plateau', () => {
      expect(judge('GAD-7', [[12, 0], [11, 3], [12, 5]])).toBeNull();
    });

    test('a plateau below caseness is not a plateau that calls for review', () => {
      expect(judge('GAD-7', [[7, 0], [6, 3], [7, 6]])).toBeNull();
    });

    test('a reliable change inside the window breaks the plateau', () => {
      expect(judge('GAD-7', [[14, 0], [10, 3], [11, 6]])).toBeNull();
    });

    test('a reliable change at the window’s last assessment breaks the plateau too', () => {
      const judged = judge('GAD-7', [[12, 0], [11, 3], [16, 6]]);
      expect(judged?.reasons).toContain('reliable_change');
      expect(judged?.reasons).not.toContain('plateau');
    });

    test('a persisting plateau is not repeated at the very next assessment', () => {
      expect(judge('GAD-7', [[12, 0], [11, 3], [12, 6], [12, 9]], null)).toBeNull();
    });

    test('a persisting plateau is reported again once a fresh window of three assessments has passed', () => {
      expect(judge('GAD-7', [[12, 0], [11, 3], [12, 6], [12, 9], [11, 12], [12, 15]], null)).toMatchObject({ reasons: ['plateau'] });
    });

    test('non-response and plateau can be reported together', () => {
      expect(judge('PHQ-9', [[15, 0], [14, 4], [14, 8]])).toMatchObject({ reasons: ['non_response', 'plateau'] });
    });

    test('the window size and span are network policy and can be overridden', () => {
      const history = [score('GAD-7', 12, 0), score('GAD-7', 11, 3)];
      const input = { current: { instrument: 'GAD-7' as const, total: 12, safetyFlag: false }, at: week(6), history };
      expect(assessChange({ ...input, policy: { plateauMinimumWeeks: 8 } })).toBeNull();
      expect(
        assessChange({ ...input, history: [score('GAD-7', 12, 0)], policy: { plateauAssessments: 2, plateauMinimumWeeks: 6 } }),
      ).toMatchObject({ reasons: ['plateau'] });
    });
  });

  describe('inputs', () => {
    test('the previous score defaults to the last of the history and the baseline to the first', () => {
      const history = [score('PHQ-9', 8, 0), score('PHQ-9', 8, 1)];
      expect(assessChange({ current: { instrument: 'PHQ-9', total: 16, safetyFlag: false }, at: week(2), history })).toMatchObject({
        previousScore: 8,
        reasons: ['reliable_change', 'band_change'],
      });
    });

    test.each([
      ['history', { history: [score('GAD-7', 8, 0)] }],
      ['later', { previous: score('PHQ-9', 8, 0), later: [score('GAD-7', 8, 2)] }],
      ['previous', { previous: score('GAD-7', 8, 0) }],
      ['baseline', { previous: score('PHQ-9', 8, 0), baseline: score('GAD-7', 8, 0) }],
    ])('a %s score on another instrument is refused as inconsistent', (_field, extra) => {
      expect(() =>
        assessChange({ current: { instrument: 'PHQ-9', total: 8, safetyFlag: false }, at: week(1), ...extra }),
      ).toThrow(ChangeInputInconsistent);
    });
  });

  describe('properties', () => {
    const instrument = fc.constantFrom<InstrumentCode>('PHQ-9', 'GAD-7');
    const pair = instrument.chain((code) => {
      const max = code === 'PHQ-9' ? 27 : 21;
      return fc.tuple(fc.constant(code), fc.integer({ min: 0, max }), fc.integer({ min: 0, max }), fc.boolean(), fc.boolean());
    });

    test('a change is reported exactly when there is a reliable change, a band move or a new safety flag (two assessments)', () => {
      fc.assert(
        fc.property(pair, ([code, from, to, flagBefore, flagNow]) => {
          const before = code === 'PHQ-9' && flagBefore;
          const now = code === 'PHQ-9' && flagNow;
          const change = judge(code, [[from, 0, before], [to, 2, now]]);
          const threshold = code === 'PHQ-9' ? 6 : 4;
          const expected = {
            reliable_change: Math.abs(to - from) >= threshold,
            band_change: bandFor(code, from) !== bandFor(code, to),
            safety_flag: now && !before,
          };
          const reasons = Object.entries(expected).filter(([, present]) => present).map(([reason]) => reason);
          return reasons.length === 0 ? change === null : JSON.stringify(change?.reasons) === JSON.stringify(reasons);
        }),
      );
    });

    test('the direction always follows the sign of the score difference', () => {
      fc.assert(
        fc.property(pair, ([code, from, to]) => {
          const change = judge(code, [[from, 0], [to, 2]]);
          if (!change) return true;
          return change.direction === (to > from ? 'worsened' : to < from ? 'improved' : 'unchanged');
        }),
      );
    });
  });
});

describe('a meaningful clinical change: the series it is judged on', () => {
  describe('plateau window', () => {
    test('is the last three assessments only: an early reliable improvement does not hide a later plateau', () => {
      // GAD-7 20 -> 12 is a reliable improvement (4 points or more), then 12, 11, 12 over six weeks stays at caseness.
      expect(judge('GAD-7', [[20, 0], [12, 3], [11, 6], [12, 9]], null)).toMatchObject({
        previousScore: 11,
        newScore: 12,
        reasons: ['plateau'],
      });
    });

    test('unchanged scores over the window are a plateau with the direction unchanged', () => {
      expect(judge('GAD-7', [[12, 0], [12, 3], [12, 6]], null)).toEqual({
        instrument: 'GAD-7',
        previousScore: 12,
        newScore: 12,
        previousBand: 'moderate',
        newBand: 'moderate',
        direction: 'unchanged',
        reasons: ['plateau'],
        urgency: 'routine',
      });
    });

    test.each([0, 1])(
      'a policy window of %i assessments never makes a single assessment a plateau: a plateau is a lack of change between assessments',
      (plateauAssessments) => {
        const input = {
          current: { instrument: 'GAD-7' as const, total: 12, safetyFlag: false },
          at: week(6),
          history: [score('GAD-7', 12, 0)],
          policy: { plateauAssessments, plateauMinimumWeeks: 0 },
        };
        expect(assessChange(input)).toBeNull();
      },
    );

    test('without a history the previous score still counts towards the plateau window', () => {
      const change = assessChange({
        current: { instrument: 'GAD-7', total: 12, safetyFlag: false },
        at: week(6),
        previous: score('GAD-7', 12, 0),
        policy: { plateauAssessments: 2 },
      });
      expect(change).toMatchObject({ previousScore: 12, direction: 'unchanged', reasons: ['plateau'] });
    });
  });

  describe('a previous score without a history', () => {
    test('is judged for reliable change and band move like any other', () => {
      expect(
        assessChange({ current: { instrument: 'PHQ-9', total: 16, safetyFlag: false }, at: week(2), previous: score('PHQ-9', 8, 0) }),
      ).toMatchObject({ previousScore: 8, previousBand: 'mild', reasons: ['reliable_change', 'band_change'] });
    });
  });

  describe('a new safety flag without any change in the total', () => {
    test('is urgent and its direction is unchanged', () => {
      expect(judge('PHQ-9', [[12, 0], [12, 2, true]])).toMatchObject({ direction: 'unchanged', reasons: ['safety_flag'], urgency: 'urgent' });
    });
  });

  // docs/clinical-dates.md, "A score entered late": compared in administered order with the score before it; the
  // course rules (non-response, plateau) are the latest score's.
  describe('a score entered late, before scores already recorded', () => {
    const late = (
      instrument: InstrumentCode,
      before: readonly (readonly [number, number, boolean?])[],
      [total, atWeek, flag]: readonly [number, number, boolean?],
      after: readonly (readonly [number, number])[],
      treatmentStartedAt: string | null = week(0),
    ) => {
      const history = before.map(([t, w, f]) => score(instrument, t, w, f));
      return assessChange({
        current: { instrument, total, safetyFlag: flag ?? false },
        at: week(atWeek),
        previous: history[history.length - 1] ?? null,
        baseline: history[0] ?? null,
        history,
        later: after.map(([t, w]) => score(instrument, t, w)),
        treatmentStartedAt,
      });
    };

    test('is compared with the score administered just before it, not with the last one entered', () => {
      expect(late('PHQ-9', [[8, 0]], [16, 2], [[9, 4]])).toEqual({
        instrument: 'PHQ-9',
        previousScore: 8,
        newScore: 16,
        previousBand: 'mild',
        newBand: 'moderately_severe',
        direction: 'worsened',
        reasons: ['reliable_change', 'band_change'],
        urgency: 'routine',
      });
    });

    test('within noise of the score before it yields nothing, however far it is from the later one', () => {
      expect(late('PHQ-9', [[16, 0]], [15, 2], [[8, 4]])).toBeNull();
    });

    test('raises its new safety flag, urgent', () => {
      expect(late('PHQ-9', [[12, 0]], [13, 2, true], [[12, 4]])).toMatchObject({ reasons: ['safety_flag'], urgency: 'urgent', direction: 'worsened' });
    });

    test('before every recorded score it is the baseline: only a safety flag counts, with no direction', () => {
      expect(late('PHQ-9', [], [20, 0], [[8, 2]])).toBeNull();
      expect(late('PHQ-9', [], [20, 0, true], [[8, 2]])).toMatchObject({ previousScore: null, direction: null, reasons: ['safety_flag'] });
    });

    test('does not report non-response: that is judged at the latest score', () => {
      expect(late('PHQ-9', [[18, 0], [12, 4]], [11, 8], [])).toMatchObject({ reasons: ['non_response'] });
      expect(late('PHQ-9', [[18, 0], [12, 4]], [11, 8], [[12, 10]])).toBeNull();
    });

    test('does not report a plateau: that is judged at the latest score', () => {
      expect(late('GAD-7', [[12, 0], [11, 3]], [12, 6], [])).toMatchObject({ reasons: ['plateau'] });
      expect(late('GAD-7', [[12, 0], [11, 3]], [12, 6], [[12, 9]])).toBeNull();
    });

    test('still reports its reliable change and band move when the course rules are left to the latest score', () => {
      expect(late('PHQ-9', [[18, 0], [18, 4]], [11, 8], [[17, 10]])).toMatchObject({ direction: 'improved', reasons: ['reliable_change', 'band_change'] });
    });

    test('a later score on another instrument is refused and named', () => {
      expect(() =>
        assessChange({
          current: { instrument: 'PHQ-9', total: 8, safetyFlag: false },
          at: week(1),
          previous: score('PHQ-9', 8, 0),
          later: [score('PHQ-9', 8, 2), score('GAD-7', 8, 3)],
        }),
      ).toThrow(expect.objectContaining({ field: 'later[1]', message: 'A GAD-7 score cannot be compared with a PHQ-9 score.' }));
    });
  });

  describe('inconsistent inputs', () => {
    // A series is one client's scores on one instrument: a GAD-7 total among PHQ-9 totals would be read on the
    // wrong scale by the plateau and non-response rules, even when the first and last scores are right.
    test('a score on another instrument in the middle of the history is refused and named', () => {
      const history = [score('PHQ-9', 12, 0), score('GAD-7', 12, 3), score('PHQ-9', 12, 6)];
      let thrown: unknown;
      try {
        assessChange({ current: { instrument: 'PHQ-9', total: 12, safetyFlag: false }, at: week(9), history });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ChangeInputInconsistent);
      expect(thrown).toMatchObject({
        code: 'change_input_inconsistent',
        name: 'ChangeInputInconsistent',
        field: 'history[1]',
        message: 'A GAD-7 score cannot be compared with a PHQ-9 score.',
      });
    });

    test('a previous score on another instrument is refused with the field and both instruments named', () => {
      expect(() =>
        assessChange({ current: { instrument: 'GAD-7', total: 8, safetyFlag: false }, at: week(1), previous: score('PHQ-9', 8, 0) }),
      ).toThrow(expect.objectContaining({ field: 'previous', message: 'A PHQ-9 score cannot be compared with a GAD-7 score.' }));
    });
  });
});
