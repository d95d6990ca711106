import { randomUUID } from 'node:crypto';
import type { DecodedEvent } from '@golden-loop/contracts';
import { PostgresEventStore } from '@golden-loop/event-store';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';
import { aGoalRequest, anInterventionRequest, anObjectiveRequest, anOpenPlanRequest, phq9 } from './test-support/plan-requests';

let api: PlanApiFixture;
beforeAll(async () => {
  api = await startPlanApi('plan_api');
});
afterAll(async () => api?.close());

const names = (events: DecodedEvent[]) => events.map((event) => event.name);
const as = (api: PlanApiFixture) => api.asClinician();

const openPlan = async (overrides: Record<string, unknown> = {}) => {
  const response = await api.http().post('/plans').set(as(api)).send(anOpenPlanRequest(overrides)).expect(201);
  return response.body.planId as string;
};

/** Opens a plan and puts revision 1 in effect: one goal, one measurable objective, one intervention, both signatures. */
const planInEffect = async (overrides: Record<string, unknown> = {}) => {
  const body = anOpenPlanRequest(overrides);
  const planId = (await api.http().post('/plans').set(as(api)).send(body).expect(201)).body.planId as string;
  const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as(api)).send(aGoalRequest()).expect(201)).body.id as string;
  const objectiveId = (await api.http().post(`/plans/${planId}/draft/objectives`).set(as(api)).send(anObjectiveRequest(goalId)).expect(201)).body.id as string;
  await api.http().post(`/plans/${planId}/draft/interventions`).set(as(api)).send(anInterventionRequest(objectiveId)).expect(201);
  await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as(api)).send({ signerRole: 'client', signerId: body.clientId, method: 'verbal_attested' }).expect(201);
  await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as(api)).send({ signerRole: 'clinician', signerId: body.clinicianId, method: 'electronic' }).expect(201);
  return { planId, goalId, objectiveId, body };
};

const recordPhq9 = (planId: string, items: number[]) =>
  api.http().post(`/plans/${planId}/assessments`).set(as(api)).send({ instrument: 'PHQ-9', items });

