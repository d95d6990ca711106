import { randomUUID } from 'node:crypto';
import { TimerWorker } from '@golden-loop/scheduling';
import { openApiDocumentFor } from '@golden-loop/service-kit';
import { given, hostileRuns, runHostileInput, type Operation, type PreparedOperation } from '@golden-loop/service-testing';
import { PAYERS, planEvents, producerOf, startBilling, type BillingFixture } from './test-support/billing-fixture';

// The hostile-input suite of libs/service-testing over every endpoint of billing-readiness (docs/input-limits.md):
// no 5xx, a bounded problem body for every refusal, nothing stored by a refused request.

jest.setTimeout(120_000 + hostileRuns() * 6_000);

let api: BillingFixture;
beforeAll(async () => {
  api = await startBilling('billing_hostile');
});
afterAll(async () => api?.close());

const as = () => api.callers.billing(api.userId);
const iso = (at: string) => new Date(at).toISOString();

/** A plan in effect with an authorization and a re-authorization request: every path parameter names one of its things. */
const planForHostileRequests = async () => {
  const planId = randomUUID();
  const plan = planEvents(planId, PAYERS.commercial);
  for (const event of [
    plan.opened(iso('2026-03-01T09:00:00Z')),
    plan.signed(1, 'client', iso('2026-03-01T09:10:00Z')),
    plan.signed(1, 'clinician', iso('2026-03-01T09:11:00Z')),
    plan.revised(1, iso('2026-03-01T09:11:00Z')),
  ]) {
    await given(api, planId).whenMessage(event, producerOf(event));
  }
  await api.http().post(`/plans/${planId}/authorizations`).set(as()).send({ authorizationNumber: `PA-${planId.slice(0, 8)}`, serviceCodes: ['90837'], sessionsAuthorized: 24, startsOn: '2026-03-01', endsOn: '2026-12-31' }).expect(201);
  const request = await api.http().post(`/plans/${planId}/reauthorizations`).set(as()).send({ priority: 'standard', serviceCodes: ['90837'], sessionsRequested: 12 }).expect(201);
  return { planId, clinicianId: plan.clinicianId, requestId: (request.body.id ?? request.body.requestId) as string };
};

const prepare = async (operation: Operation): Promise<PreparedOperation> => {
  const { planId, clinicianId, requestId } = await planForHostileRequests();
  const examples: Record<string, unknown> = {
    'POST /plans/{planId}/authorizations': { authorizationNumber: 'PA-2026-000777', serviceCodes: ['90834'], sessionsAuthorized: 12, startsOn: '2026-04-01', endsOn: '2026-09-30' },
    'POST /plans/{planId}/sessions': { sessionId: randomUUID(), dateOfService: '2026-03-05', serviceCode: '90837', minutes: 53 },
    'POST /plans/{planId}/reauthorizations': { priority: 'expedited', serviceCodes: ['90837'], sessionsRequested: 8 },
    'POST /plans/{planId}/reauthorizations/{requestId}/decision': { decision: 'partial', sessionsApproved: 6, authorization: { authorizationNumber: 'PA-2026-000888', startsOn: '2027-01-01', endsOn: '2027-03-31' } },
    'POST /claims/precheck': { planId, dateOfService: '2026-03-09', serviceCode: '90837' },
    'PUT /clinicians/{clinicianId}/credentials': { credentials: ['lcsw'] },
  };
  // A token of a role the endpoint admits (docs/security.md): admin sets credentials, reloads rules, reads the trail.
  const admin = ['PUT /clinicians/{clinicianId}/credentials', 'POST /rule-sets/reload', 'GET /audit'].includes(operation.id);
  const headers = admin ? api.callers.admin(api.userId) : as();
  return { pathValues: { planId, requestId, clinicianId, ruleSetId: 'commercial-default' }, example: examples[operation.id], headers };
};

test('no hostile request makes billing-readiness answer 5xx, and none it refuses changes what it stores', async () => {
  const [{ BILLING_API }, { BillingReadinessModule }] = await Promise.all([import('./app'), import('./billing-readiness.module')]);
  const document = await openApiDocumentFor(BillingReadinessModule, BILLING_API);
  // What an accepted request set off (a credentials change re-checks the clinician's plans through timers due now)
  // is done before the next request's snapshot.
  const settle = async () => {
    await api.app.get(TimerWorker).runUntilNoneDue();
  };
  const report = await runHostileInput({ fixture: api, document, prepare, settle });
  expect(report.endpoints).toBe(Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0));
  expect(Object.keys(report.statuses).filter((status) => Number(status) >= 500)).toEqual([]);
  if (process.env.HOSTILE_REPORT === '1') console.log(JSON.stringify(report, null, 2));
});
