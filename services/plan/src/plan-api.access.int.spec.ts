import { randomUUID } from 'node:crypto';
import { openApiDocumentFor } from '@golden-loop/service-kit';
import { renderAccessMatrix, runAccessMatrix, type AccessRoute } from '@golden-loop/service-testing';
import { PlanSummariesProjection } from './read-models/plan-summaries.projection';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';
import { aPlanWithEverything } from './test-support/plan-stories';
import { aGoalRequest, anInterventionRequest, anObjectiveRequest, anOpenPlanRequest } from './test-support/plan-requests';

// Who may do what in the plan service (docs/security.md), against the real service: the role × endpoint ×
// own/other-caseload matrix, the rules of opening and signing, lists scoped to the caseload, tokens refused over
// HTTP, and the audit trail.

let api: PlanApiFixture;
beforeAll(async () => {
  api = await startPlanApi('plan_access');
});
afterAll(async () => api?.close());

const as = () => api.asClinician();

const aPlan = () => aPlanWithEverything(api);

const clinicianOnly: Omit<AccessRoute, 'id'> = { roles: ['clinician'], scope: 'plan' };
const readers: Omit<AccessRoute, 'id'> = { roles: ['clinician', 'supervisor', 'client'], scope: 'plan' };

/** The plan service's matrix, as docs/security.md states it. */
const ROUTES: AccessRoute[] = [
  { id: 'POST /plans', roles: ['clinician'] },
  { id: 'GET /plans', roles: ['clinician', 'supervisor', 'client', 'billing'], query: `clinicianId=${randomUUID()}` },
  { id: 'GET /plans/{planId}', ...readers },
  { id: 'GET /plans/{planId}/as-of', ...readers, query: 'at=2099-01-01T00:00:00Z' },
  { id: 'GET /plans/{planId}/revisions', ...readers },
  { id: 'GET /plans/{planId}/timeline', ...readers },
  { id: 'GET /plans/{planId}/fhir', ...readers },
  { id: 'POST /plans/{planId}/revisions/{revision}/signatures', roles: ['clinician', 'client'], scope: 'plan' },
  ...[
    'POST /plans/{planId}/revisions',
    'DELETE /plans/{planId}/revisions/{revision}',
    'POST /plans/{planId}/draft/diagnoses',
    'DELETE /plans/{planId}/draft/diagnoses/{code}',
    'PUT /plans/{planId}/draft/primary-diagnosis',
    'POST /plans/{planId}/draft/symptoms',
    'DELETE /plans/{planId}/draft/symptoms/{symptomId}',
    'POST /plans/{planId}/draft/impairments',
    'DELETE /plans/{planId}/draft/impairments/{impairmentId}',
    'PUT /plans/{planId}/draft/service',
    'POST /plans/{planId}/draft/goals',
    'PATCH /plans/{planId}/draft/goals/{goalId}',
    'POST /plans/{planId}/draft/goals/{goalId}/discontinue',
    'POST /plans/{planId}/draft/objectives',
    'PATCH /plans/{planId}/draft/objectives/{objectiveId}',
    'POST /plans/{planId}/draft/objectives/{objectiveId}/discontinue',
    'POST /plans/{planId}/draft/interventions',
    'POST /plans/{planId}/draft/interventions/{interventionId}/discontinue',
    'POST /plans/{planId}/assessments',
    'POST /plans/{planId}/life-events',
    'POST /plans/{planId}/goals/{goalId}/met',
    'POST /plans/{planId}/objectives/{objectiveId}/met',
    'POST /plans/{planId}/close',
  ].map((id) => ({ id, ...clinicianOnly })),
  { id: 'GET /audit', roles: ['admin'] },
];

test('role × endpoint × own/other caseload: every cell answers what docs/security.md says', async () => {
  const [{ PLAN_API }, { PlanModule }] = await Promise.all([import('./app'), import('./plan.module')]);
  const document = await openApiDocumentFor(PlanModule, PLAN_API);
  const { planId, clientId, pathValues } = await aPlan();
  const { cells, wrong, missing } = await runAccessMatrix({
    fixture: api,
    document,
    routes: ROUTES,
    caseload: { planId, clinicianId: api.userId, clientId },
    pathValues,
    unknownPlanCode: 'plan_not_found',
  });
  if (process.env.ACCESS_REPORT === '1') console.log(renderAccessMatrix(cells));
  expect(missing).toEqual([]);
  expect(wrong).toEqual([]);
  expect(cells).toHaveLength(ROUTES.length * 9);
});