describe('a whole plan lifecycle over HTTP and Kafka', () => {
  test('open, draft, sign, assess, meet a goal, revise, close: each step is stored, queryable and published in order', async () => {
    const { planId, goalId, body } = await planInEffect();

    const current = await api.http().get(`/plans/${planId}`).set(as(api)).expect(200);
    expect(current.body).toMatchObject({ planId, status: 'in_effect', revisionInEffect: 1, clientId: body.clientId });
    expect(current.headers.etag).toBe(`"${current.body.version}"`);
    expect(current.body.inEffect.goals).toHaveLength(1);
    expect(Array.isArray(current.body.advisories)).toBe(true);

    await recordPhq9(planId, phq9(16)).expect(201);
    const revisedAt = new Date();
    // The goal can be met only once a draft holds the next goal (docs/clinical-rules.md, rule 2: at least one active goal).
    await api.http().post(`/plans/${planId}/revisions`).set(as(api)).send({ reason: 'goal_met', triggers: [] }).expect(201);
    await api.http().post(`/plans/${planId}/draft/goals`).set(as(api)).send(aGoalRequest({ clientGoal: 'Go back to my running club' })).expect(201);
    const met = await api.http().post(`/plans/${planId}/goals/${goalId}/met`).set(as(api)).expect(200);
    expect(met.body.events).toEqual(['GoalMet']);
    await api.http().post(`/plans/${planId}/revisions/2/signatures`).set(as(api)).send({ signerRole: 'clinician', signerId: body.clinicianId, method: 'electronic' }).expect(201);
    const signed = await api.http().post(`/plans/${planId}/revisions/2/signatures`).set(as(api)).send({ signerRole: 'client', signerId: body.clientId, method: 'verbal_attested' }).expect(201);
    expect(signed.body.events).toEqual(['PlanSigned', 'PlanRevised']);
    await api.http().post(`/plans/${planId}/close`).set(as(api)).send({ reason: 'treatment_completed' }).expect(200);

    const events = await api.settledFor(planId);
    expect(names(events)).toEqual([
      'PlanOpened',
      'GoalAdded',
      'ObjectiveAdded',
      'PlanSigned',
      'PlanSigned',
      'PlanRevised',
      'AssessmentRecorded',
      'GoalAdded',
      'GoalMet',
      'PlanSigned',
      'PlanSigned',
      'PlanRevised',
      'PlanClosed',
    ]);
    const sequences = events.map((event) => Number(event.envelope.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(events.every((event) => event.envelope.subject === planId)).toBe(true);

    const revisions = await api.http().get(`/plans/${planId}/revisions`).set(as(api)).expect(200);
    expect(revisions.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(revisions.body.revisions[1].attestations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ signerRole: 'clinician', signerId: body.clinicianId, method: 'electronic' }),
        expect.objectContaining({ signerRole: 'client', signerId: body.clientId, method: 'verbal_attested' }),
      ]),
    );

    const before = await api.http().get(`/plans/${planId}/as-of`).set(as(api)).query({ at: revisedAt.toISOString() }).expect(200);
    expect(before.body).toMatchObject({ status: 'in_effect', revisionInEffect: 1 });
    const closed = await api.http().get(`/plans/${planId}`).set(as(api)).expect(200);
    expect(closed.body.status).toBe('closed');

    const timeline = await api.http().get(`/plans/${planId}/timeline`).set(as(api)).expect(200);
    expect(timeline.body.events[0]).toMatchObject({ position: 1, type: 'PlanOpened', by: api.userId });
    expect(timeline.body.events).toHaveLength(closed.body.version);

    const app = api.app.get((await import('./read-models/plan-summaries.projection')).PlanSummariesProjection);
    await app.drain();
    const byClinician = await api.http().get('/plans').set(as(api)).query({ clinicianId: body.clinicianId }).expect(200);
    expect(byClinician.body).toMatchObject({ total: 1, items: [expect.objectContaining({ planId, status: 'closed' })] });
    const byClient = await api.http().get('/plans').set(as(api)).query({ clientId: body.clientId, pageSize: 5 }).expect(200);
    expect(byClient.body.items.map((item: { planId: string }) => item.planId)).toEqual([planId]);
  });
});

describe('meaningful clinical change', () => {
  test('a PHQ-9 rise from 8 to 16 puts exactly one SymptomsChanged on Kafka, mild to moderately severe', async () => {
    const { planId } = await planInEffect();
    await recordPhq9(planId, phq9(8)).expect(201);
    const rise = await recordPhq9(planId, phq9(16)).expect(201);
    expect(rise.body.events).toEqual(['AssessmentRecorded', 'SymptomsChanged']);

    const changes = (await api.settledFor(planId)).filter((event) => event.name === 'SymptomsChanged');
    expect(changes).toHaveLength(1);
    expect(changes[0].payload).toMatchObject({
      instrument: 'PHQ-9',
      previousScore: 8,
      newScore: 16,
      previousBand: 'mild',
      newBand: 'moderately_severe',
      direction: 'worsened',
      reasons: expect.arrayContaining(['reliable_change', 'band_change']),
      assessmentId: rise.body.id,
    });
  });

  test('a PHQ-9 move from 12 to 13 is noise: nothing but the two AssessmentRecorded', async () => {
    const { planId } = await planInEffect();
    await recordPhq9(planId, phq9(12)).expect(201);
    const small = await recordPhq9(planId, phq9(13)).expect(201);
    expect(small.body.events).toEqual(['AssessmentRecorded']);

    const events = await api.settledFor(planId);
    expect(names(events).filter((name) => name === 'AssessmentRecorded')).toHaveLength(2);
    expect(names(events)).not.toContain('SymptomsChanged');
  });

  test('PHQ-9 item 9 above 0 gives an urgent SymptomsChanged with the safety flag', async () => {
    const { planId } = await planInEffect();
    await recordPhq9(planId, phq9(9)).expect(201);
    const flagged = await recordPhq9(planId, phq9(10, 1)).expect(201);

    const [change] = (await api.publishedFor(planId, (events) => names(events).includes('SymptomsChanged'))).filter(
      (event) => event.name === 'SymptomsChanged',
    );
    expect(change.payload).toMatchObject({ assessmentId: flagged.body.id, urgency: 'urgent', reasons: expect.arrayContaining(['safety_flag']) });
  });
});

