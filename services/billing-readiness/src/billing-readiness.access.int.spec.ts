import { randomUUID } from 'node:crypto';
import { openApiDocumentFor } from '@golden-loop/service-kit';
import { given, renderAccessMatrix, runAccessMatrix, type AccessRoute } from '@golden-loop/service-testing';
import { PAYERS, planEvents, producerOf, startBilling, type BillingFixture } from './test-support/billing-fixture';

// Who may do what in billing-readiness (docs/security.md): the role × endpoint × own/other-caseload matrix against
// the real service. The caseload is what billing learned from PlanOpened.

let api: BillingFixture;
beforeAll(async () => {
  api = await startBilling('billing_access');
});
afterAll(async () => api?.close());

const iso = (at: string) => new Date(at).toISOString();

const billingOnPlan: Omit<AccessRoute, 'id'> = { roles: ['billing'], scope: 'plan' };

/** billing-readiness's matrix, as docs/security.md states it. */
const ROUTES: AccessRoute[] = [
  { id: 'GET /worklist', roles: ['billing'] },
  { id: 'GET /plans/{planId}/readiness', roles: ['billing', 'clinician', 'supervisor'], scope: 'plan' },
  { id: 'GET /plans/{planId}/checks', roles: ['billing', 'clinician', 'supervisor'], scope: 'plan' },
  ...[
    'GET /plans/{planId}/authorizations',
    'POST /plans/{planId}/authorizations',
    'GET /plans/{planId}/sessions',
    'POST /plans/{planId}/sessions',
    'GET /plans/{planId}/reauthorizations',
    'POST /plans/{planId}/reauthorizations',
    'GET /plans/{planId}/reauthorizations/{requestId}',
    'GET /plans/{planId}/reauthorizations/{requestId}/bundle',
    'POST /plans/{planId}/reauthorizations/{requestId}/decision',
  ].map((id) => ({ id, ...billingOnPlan })),
  { id: 'POST /claims/precheck', roles: ['billing'] },
  { id: 'GET /rule-sets', roles: ['billing', 'admin'] },
  { id: 'GET /rule-sets/{ruleSetId}', roles: ['billing', 'admin'] },
  { id: 'POST /rule-sets/reload', roles: ['admin'] },
  { id: 'PUT /clinicians/{clinicianId}/credentials', roles: ['admin'] },
  { id: 'GET /clinicians/{clinicianId}/credentials', roles: ['admin', 'billing'] },
  { id: 'GET /audit', roles: ['admin'] },
];

test('role × endpoint × own/other caseload: every cell answers what docs/security.md says', async () => {
  const [{ BILLING_API }, { BillingReadinessModule }] = await Promise.all([import('./app'), import('./billing-readiness.module')]);
  const document = await openApiDocumentFor(BillingReadinessModule, BILLING_API);
  const [planId, clinicianId, clientId] = [randomUUID(), randomUUID(), randomUUID()];
  const plan = planEvents(planId, PAYERS.commercial, clinicianId, clientId);
  for (const event of [plan.opened(iso('2026-03-01T09:00:00Z')), plan.signed(1, 'client', iso('2026-03-01T09:10:00Z')), plan.signed(1, 'clinician', iso('2026-03-01T09:11:00Z')), plan.revised(1, iso('2026-03-01T09:11:00Z'))]) {
    await given(api, planId).whenMessage(event, producerOf(event));
  }
  const billing = api.callers.billing();
  await api.http().post(`/plans/${planId}/authorizations`).set(billing).send({ authorizationNumber: 'PA-2026-000123', serviceCodes: ['90837'], sessionsAuthorized: 24, startsOn: '2026-03-01', endsOn: '2026-12-31' }).expect(201);
  const request = await api.http().post(`/plans/${planId}/reauthorizations`).set(billing).send({ priority: 'standard', serviceCodes: ['90837'], sessionsRequested: 12 }).expect(201);

  const { cells, wrong, missing } = await runAccessMatrix({
    fixture: api,
    document,
    routes: ROUTES,
    caseload: { planId, clinicianId, clientId },
    pathValues: { requestId: (request.body.id ?? request.body.requestId) as string, ruleSetId: 'commercial-default' },
    unknownPlanCode: 'plan_not_found',
  });
  if (process.env.ACCESS_REPORT === '1') console.log(renderAccessMatrix(cells));
  expect(missing).toEqual([]);
  expect(wrong).toEqual([]);
});
