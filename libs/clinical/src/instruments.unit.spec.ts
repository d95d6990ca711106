import fc from 'fast-check';
import {
  GAD7,
  INSTRUMENTS,
  PHQ9,
  bandFor,
  bandRank,
  isAtOrAboveCaseness,
  isInstrumentCode,
  isReliableChange,
  isRemission,
  isResponse,
  mostSevereBand,
  type InstrumentCode,
  type SeverityBand,
} from './instruments';

describe('the instrument definitions', () => {
  test.each(Object.values(INSTRUMENTS))('the bands of $code cover its whole total range without gaps or overlaps', (definition) => {
    expect(definition.bands[0].min).toBe(definition.totalMin);
    expect(definition.bands[definition.bands.length - 1].max).toBe(definition.totalMax);
    definition.bands.slice(1).forEach((band, index) => expect(band.min).toBe(definition.bands[index].max + 1));
    expect(definition.totalMax).toBe(definition.itemCount * definition.itemMax);
  });

  test('PHQ-9 and GAD-7 carry the published thresholds and LOINC codes', () => {
    expect([PHQ9.itemCount, PHQ9.reliableChange, PHQ9.caseness, PHQ9.loinc, PHQ9.safetyItem]).toEqual([9, 6, 10, '44261-6', 9]);
    expect([GAD7.itemCount, GAD7.reliableChange, GAD7.caseness, GAD7.loinc, GAD7.safetyItem]).toEqual([7, 4, 8, '70274-6', null]);
  });

  test.each<[InstrumentCode, number, SeverityBand]>([
    ['PHQ-9', 0, 'minimal'],
    ['PHQ-9', 4, 'minimal'],
    ['PHQ-9', 5, 'mild'],
    ['PHQ-9', 9, 'mild'],
    ['PHQ-9', 10, 'moderate'],
    ['PHQ-9', 14, 'moderate'],
    ['PHQ-9', 15, 'moderately_severe'],
    ['PHQ-9', 19, 'moderately_severe'],
    ['PHQ-9', 20, 'severe'],
    ['PHQ-9', 27, 'severe'],
    ['GAD-7', 4, 'minimal'],
    ['GAD-7', 5, 'mild'],
    ['GAD-7', 10, 'moderate'],
    ['GAD-7', 14, 'moderate'],
    ['GAD-7', 15, 'severe'],
    ['GAD-7', 21, 'severe'],
  ])('a %s total of %i is in the %s band', (instrument, total, band) => {
    expect(bandFor(instrument, total)).toBe(band);
  });

  test('the most severe band is severe for both instruments', () => {
    expect(mostSevereBand('PHQ-9')).toBe('severe');
    expect(mostSevereBand('GAD-7')).toBe('severe');
  });

  test('remission is a total below 5', () => {
    expect(isRemission('PHQ-9', 4)).toBe(true);
    expect(isRemission('PHQ-9', 5)).toBe(false);
    expect(isRemission('GAD-7', 4)).toBe(true);
  });

  test('response is a reduction of at least half the baseline', () => {
    expect(isResponse('PHQ-9', 20, 10)).toBe(true);
    expect(isResponse('PHQ-9', 20, 11)).toBe(false);
    expect(isResponse('PHQ-9', 0, 0)).toBe(false);
  });

  test('every total in range falls in exactly one band', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(INSTRUMENTS)), fc.nat(27), (definition, raw) => {
        const total = raw % (definition.totalMax + 1);
        const containing = definition.bands.filter((band) => total >= band.min && total <= band.max);
        expect(containing.map((band) => band.band)).toEqual([bandFor(definition.code, total)]);
      }),
    );
  });
});

describe('the instrument rules at their boundaries', () => {
  test.each<[InstrumentCode, number, boolean]>([
    // NHS Talking Therapies manual: caseness is PHQ-9 10 or more, GAD-7 8 or more.
    ['PHQ-9', 9, false],
    ['PHQ-9', 10, true],
    ['GAD-7', 7, false],
    ['GAD-7', 8, true],
  ])('a %s total of %i is at or above caseness: %s', (instrument, total, expected) => {
    expect(isAtOrAboveCaseness(instrument, total)).toBe(expected);
  });

  test.each<[InstrumentCode, number, number, boolean]>([
    // NHS Talking Therapies manual: reliable change is 6 points on PHQ-9, 4 on GAD-7, either way.
    ['PHQ-9', 10, 15, false],
    ['PHQ-9', 10, 16, true],
    ['PHQ-9', 16, 10, true],
    ['GAD-7', 10, 13, false],
    ['GAD-7', 10, 14, true],
    ['GAD-7', 14, 10, true],
  ])('a %s move from %i to %i is a reliable change: %s', (instrument, from, to, expected) => {
    expect(isReliableChange(instrument, from, to)).toBe(expected);
  });

  test('a total outside the range is clamped into the nearest band', () => {
    expect(bandFor('PHQ-9', -1)).toBe('minimal');
    expect(bandFor('PHQ-9', 28)).toBe('severe');
    expect(bandFor('GAD-7', 22)).toBe('severe');
  });

  test('the rank of a band is its position from least to most severe; GAD-7 has no moderately severe band', () => {
    expect(bandRank('PHQ-9', 'minimal')).toBe(0);
    expect(bandRank('PHQ-9', 'moderately_severe')).toBe(3);
    expect(bandRank('PHQ-9', 'severe')).toBe(4);
    expect(bandRank('GAD-7', 'severe')).toBe(3);
    expect(bandRank('GAD-7', 'moderately_severe')).toBe(-1);
  });

  test('only the exact instrument code is an instrument code', () => {
    expect(isInstrumentCode('PHQ-9')).toBe(true);
    expect(isInstrumentCode('GAD-7')).toBe(true);
    expect(isInstrumentCode('phq-9')).toBe(false);
    expect(isInstrumentCode(['PHQ-9'])).toBe(false);
    expect(isInstrumentCode({ toString: () => 'GAD-7' })).toBe(false);
    expect(isInstrumentCode('toString')).toBe(false);
  });
});