describe('bad input gets a clear error and changes nothing', () => {
  /** The plan's version and what Kafka received for it, to compare after a refused command. */
  const snapshot = async (planId: string) => ({
    version: (await api.http().get(`/plans/${planId}`).set(as(api)).expect(200)).body.version as number,
    published: names(await api.settledFor(planId)),
  });

  test.each([
    ['a PHQ-9 with 8 items', { instrument: 'PHQ-9', items: [1, 1, 1, 1, 1, 1, 1, 1] }, 'items'],
    ['an item scored 4', { instrument: 'PHQ-9', items: [4, 1, 1, 1, 1, 1, 1, 1, 0] }, 'items[0]'],
    ['an unknown instrument', { instrument: 'BDI-II', items: [1, 1, 1] }, 'instrument'],
    ['items that are not numbers', { instrument: 'PHQ-9', items: ['a'] }, 'items'],
  ])('%s: 400 naming the field, no event', async (_, body, field) => {
    const { planId } = await planInEffect();
    const before = await snapshot(planId);

    const response = await api.http().post(`/plans/${planId}/assessments`).set(as(api)).send(body).expect(400);

    expect(response.body).toMatchObject({ status: 400, problems: expect.arrayContaining([expect.objectContaining({ field })]) });
    expect(await snapshot(planId)).toEqual(before);
  });

  test('a malformed ICD-10-CM code: 400 on the diagnosis code, no plan', async () => {
    const request = anOpenPlanRequest({ diagnoses: [{ code: 'F3X-1', rank: 'primary', description: 'typo' }] });
    const response = await api.http().post('/plans').set(as(api)).send(request).expect(400);
    expect(response.body).toMatchObject({ status: 400, code: 'diagnosis_code_invalid', problems: [expect.objectContaining({ field: 'diagnoses[0].code' })] });
    const list = await api.http().get('/plans').set(as(api)).query({ clientId: request.clientId }).expect(200);
    expect(list.body.total).toBe(0);
  });

  test('an empty client goal: 400 on clientGoal, the draft unchanged', async () => {
    const planId = await openPlan();
    const before = await snapshot(planId);
    const response = await api.http().post(`/plans/${planId}/draft/goals`).set(as(api)).send(aGoalRequest({ clientGoal: '   ' })).expect(400);
    expect(response.body.problems).toEqual([expect.objectContaining({ field: 'clientGoal' })]);
    expect(await snapshot(planId)).toEqual(before);
  });

  test('an unknown plan: 404 on commands and queries', async () => {
    const unknown = '0b0c3f3e-8a4d-4c55-9d2a-3f4e5a6b7c8d';
    const command = await recordPhq9(unknown, phq9(10)).expect(404);
    expect(command.body).toMatchObject({ status: 404, code: 'plan_not_found' });
    const query = await api.http().get(`/plans/${unknown}`).set(as(api)).expect(404);
    expect(query.body).toMatchObject({ status: 404, code: 'plan_not_found' });
  });

  test('a path id that is not a UUID: 400 naming the parameter', async () => {
    const response = await api.http().get('/plans/not-a-uuid').set(as(api)).expect(400);
    expect(response.body.problems).toEqual([{ field: 'planId', reason: 'must be a UUID' }]);
  });

  test('unknown fields are refused rather than ignored', async () => {
    const response = await api.http().post('/plans').set(as(api)).send(anOpenPlanRequest({ clientName: 'Jane Doe' })).expect(400);
    expect(response.body.problems).toEqual([expect.objectContaining({ field: 'clientName' })]);
  });

  test('malformed JSON: 400, not 500', async () => {
    const response = await api.http().post('/plans').set(as(api)).set('Content-Type', 'application/json').send('{"clientId":').expect(400);
    expect(response.body.status).toBe(400);
  });

  test('a command without a bearer token: 401', async () => {
    const planId = await openPlan();
    const before = await snapshot(planId);
    const response = await api.http().post(`/plans/${planId}/assessments`).send({ instrument: 'PHQ-9', items: phq9(5) }).expect(401);
    expect(response.body).toMatchObject({ status: 401, code: 'token_missing' });
    expect(await snapshot(planId)).toEqual(before);
  });
});

