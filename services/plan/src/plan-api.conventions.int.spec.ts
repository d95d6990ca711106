import { randomUUID } from 'node:crypto';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';
import { aGoalRequest, anInterventionRequest, anObjectiveRequest, anOpenPlanRequest, phq9 } from './test-support/plan-requests';

// The HTTP conventions of the service kit, as a client meets them on the plan service: problem details with one
// code per fact, 412 for a stale If-Match, metrics that move, correlation ids that reach Kafka, JSON logs
// without PHI.

let api: PlanApiFixture;
beforeAll(async () => {
  api = await startPlanApi('plan_conventions');
});
afterAll(async () => api?.close());

const as = () => api.asClinician();

const planInEffect = async () => {
  const body = anOpenPlanRequest();
  const planId = (await api.http().post('/plans').set(as()).send(body).expect(201)).body.planId as string;
  const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
  const objectiveId = (await api.http().post(`/plans/${planId}/draft/objectives`).set(as()).send(anObjectiveRequest(goalId)).expect(201)).body.id as string;
  await api.http().post(`/plans/${planId}/draft/interventions`).set(as()).send(anInterventionRequest(objectiveId)).expect(201);
  for (const [signerRole, signerId] of [['client', body.clientId], ['clinician', body.clinicianId]] as const) {
    await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole, signerId, method: signerRole === 'client' ? 'verbal_attested' : 'electronic' }).expect(201);
  }
  return { planId, body };
};

