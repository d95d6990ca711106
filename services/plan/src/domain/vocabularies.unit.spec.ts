import {
  CHANGE_REASONS,
  INSTRUMENT_CODES,
  INSTRUMENTS as CLINICAL_INSTRUMENTS,
  type ChangeDirection,
  type ChangeUrgency,
  type GoldenLoopGoal,
  type InstrumentCode as ClinicalInstrumentCode,
  type SeverityBand,
} from '@golden-loop/clinical';
import {
  CHANGE_DIRECTIONS,
  INSTRUMENTS as CONTRACT_INSTRUMENTS,
  PLAN_ITEM_STATUSES,
  SEVERITY_BANDS,
  SYMPTOM_CHANGE_REASONS,
  URGENCIES,
  type InstrumentCode as ContractInstrumentCode,
} from '@golden-loop/contracts';

// libs/clinical scores assessments and judges changes; libs/contracts publishes what the plan found. Neither library
// may import the other (eslint module boundaries: a domain library depends on domain libraries only, the contracts on
// contracts only), so what both need is written in each, and this test ties them where the plan passes one's values
// to the other's schemas: libs/clinical is the source, libs/contracts must agree.

/** True only when A and B are the same union; a disagreement is a compile error where the check is written. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameUnion = <A, B>(same: Same<A, B>): boolean => same;

describe('libs/contracts agrees with libs/clinical, the source, on', () => {
  test('the instruments: the same codes in the same order, each with its LOINC code, highest total and severity bands', () => {
    expect(Object.keys(CONTRACT_INSTRUMENTS)).toEqual([...INSTRUMENT_CODES]);
    for (const code of INSTRUMENT_CODES) {
      const clinical = CLINICAL_INSTRUMENTS[code];
      expect({ code, ...CONTRACT_INSTRUMENTS[code] }).toEqual({
        code,
        loinc: clinical.loinc,
        maxScore: clinical.totalMax,
        bands: clinical.bands.map((range) => range.band),
      });
      // The contracts' score schema starts at 0 for every instrument.
      expect({ code, totalMin: clinical.totalMin }).toEqual({ code, totalMin: 0 });
    }
    expect(sameUnion<ClinicalInstrumentCode, ContractInstrumentCode>(true)).toBe(true);
  });

  test('the severity bands: every band of every instrument, from least to most severe', () => {
    const bands = INSTRUMENT_CODES.flatMap((code) => CLINICAL_INSTRUMENTS[code].bands.map((range) => range.band));
    expect([...SEVERITY_BANDS]).toEqual(SEVERITY_BANDS.filter((band) => bands.includes(band)));
    expect(new Set(bands)).toEqual(new Set(SEVERITY_BANDS));
    for (const code of INSTRUMENT_CODES) {
      const order = CLINICAL_INSTRUMENTS[code].bands.map((range) => SEVERITY_BANDS.indexOf(range.band));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(sameUnion<SeverityBand, (typeof SEVERITY_BANDS)[number]>(true)).toBe(true);
  });

  test('the reasons a change is meaningful, in the same order', () => {
    expect([...SYMPTOM_CHANGE_REASONS]).toEqual([...CHANGE_REASONS]);
  });

  test('the directions and urgencies of a change, and the statuses of goals and objectives (checked by the compiler)', () => {
    expect(sameUnion<ChangeDirection, (typeof CHANGE_DIRECTIONS)[number]>(true)).toBe(true);
    expect(sameUnion<ChangeUrgency, (typeof URGENCIES)[number]>(true)).toBe(true);
    expect(sameUnion<GoldenLoopGoal['status'], (typeof PLAN_ITEM_STATUSES)[number]>(true)).toBe(true);
  });
});
