import { randomUUID } from 'node:crypto';
import { BEHAVIOURAL_UNIT_RANGES, BEHAVIOURAL_UNITS, CATALOGUE, PLAN_COLLECTION_LIMITS, PLAN_NUMBER_RANGES } from './index';
import { sampleEvent } from './testing/sample-events';
import { validatorsOf } from './validators';

// The limits the plan domain imports are the ones the published schemas enforce: a list one longer, or a number
// one past its range, is refused by the contract, the list at the limit is accepted.

const revised = sampleEvent('PlanRevised.v1').payload;
const validRevised = (revisedPlan: Record<string, unknown>) => validatorsOf(CATALOGUE['PlanRevised.v1']).payload({ ...revised, revisedPlan: { ...revised.revisedPlan, ...revisedPlan } });

const codes = (n: number) => Array.from({ length: n }, (_, i) => ({ code: `F${String(10 + Math.floor(i / 10))}.${i % 10}`, rank: i === 0 ? 'primary' : 'secondary' }));
const goals = (n: number) => Array.from({ length: n }, () => ({ goalId: randomUUID(), status: 'active', diagnosisCodes: [] }));
const objectives = (n: number) =>
  Array.from({ length: n }, () => ({ objectiveId: randomUUID(), goalId: randomUUID(), status: 'active', measure: null, targetDate: null }));
const interventions = (n: number) => Array.from({ length: n }, () => ({ interventionId: randomUUID(), modality: 'cbt', frequency: null }));

describe('collection limits: PLAN_COLLECTION_LIMITS is what the schemas enforce', () => {
  test.each([
    ['diagnoses', PLAN_COLLECTION_LIMITS.diagnoses, codes],
    ['goals', PLAN_COLLECTION_LIMITS.goals, goals],
    ['objectives', PLAN_COLLECTION_LIMITS.objectives, objectives],
    ['interventions', PLAN_COLLECTION_LIMITS.activeInterventions, interventions],
  ] as const)('PlanRevised takes %s up to %i and refuses one more', (list, limit, make) => {
    expect(validRevised({ [list]: make(limit) })).toBe(true);
    expect(validRevised({ [list]: make(limit + 1) })).toBe(false);
  });

  test('PlanOpened takes up to the diagnosis limit and refuses one more', () => {
    const validate = validatorsOf(CATALOGUE['PlanOpened.v1']).payload;
    const opened = sampleEvent('PlanOpened.v1').payload;
    expect(validate({ ...opened, diagnoses: codes(PLAN_COLLECTION_LIMITS.diagnoses) })).toBe(true);
    expect(validate({ ...opened, diagnoses: codes(PLAN_COLLECTION_LIMITS.diagnoses + 1) })).toBe(false);
  });
});

describe('number ranges', () => {
  test('every unit has a range, and each lies inside the published schema’s range (the domain is stricter, never looser)', () => {
    expect(Object.keys(BEHAVIOURAL_UNIT_RANGES).sort()).toEqual([...BEHAVIOURAL_UNITS].sort());
    for (const range of Object.values(BEHAVIOURAL_UNIT_RANGES)) {
      expect(range.min).toBeGreaterThanOrEqual(PLAN_NUMBER_RANGES.behaviouralAmount.min);
      expect(range.max).toBeLessThanOrEqual(PLAN_NUMBER_RANGES.behaviouralAmount.max);
      expect(range.min).toBeLessThan(range.max);
    }
  });

  test('the schema still takes any unit from 0 to 10000 (narrowing v1 would break its consumers)', () => {
    const measure = { kind: 'behavioural', unit: 'days_per_week', baseline: PLAN_NUMBER_RANGES.behaviouralAmount.max, target: 0 };
    const objective = { objectiveId: randomUUID(), goalId: randomUUID(), status: 'active', measure, targetDate: null };
    expect(validRevised({ objectives: [objective] })).toBe(true);
    expect(validRevised({ objectives: [{ ...objective, measure: { ...measure, baseline: PLAN_NUMBER_RANGES.behaviouralAmount.max + 1 } }] })).toBe(false);
  });

  test.each([
    ['sessionMinutes', PLAN_NUMBER_RANGES.sessionMinutes],
    ['expectedDurationWeeks', PLAN_NUMBER_RANGES.expectedDurationWeeks],
  ] as const)('PlanRevised takes %s within its range only', (field, range) => {
    const service = (value: number) => ({ service: { ...revised.revisedPlan.service, [field]: value } });
    expect(validRevised(service(range.min))).toBe(true);
    expect(validRevised(service(range.max))).toBe(true);
    expect(validRevised(service(range.min - 1))).toBe(false);
    expect(validRevised(service(range.max + 1))).toBe(false);
  });
});