describe('errors are RFC 9457 problem details', () => {
  test('an unknown plan answers the same code to a command and to a query', async () => {
    const unknown = randomUUID();
    const command = await api.http().post(`/plans/${unknown}/assessments`).set(as()).send({ instrument: 'PHQ-9', items: phq9(10) }).expect(404);
    const query = await api.http().get(`/plans/${unknown}`).set(as()).expect(404);

    const expected = {
      type: 'urn:goldenloop:problem:plan_not_found',
      title: 'Plan not found',
      status: 404,
      detail: 'There is no treatment plan with this id; open one first.',
      code: 'plan_not_found',
      problems: [],
    };
    expect(command.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(command.body).toEqual({ ...expected, instance: `/plans/${unknown}/assessments` });
    expect(query.body).toEqual({ ...expected, instance: `/plans/${unknown}` });
  });

  test.each([
    ['1.5', 1.5, 'PHQ-9 item 1 must be a whole number from 0 to 3; got 1.5.'],
    ['4', 4, 'PHQ-9 item 1 must be from 0 to 3; got 4.'],
  ])('an item of %s is assessment_invalid on items[0], like every other item problem', async (_, item, reason) => {
    const { planId } = await planInEffect();
    const items = [item, 1, 1, 1, 1, 1, 1, 1, 0];
    const response = await api.http().post(`/plans/${planId}/assessments`).set(as()).send({ instrument: 'PHQ-9', items }).expect(400);
    expect(response.body).toEqual({
      type: 'urn:goldenloop:problem:assessment_invalid',
      title: 'Assessment invalid',
      status: 400,
      detail: `The assessment was not recorded: ${reason}`,
      code: 'assessment_invalid',
      problems: [{ field: 'items[0]', reason }],
      instance: `/plans/${planId}/assessments`,
    });
  });

  test('a stale If-Match answers 412 Precondition Failed with the current version, and writes nothing', async () => {
    const { planId } = await planInEffect();
    const read = await api.http().get(`/plans/${planId}`).set(as()).expect(200);
    const version = read.body.version as number;
    await api.http().post(`/plans/${planId}/assessments`).set(as()).set('If-Match', read.headers.etag).send({ instrument: 'PHQ-9', items: phq9(6) }).expect(201);

    const stale = await api.http().post(`/plans/${planId}/assessments`).set(as()).set('If-Match', read.headers.etag).send({ instrument: 'PHQ-9', items: phq9(7) });

    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({
      type: 'urn:goldenloop:problem:version_conflict',
      title: 'Version conflict',
      status: 412,
      detail: `It changed since you read it (you had version ${version}, it is now at ${version + 1}); reload it and try again.`,
      code: 'version_conflict',
      problems: [{ field: 'If-Match', reason: `It changed since you read it (you had version ${version}, it is now at ${version + 1}); reload it and try again.` }],
      currentVersion: version + 1,
      instance: `/plans/${planId}/assessments`,
    });
    expect((await api.http().get(`/plans/${planId}`).set(as()).expect(200)).body.version).toBe(version + 1);
  });

  test('malformed JSON, an unknown route and a loosely written revision number each get their own code', async () => {
    const malformed = await api.http().post('/plans').set(as()).set('Content-Type', 'application/json').send('{"clientId":').expect(400);
    expect(malformed.body).toEqual({
      type: 'urn:goldenloop:problem:malformed_json',
      title: 'Malformed json',
      status: 400,
      detail: 'The request body is not valid JSON.',
      code: 'malformed_json',
      problems: [],
      instance: '/plans',
    });

    const route = await api.http().get('/no-such-thing').set(as()).expect(404);
    expect(route.body).toMatchObject({ status: 404, code: 'route_not_found' });

    const { planId } = await planInEffect();
    for (const revision of ['0x1', '+1', '1e0', '%201']) {
      const loose = await api.http().post(`/plans/${planId}/revisions/${revision}/signatures`).set(as()).send({ signerRole: 'client', signerId: randomUUID(), method: 'electronic' });
      expect(loose.status).toBe(400);
      expect(loose.body.problems).toEqual([{ field: 'revision', reason: 'must be a positive whole number written in digits' }]);
    }
  });
});

describe('operations', () => {
  const metric = (text: string, name: string, labels: Record<string, string> = {}): number => {
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    const line = text.split('\n').find((row) => row.startsWith(`${name}{`) && wanted.every((label) => row.includes(label)) || row.startsWith(`${name} `));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  test('after a command, /metrics shows the request, the append and the outbox moving', async () => {
    const { planId } = await planInEffect();
    await api.settledFor(planId);
    const before = (await api.http().get('/metrics').set(as()).expect(200)).text;
    const route = { route: '/plans/:planId/assessments', status: '201', method: 'POST' };

    await api.http().post(`/plans/${planId}/assessments`).set(as()).send({ instrument: 'PHQ-9', items: phq9(9) }).expect(201);
    await api.settledFor(planId);
    const after = await api.http().get('/metrics').set(as()).expect(200);

    expect(after.headers['content-type']).toMatch(/^text\/plain/);
    expect(metric(after.text, 'http_request_duration_seconds_count', route)).toBe(metric(before, 'http_request_duration_seconds_count', route) + 1);
    expect(metric(after.text, 'event_store_append_duration_seconds_count', { stream_type: 'TreatmentPlan' })).toBeGreaterThan(
      metric(before, 'event_store_append_duration_seconds_count', { stream_type: 'TreatmentPlan' }),
    );
    expect(metric(after.text, 'outbox_published_messages_total')).toBeGreaterThan(metric(before, 'outbox_published_messages_total'));
    expect(metric(after.text, 'outbox_backlog_messages')).toBe(0);
    expect(after.text).toMatch(/subscription_lag_events\{.*subscription="plan-summaries"/);
    expect(after.text).toContain('service="plan"');
    expect(metric(after.text, 'command_fold_cache_lookups_total', { result: 'hit' })).toBeGreaterThan(0);
    expect(after.text).toMatch(/^timers_due\{service="plan"\} 0$/m);
    const verifications = (text: string) => metric(text, 'auth_token_verifications_total', { result: 'hit' }) + metric(text, 'auth_token_verifications_total', { result: 'miss' });
    expect(verifications(after.text)).toBeGreaterThan(verifications(before));
    expect(metric(after.text, 'auth_tokens_remembered')).toBeGreaterThan(0);
  });

  test('a correlation id sent on a request reaches the Kafka record, and the trace context rides along', async () => {
    const correlationId = randomUUID();
    const opened = await api.http().post('/plans').set(as()).set('X-Correlation-Id', correlationId.toUpperCase()).send(anOpenPlanRequest()).expect(201);
    expect(opened.headers['x-correlation-id']).toBe(correlationId);
    const [record] = await api.publishedFor(opened.body.planId as string, (events) => events.length >= 1);
    expect(record.envelope.correlationid).toBe(correlationId);

    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
    const traced = await api.http().post('/plans').set(as()).set('traceparent', traceparent).send(anOpenPlanRequest()).expect(201);
    const [tracedRecord] = await api.publishedFor(traced.body.planId as string, (events) => events.length >= 1);
    expect(tracedRecord.envelope).toMatchObject({ traceparent, correlationid: '4bf92f35-77b3-4da6-a3ce-929d0e0e4736' });
  });

  test('logs are JSON lines with the service name and the correlation id, and no PHI', async () => {
    const correlationId = randomUUID();
    const marker = `Presenting problem ${randomUUID()}`;
    const response = await api.http().post('/plans').set(as()).set('X-Correlation-Id', correlationId).send(anOpenPlanRequest({ presentingProblem: marker })).expect(201);
    await api.http().post(`/plans/${response.body.planId}/assessments`).set(as()).set('X-Correlation-Id', correlationId).send({ instrument: 'PHQ-9', items: 'not a list' }).expect(400);

    const lines = api.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const ours = lines.filter((line) => line.correlationId === correlationId);
    expect(ours.length).toBeGreaterThanOrEqual(2);
    expect(ours.every((line) => line.service === 'plan')).toBe(true);
    expect(ours.map((line) => (line.res as { statusCode: number } | undefined)?.statusCode)).toEqual(expect.arrayContaining([201, 400]));
    expect(api.logs.join('\n')).not.toContain(marker);
  });
});