test("another clinician's plan answers exactly as a plan that does not exist", async () => {
  const { planId } = await aPlan();
  const stranger = api.callers.clinician(randomUUID());
  const hidden = await api.http().get(`/plans/${planId}`).set(stranger).expect(404);
  const unknownId = randomUUID();
  const unknown = await api.http().get(`/plans/${unknownId}`).set(stranger).expect(404);
  expect({ ...hidden.body, instance: undefined }).toEqual({ ...unknown.body, instance: undefined });
});

describe('opening and signing', () => {
  test('a clinician opens plans on their own caseload only; clinicianId defaults to the caller', async () => {
    const refused = await api.http().post('/plans').set(as()).send(anOpenPlanRequest({ clinicianId: randomUUID() })).expect(403);
    expect(refused.body).toMatchObject({ code: 'not_your_caseload', problems: [expect.objectContaining({ field: 'clinicianId' })] });
    const { clinicianId: _, ...withoutClinician } = anOpenPlanRequest();
    const opened = await api.http().post('/plans').set(as()).send(withoutClinician).expect(201);
    const plan = await api.http().get(`/plans/${opened.body.planId}`).set(as()).expect(200);
    expect(plan.body.clinicianId).toBe(api.userId);
  });

  test('the client signs with their own token; the clinician records only an in-session attestation for them', async () => {
    const body = anOpenPlanRequest();
    const planId = (await api.http().post('/plans').set(as()).send(body).expect(201)).body.planId as string;
    const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
    const objectiveId = (await api.http().post(`/plans/${planId}/draft/objectives`).set(as()).send(anObjectiveRequest(goalId)).expect(201)).body.id as string;
    await api.http().post(`/plans/${planId}/draft/interventions`).set(as()).send(anInterventionRequest(objectiveId)).expect(201);
    const sign = (headers: Record<string, string>, signature: Record<string, string>) => api.http().post(`/plans/${planId}/revisions/1/signatures`).set(headers).send(signature);

    // An e-signature in the client's name by the clinician is not the client's.
    expect((await sign(as(), { signerRole: 'client', signerId: body.clientId, method: 'electronic' }).expect(403)).body.code).toBe('signature_not_yours');
    // Nor may a client sign as the clinician, or in another client's name.
    expect((await sign(api.callers.client(body.clientId), { signerRole: 'clinician', signerId: api.userId, method: 'electronic' }).expect(403)).body.code).toBe('signature_not_yours');
    // A clinician signs as clinician only as themself.
    expect((await sign(as(), { signerRole: 'clinician', signerId: randomUUID(), method: 'electronic' }).expect(403)).body.code).toBe('signature_not_yours');

    await sign(api.callers.client(body.clientId), { signerRole: 'client', signerId: body.clientId, method: 'electronic' }).expect(201);
    await sign(as(), { signerRole: 'clinician', signerId: api.userId, method: 'electronic' }).expect(201);
    const plan = await api.http().get(`/plans/${planId}`).set(api.callers.client(body.clientId)).expect(200);
    expect(plan.body.status).toBe('in_effect');
  });
});

test("lists show only the caller's caseload, whatever the filter asks for", async () => {
  const mine = await aPlan();
  const theirs = randomUUID();
  const theirPlan = (await api.http().post('/plans').set(api.callers.clinician(theirs)).send(anOpenPlanRequest({ clinicianId: theirs, clientId: mine.clientId })).expect(201)).body.planId as string;
  await api.app.get(PlanSummariesProjection).drain();
  const ids = (response: { body: { items: { planId: string }[] } }) => response.body.items.map((item) => item.planId);

  const byClient = await api.http().get('/plans').query({ clientId: mine.clientId }).set(as()).expect(200);
  expect(ids(byClient)).toEqual([mine.planId]);
  const byOtherClinician = await api.http().get('/plans').query({ clinicianId: theirs }).set(as()).expect(200);
  expect(byOtherClinician.body).toMatchObject({ items: [], total: 0 });
  const supervisor = await api.http().get('/plans').query({ clinicianId: theirs }).set(api.callers.supervisor([theirs])).expect(200);
  expect(ids(supervisor)).toEqual([theirPlan]);
  const client = await api.http().get('/plans').query({ clientId: mine.clientId }).set(api.callers.client(mine.clientId)).expect(200);
  expect(ids(client).sort()).toEqual([mine.planId, theirPlan].sort());
  const otherClient = await api.http().get('/plans').query({ clientId: mine.clientId }).set(api.callers.client(randomUUID())).expect(200);
  expect(otherClient.body.total).toBe(0);
  const billing = await api.http().get('/plans').query({ clientId: mine.clientId }).set(api.callers.billing()).expect(200);
  expect(ids(billing).sort()).toEqual([mine.planId, theirPlan].sort());
});

