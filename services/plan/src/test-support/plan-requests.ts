import { randomUUID } from 'node:crypto';

// Builders for request bodies (docs/service-kit.md, "Tests"): a valid body by default, one override per test.

/** The clinician of a test file's plans, and the acting user of its requests (a clinician opens their own plans). */
export const TEST_CLINICIAN_ID = randomUUID();

export const anOpenPlanRequest = (overrides: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  clinicianId: TEST_CLINICIAN_ID,
  payerId: randomUUID(),
  presentingProblem: 'Low mood and worry since a job loss; avoiding friends.',
  strengths: ['close to her sister', 'keeps a daily routine'],
  diagnoses: [{ code: 'F32.1', rank: 'primary', description: 'Major depressive disorder, single episode, moderate' }],
  symptoms: [{ diagnosisCode: 'F32.1', description: 'Depressed mood most of the day' }],
  impairments: [{ diagnosisCode: 'F32.1', description: 'Has stopped seeing friends' }],
  service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
  ...overrides,
});

export const aGoalRequest = (overrides: Record<string, unknown> = {}) => ({
  clientGoal: `Feel less down and get back to seeing my friends (${randomUUID().slice(0, 8)})`,
  clinicalGoal: 'Reduce depressive symptoms and rebuild social activity through behavioural activation.',
  addresses: [{ kind: 'diagnosis', id: 'F32.1' }],
  ...overrides,
});

export const anObjectiveRequest = (goalId: string, overrides: Record<string, unknown> = {}) => ({
  goalId,
  description: 'PHQ-9 below 10',
  measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 16, target: 9 },
  targetDate: '2027-03-01',
  ...overrides,
});

export const anInterventionRequest = (objectiveId: string) => ({
  objectiveId,
  modality: 'behavioural_activation',
  description: 'Weekly activity scheduling',
  frequency: { count: 1, per: 'week' },
});

/** PHQ-9 item responses that add up to `total` (item 9 kept at 0 unless given). */
export const phq9 = (total: number, item9 = 0): number[] => {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  let left = total - item9;
  for (let i = 0; i < 8 && left > 0; i++) {
    items[i] = Math.min(3, left);
    left -= items[i];
  }
  if (left > 0) throw new Error(`a PHQ-9 total of ${total} needs item 9 above ${item9}`);
  return items;
};