describe('optimistic concurrency', () => {
  test('a stale If-Match gets 412 with the current version, and nothing is written', async () => {
    const { planId } = await planInEffect();
    const read = await api.http().get(`/plans/${planId}`).set(as(api)).expect(200);
    await recordPhq9(planId, phq9(6)).set('If-Match', read.headers.etag).expect(201);

    const stale = await recordPhq9(planId, phq9(7)).set('If-Match', read.headers.etag).expect(412);

    expect(stale.body).toMatchObject({ status: 412, code: 'version_conflict', currentVersion: read.body.version + 1 });
    const after = await api.http().get(`/plans/${planId}`).set(as(api)).expect(200);
    expect(after.body.version).toBe(read.body.version + 1);
    expect(after.body.assessments).toHaveLength(1);
  });

  test('concurrent commands on one plan naming one version: one wins, the others get 412, the stream has no gap', async () => {
    const { planId } = await planInEffect();
    const version = (await api.http().get(`/plans/${planId}`).set(as(api)).expect(200)).body.version as number;
    const responses = await Promise.all(Array.from({ length: 8 }, () => recordPhq9(planId, phq9(6)).set('If-Match', `"${version}"`)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(7);
    const timeline = await api.http().get(`/plans/${planId}/timeline`).set(as(api)).expect(200);
    expect(timeline.body.events.map((event: { position: number }) => event.position)).toEqual(
      Array.from({ length: version + 1 }, (_, i) => i + 1),
    );
  });
});

describe('commands without If-Match', () => {
  test('two instances of the service racing on one plan both succeed: the loser reads and decides again', async () => {
    const { createPlanApp } = await import('./app');
    const second = await createPlanApp();
    await second.init();
    try {
      const { planId } = await planInEffect();
      const servers = [api.app.getHttpServer(), second.getHttpServer()];
      const { default: request } = await import('supertest');

      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          request(servers[i % 2]).post(`/plans/${planId}/assessments`).set(as(api)).send({ instrument: 'PHQ-9', items: phq9(4 + (i % 3)) }),
        ),
      );

      expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
      const timeline = await api.http().get(`/plans/${planId}/timeline`).set(as(api)).expect(200);
      const positions = timeline.body.events.map((event: { position: number }) => event.position);
      expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => i + 1));
      expect(timeline.body.events.filter((event: { type: string }) => event.type === 'AssessmentRecorded')).toHaveLength(8);
    } finally {
      await second.close();
    }
  });

  test('concurrent assessments on one plan are all recorded: a lost race is read and decided again', async () => {
    const { planId } = await planInEffect();
    const before = (await api.http().get(`/plans/${planId}`).set(as(api)).expect(200)).body.version as number;

    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => recordPhq9(planId, phq9(4 + i))));

    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(201));
    const after = await api.http().get(`/plans/${planId}`).set(as(api)).expect(200);
    expect(after.body.assessments).toHaveLength(6);
    expect(after.body.version).toBeGreaterThanOrEqual(before + 6);
  });
});

