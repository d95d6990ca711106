import { randomUUID } from 'node:crypto';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';

// The rate limit per token (RATE_LIMIT_PER_MINUTE, docs/security.md), on a service started with a small one.

let api: PlanApiFixture;
beforeAll(async () => {
  api = await startPlanApi('plan_rate_limit', { RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(async () => api?.close());

test('over the limit a token gets 429 in the problem format with Retry-After; another token is not slowed', async () => {
  const busy = api.callers.clinician(api.userId);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await api.http().get('/plans').query({ clinicianId: api.userId }).set(busy)).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);

  const refused = await api.http().get('/plans').query({ clinicianId: api.userId }).set(busy).expect(429);
  expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(refused.body).toMatchObject({ status: 429, code: 'too_many_requests' });
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

  const other = randomUUID();
  await api.http().get('/plans').query({ clinicianId: other }).set(api.callers.clinician(other)).expect(200);
  // Liveness and readiness are never limited: an orchestrator polls them.
  for (let i = 0; i < 8; i++) await api.http().get('/health/live').expect(200);
});