describe('tokens over HTTP', () => {
  const claims = () => ({ sub: api.userId, roles: ['clinician' as const] });
  const tampered: [string, () => string, string][] = [
    ['no token', () => '', 'token_missing'],
    ['a bad signature', () => {
      const [header, payload] = api.issuer.mint(claims()).split('.');
      return `Bearer ${header}.${payload}.${'A'.repeat(86)}`;
    }, 'token_invalid'],
    ['an expired token', () => `Bearer ${api.issuer.mint({ ...claims(), ttlSeconds: -120 })}`, 'token_expired'],
    ['a token not yet valid', () => `Bearer ${api.issuer.mint({ ...claims(), notBefore: Math.floor(Date.now() / 1000) + 3600 })}`, 'token_invalid'],
    ['another issuer', () => `Bearer ${api.issuer.mint({ ...claims(), iss: 'https://issuer.example' })}`, 'token_invalid'],
    ['another audience', () => `Bearer ${api.issuer.mint({ ...claims(), aud: 'another-api' })}`, 'token_invalid'],
    ['alg: none', () => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims(), iss: api.issuer.issuer, aud: api.issuer.audience, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    }, 'token_invalid'],
    ['X-User-Id instead of a token', () => '', 'token_missing'],
  ];

  test.each(tampered)('%s: 401 with a Bearer challenge, and nothing read', async (name, authorization, code) => {
    const { planId } = await aPlan();
    let call = api.http().get(`/plans/${planId}/timeline`);
    call = name.startsWith('X-User-Id') ? call.set('X-User-Id', api.userId) : authorization() === '' ? call : call.set('Authorization', authorization());
    const response = await call.expect(401);
    expect(response.body).toMatchObject({ status: 401, code });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="golden-loop"/);
    expect(response.text).not.toMatch(/PlanOpened|clientGoal|presentingProblem/);
  });
});

describe('the audit trail', () => {
  test("a plan's full access history in one request: reads, writes and a stranger's refused look, with who and why", async () => {
    const { planId } = await aPlan();
    const stranger = randomUUID();
    await api.http().get(`/plans/${planId}/timeline`).set(as()).set('X-Purpose-Of-Use', 'HOPERAT').expect(200);
    await api.http().get(`/plans/${planId}`).set(api.callers.clinician(stranger)).expect(404);
    await api.app.get(PlanSummariesProjection).drain();
    await api.http().get('/plans').query({ clinicianId: api.userId, pageSize: 100 }).set(api.callers.billing()).expect(200);

    const trail = await api.http().get('/audit').query({ planId }).set(api.callers.admin()).expect(200);
    const entries = trail.body.items as { actorId: string; action: string; route: string; purpose: string; outcome: number; planId?: string; planIds: string[] }[];
    expect(entries[0]).toMatchObject({ action: 'list', route: '/plans', purpose: 'HPAYMT', outcome: 200, planIds: expect.arrayContaining([planId]) });
    expect(entries[1]).toMatchObject({ actorId: stranger, route: '/plans/:planId', planId, outcome: 404, purpose: 'TREAT' });
    expect(entries[2]).toMatchObject({ actorId: api.userId, action: 'timeline', route: '/plans/:planId/timeline', planId, outcome: 200, purpose: 'HOPERAT' });
    // The writes that made the plan are there too, oldest last: opening it first of all.
    expect(entries.at(-1)).toMatchObject({ actorId: api.userId, method: 'POST', route: '/plans', outcome: 201 });
    // Only an admin reads it.
    await api.http().get('/audit').query({ planId }).set(as()).expect(403);
  });

  test("is append-only, for the service's own database role too", async () => {
    await expect(api.dataSource.query('UPDATE audit_events SET outcome = 200')).rejects.toThrow(/append-only/);
    await expect(api.dataSource.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(api.dataSource.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
  });
});