describe('advisories', () => {
  test('the same goal wording in another client’s plan of the same clinician is flagged as a canned plan, as a warning', async () => {
    // A clinician of its own: the other tests' plans share a clinical goal wording.
    const clinicianId = randomUUID();
    const asThem = () => api.auth({ sub: clinicianId, roles: ['clinician'] });
    const openPlan = async () => (await api.http().post('/plans').set(asThem()).send(anOpenPlanRequest({ clinicianId })).expect(201)).body.planId as string;
    const cannedGoal = aGoalRequest({ clientGoal: 'I want to feel better.', clinicalGoal: 'Reduce symptoms of depression.' });
    const { PlanSummariesProjection } = await import('./read-models/plan-summaries.projection');
    const first = await openPlan();
    await api.http().post(`/plans/${first}/draft/goals`).set(asThem()).send(cannedGoal).expect(201);
    const second = await openPlan();
    await api.http().post(`/plans/${second}/draft/goals`).set(asThem()).send(cannedGoal).expect(201);
    await api.app.get(PlanSummariesProjection).drain();

    const plan = await api.http().get(`/plans/${second}`).set(asThem()).expect(200);

    expect(plan.body.advisories).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'canned_goal_text', severity: 'warning' })]));
    const tailored = await openPlan();
    await api.http().post(`/plans/${tailored}/draft/goals`).set(asThem()).send(aGoalRequest()).expect(201);
    const own = await api.http().get(`/plans/${tailored}`).set(asThem()).expect(200);
    expect(own.body.advisories.map((advisory: { code: string }) => advisory.code)).not.toContain('canned_goal_text');
  });
});

describe('operations', () => {
  test('readiness reports the database, the broker and the outbox relay up; liveness depends on none of them', async () => {
    const ready = await api.http().get('/health/ready').set(as(api)).expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, kafka: { status: 'up' }, messaging: { status: 'up' } } });
    const live = await api.http().get('/health/live').set(as(api)).expect(200);
    expect(live.body).toEqual({ status: 'ok' });
  });
});

describe('read models', () => {
  test('a plan summary folds each batch onto the fold it holds: the history is not read again, and the row is the whole stream’s', async () => {
    const { PlanSummariesProjection } = await import('./read-models/plan-summaries.projection');
    const { getDataSourceToken } = await import('@nestjs/typeorm');
    const projection = api.app.get(PlanSummariesProjection);
    const dataSource = api.app.get(getDataSourceToken());
    const { planId } = await planInEffect();
    await projection.drain();
    // The projection's own reads are the ones up to a version (the command side reads from one).
    const reads = jest.spyOn(api.app.get(PostgresEventStore), 'readStream');
    const projectionReads = () => reads.mock.calls.filter(([streamId, options]) => streamId === planId && options?.toVersion !== undefined).length;
    const summary = async () => (await dataSource.query('SELECT status, version, active_goals FROM plan_summaries WHERE plan_id = $1', [planId]))[0];
    try {
      for (const total of [5, 15, 6]) {
        await recordPhq9(planId, phq9(total)).expect(201);
        await projection.drain();
      }
      expect(projectionReads()).toBe(0);
      const plan = await api.http().get(`/plans/${planId}`).set(as(api)).expect(200);
      expect(await summary()).toEqual({ status: 'in_effect', version: plan.body.version, active_goals: 1 });

      // A plan whose fold is not held (an eviction, a restart) is read from the store, to the same row.
      (projection as unknown as { folds: { forget(key: string): void } }).folds.forget(planId);
      await recordPhq9(planId, phq9(7)).expect(201);
      await projection.drain();
      expect(projectionReads()).toBe(1);
      const after = await api.http().get(`/plans/${planId}`).set(as(api)).expect(200);
      expect(await summary()).toEqual({ status: 'in_effect', version: after.body.version, active_goals: 1 });
    } finally {
      reads.mockRestore();
    }
  });

  test('the plan summaries read model, dropped and rebuilt from the event store, reaches the same rows', async () => {
    const { PlanSummariesProjection } = await import('./read-models/plan-summaries.projection');
    const { getDataSourceToken } = await import('@nestjs/typeorm');
    const projection = api.app.get(PlanSummariesProjection);
    const dataSource = api.app.get(getDataSourceToken());
    await planInEffect();
    await openPlan();
    await projection.drain();
    const rows = async () => dataSource.query('SELECT * FROM plan_summaries ORDER BY plan_id');
    const before = await rows();
    expect(before.length).toBeGreaterThanOrEqual(2);
    // Damage the read model: only a replay from the event store can bring the rows back.
    await dataSource.query("UPDATE plan_summaries SET status = 'damaged', goal_texts = '{}'");

    await projection.rebuild();
    await projection.drain();

    expect(await rows()).toEqual(before);
  });
});
