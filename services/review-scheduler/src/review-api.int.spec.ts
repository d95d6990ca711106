import { randomUUID } from 'node:crypto';
import { ManualClock, TimerWorker, useClock } from '@golden-loop/scheduling';
import { goalMet, lifeEventReported, planOpened, planRevised, safetyFlagRaised, symptomsChanged, worsenedIntoSevere } from './test-support/plan-events';
import { startReviewScheduler, type ReviewFixture } from './test-support/review.fixture';
import { taskIdFor } from './task-ids';

// The review scheduler's HTTP API against the real broker and PostgreSQL: the inbox, one task with the plan events
// behind it, completing a task, supervision and the team view, and the OpenAPI document.

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (days: number, hours = 0) => new Date(T0 + days * DAY + hours * 3_600_000).toISOString();
// The service's clock starts at T0; the plan events of a test happen a few hours after it.
const clock = new ManualClock(new Date(T0));
let restoreClock: () => void;
let api: ReviewFixture;
beforeAll(async () => {
  restoreClock = useClock(clock);
  api = await startReviewScheduler('review_api');
});
afterAll(async () => {
  await api?.close();
  restoreClock();
});


const aPlan = async (clinicianId = randomUUID()) => {
  const planId = randomUUID();
  await api.send(planOpened(planId, clinicianId, at(0)), planRevised(planId, 1, at(0)));
  return { planId, clinicianId };
};

describe("a clinician's inbox", () => {
  test('lists open tasks urgent first, then by due time, paged', async () => {
    const clinicianId = randomUUID();
    const routineLater = await aPlan(clinicianId);
    const urgent = await aPlan(clinicianId);
    const routineSooner = await aPlan(clinicianId);
    const safety = await aPlan(clinicianId);
    await api.send(
      symptomsChanged(routineLater.planId, at(1)),
      worsenedIntoSevere(urgent.planId, at(0, 20)),
      goalMet(routineSooner.planId, at(0, 1)),
      safetyFlagRaised(safety.planId, at(0, 2)),
    );
    await api.drain();

    const first = await api.http().get(`/clinicians/${clinicianId}/inbox?pageSize=3`).set(api.callers.clinician(clinicianId)).expect(200);
    expect(first.body).toMatchObject({ clinicianId, page: 1, pageSize: 3, total: 5 });
    expect(first.body.items.map((item: { planId: string; kind: string; urgency: string }) => [item.planId, item.kind, item.urgency])).toEqual([
      [safety.planId, 'safety_review', 'urgent'],
      [safety.planId, 'plan_update', 'urgent'],
      [urgent.planId, 'plan_update', 'urgent'],
    ]);
    const second = await api.http().get(`/clinicians/${clinicianId}/inbox?pageSize=3&page=2`).set(api.callers.clinician(clinicianId)).expect(200);
    expect(second.body.items.map((item: { planId: string }) => item.planId)).toEqual([routineSooner.planId, routineLater.planId]);
    const safetyOnly = await api.http().get(`/clinicians/${clinicianId}/inbox?kind=safety_review`).set(api.callers.clinician(clinicianId)).expect(200);
    expect(safetyOnly.body.items).toEqual([expect.objectContaining({ planId: safety.planId, reasons: ['safety_flag'], overdue: false, escalated: false })]);
  });

  test.each([
    ['a page size over 200', '?pageSize=500', 'pageSize'],
    ['a kind that is not a task kind', '?kind=anything', 'kind'],
    ['page 0', '?page=0', 'page'],
  ])('%s is a 400 naming the field', async (_, query, field) => {
    const clinicianId = randomUUID();
    const response = await api.http().get(`/clinicians/${clinicianId}/inbox${query}`).set(api.callers.clinician(clinicianId)).expect(400);
    expect(response.body).toMatchObject({ status: 400, code: 'validation_failed', problems: [expect.objectContaining({ field })] });
  });
});

describe('one task, with its reasons and the plan events behind them', () => {
  test('shows each trigger with its codes, and what has happened to the task', async () => {
    const { planId, clinicianId } = await aPlan();
    const life = lifeEventReported(planId, at(0, 3));
    const worse = worsenedIntoSevere(planId, at(0, 4));
    await api.send(life, worse);
    const taskId = taskIdFor(planId, 'plan_update', life.id);

    const response = await api.http().get(`/plans/${planId}/review-tasks/${taskId}`).set(api.callers.clinician(clinicianId)).expect(200);

    expect(response.headers.etag).toBe(`"${response.body.version}"`);
    expect(response.body).toMatchObject({
      taskId,
      planId,
      clinicianId,
      kind: 'plan_update',
      status: 'open',
      urgency: 'urgent',
      reasons: ['reliable_change', 'band_change', 'life_event'],
      dueAt: at(1, 4),
      firstTriggeredAt: at(0, 3),
      completion: null,
      escalation: null,
      triggers: [
        { eventId: life.id, type: 'LifeEventReported', reasons: ['life_event'], urgency: 'routine', answer: null, planEvent: { category: 'employment_change', impact: 'major' } },
        {
          eventId: worse.id,
          type: 'SymptomsChanged',
          reasons: ['reliable_change', 'band_change'],
          urgency: 'urgent',
          planEvent: { instrument: 'PHQ-9', previousScore: 17, newScore: 21, previousBand: 'moderately_severe', newBand: 'severe', direction: 'worsened' },
        },
      ],
      history: [expect.objectContaining({ type: 'ReviewTaskOpened' }), expect.objectContaining({ type: 'ReviewTaskTriggerJoined' })],
    });
  });

  test('an unknown task or plan is review_task_not_found / plan_review_not_found, with the problem body', async () => {
    const { planId, clinicianId } = await aPlan();
    const unknownTask = randomUUID();
    const task = await api.http().get(`/plans/${planId}/review-tasks/${unknownTask}`).set(api.callers.clinician(clinicianId)).expect(404);
    expect(task.body).toEqual({
      type: 'urn:goldenloop:problem:review_task_not_found',
      title: 'Review task not found',
      status: 404,
      detail: 'This plan has no review task with this id.',
      code: 'review_task_not_found',
      problems: [],
      instance: `/plans/${planId}/review-tasks/${unknownTask}`,
    });
    await api.http().get(`/plans/${randomUUID()}/review`).set(api.callers.clinician(randomUUID())).expect(404).expect((r) => expect(r.body.code).toBe('plan_review_not_found'));
    await api.http().get(`/plans/not-a-uuid/review`).set(api.callers.clinician(randomUUID())).expect(400).expect((r) => expect(r.body.problems).toEqual([{ field: 'planId', reason: 'must be a UUID' }]));
  });
});

describe('completing a task', () => {
  test('as reviewed, no change needed: with a reason code, published as ReviewTaskCompleted, and only once', async () => {
    const { planId, clinicianId } = await aPlan();
    const change = symptomsChanged(planId, at(0, 2));
    await api.send(change);
    const taskId = taskIdFor(planId, 'plan_update', change.id);
    clock.set(new Date(T0 + 2 * DAY));

    const done = await api.http().post(`/plans/${planId}/review-tasks/${taskId}/reviewed-no-change`).set(api.callers.clinician(clinicianId)).send({ reason: 'transient_change' }).expect(200);
    expect(done.body).toEqual({ planId, taskId, version: expect.any(Number), events: ['ReviewTaskCompleted'] });
    expect(done.headers.etag).toBe(`"${done.body.version}"`);

    const published = await api.publishedFor(planId, (events) => events.some((event) => event.name === 'ReviewTaskCompleted'));
    expect(published.at(-1)).toMatchObject({
      name: 'ReviewTaskCompleted',
      payload: {
        taskId,
        resolution: 'reviewed_no_change',
        noChangeReason: 'transient_change',
        resolvedBy: null,
        revision: null,
        completedAt: new Date(T0 + 2 * DAY).toISOString(),
        secondsToCompletion: 2 * 86_400 - 2 * 3600,
      },
    });
    const again = await api.http().post(`/plans/${planId}/review-tasks/${taskId}/reviewed-no-change`).set(api.callers.clinician(clinicianId)).send({ reason: 'transient_change' }).expect(409);
    expect(again.body).toMatchObject({ code: 'review_task_not_open', taskStatus: 'completed' });
    await api.drain();
    expect((await api.http().get(`/clinicians/${clinicianId}/inbox`).set(api.callers.clinician(clinicianId)).expect(200)).body.total).toBe(0);
  });

  test('a safety review only with a structured risk assessment, codes only', async () => {
    const { planId, clinicianId } = await aPlan();
    const flag = safetyFlagRaised(planId, at(0, 2));
    await api.send(flag);
    const safetyTask = taskIdFor(planId, 'safety_review', flag.id);
    const planTask = taskIdFor(planId, 'plan_update', flag.id);

    await api.http().post(`/plans/${planId}/review-tasks/${safetyTask}/reviewed-no-change`).set(api.callers.clinician(clinicianId)).send({ reason: 'transient_change' }).expect(409)
      .expect((r) => expect(r.body.code).toBe('safety_review_needs_risk_assessment'));
    await api.http().post(`/plans/${planId}/review-tasks/${planTask}/risk-assessment`).set(api.callers.clinician(clinicianId)).send({ instrument: 'C-SSRS', riskLevel: 'low', safetyPlanMade: true }).expect(409)
      .expect((r) => expect(r.body.code).toBe('not_a_safety_review'));
    const invalid = await api.http().post(`/plans/${planId}/review-tasks/${safetyTask}/risk-assessment`).set(api.callers.clinician(clinicianId)).send({ instrument: 'C-SSRS', riskLevel: 'she seemed fine', safetyPlanMade: 'yes' }).expect(400);
    expect(invalid.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['riskLevel', 'safetyPlanMade']);

    await api.http().post(`/plans/${planId}/review-tasks/${safetyTask}/risk-assessment`).set(api.callers.clinician(clinicianId)).send({ instrument: 'C-SSRS', riskLevel: 'moderate', safetyPlanMade: true }).expect(200);
    const published = await api.publishedFor(planId, (events) => events.some((event) => event.name === 'ReviewTaskCompleted'));
    expect(published.find((event) => event.name === 'ReviewTaskCompleted')?.payload).toMatchObject({
      taskId: safetyTask,
      kind: 'safety_review',
      resolution: 'risk_assessed',
      riskAssessment: { instrument: 'C-SSRS', riskLevel: 'moderate', safetyPlanMade: true },
    });
    const review = await api.http().get(`/plans/${planId}/review`).set(api.callers.clinician(clinicianId)).expect(200);
    expect(review.body.tasks.map((task: { kind: string; status: string }) => [task.kind, task.status])).toEqual([['plan_update', 'open'], ['safety_review', 'completed']]);
  });

  test('who acts must be said; a reason outside the code list, a stale If-Match and an unknown task are refused', async () => {
    const { planId, clinicianId } = await aPlan();
    const change = goalMet(planId, at(0, 2));
    await api.send(change);
    const taskId = taskIdFor(planId, 'plan_update', change.id);
    const path = `/plans/${planId}/review-tasks/${taskId}/reviewed-no-change`;

    await api.http().post(path).send({ reason: 'transient_change' }).expect(401).expect((r) => expect(r.body.code).toBe('token_missing'));
    const badReason = await api.http().post(path).set(api.callers.clinician(clinicianId)).send({ reason: 'client said she is better' }).expect(400);
    expect(badReason.body.problems).toEqual([expect.objectContaining({ field: 'reason' })]);
    await api.http().post(path).set(api.callers.clinician(clinicianId)).send({ reason: 'transient_change', note: 'free text' }).expect(400);
    await api.http().post(path).set(api.callers.clinician(clinicianId)).set('If-Match', '"1"').send({ reason: 'transient_change' }).expect(412).expect((r) => expect(r.body.code).toBe('version_conflict'));
    await api.http().post(`/plans/${planId}/review-tasks/${randomUUID()}/reviewed-no-change`).set(api.callers.clinician(randomUUID())).send({ reason: 'transient_change' }).expect(404);
    expect((await api.reviewEvents(planId)).filter((event) => event.type === 'ReviewTaskCompleted')).toEqual([]);
  });
});

describe('supervision and the team view', () => {
  test("PUT sets a clinician's supervisor and team; GET reads it; an unknown one is supervision_not_found", async () => {
    const clinicianId = randomUUID();
    await api.http().get(`/clinicians/${clinicianId}/supervision`).set(api.callers.clinician(clinicianId)).expect(404).expect((r) => expect(r.body.code).toBe('supervision_not_found'));
    const body = { supervisorId: randomUUID(), teamId: randomUUID() };
    const admin = randomUUID();
    const put = await api.http().put(`/clinicians/${clinicianId}/supervision`).set(api.callers.admin(admin)).send(body).expect(200);
    expect(put.body).toEqual({ clinicianId, ...body, updatedAt: clock.now().toISOString(), updatedBy: admin });
    expect((await api.http().get(`/clinicians/${clinicianId}/supervision`).set(api.callers.clinician(clinicianId)).expect(200)).body).toEqual(put.body);
    await api.http().put(`/clinicians/${clinicianId}/supervision`).set(api.callers.admin()).send({ supervisorId: 'someone' }).expect(400);
  });

  test('open, overdue, urgent and escalated counts per clinician, and the median time from first trigger to revision', async () => {
    const teamId = randomUUID();
    const supervisorId = randomUUID();
    const [busy, quiet] = [randomUUID(), randomUUID()];
    for (const clinicianId of [busy, quiet]) await api.http().put(`/clinicians/${clinicianId}/supervision`).set(api.callers.admin()).send({ supervisorId, teamId }).expect(200);

    // busy: one urgent task open, one routine task open; two tasks revised, after 1 and 3 days.
    const a = await aPlan(busy);
    const b = await aPlan(busy);
    const c = await aPlan(busy);
    const d = await aPlan(busy);
    const cChange = symptomsChanged(c.planId, at(0, 1));
    const dChange = goalMet(d.planId, at(0, 1));
    await api.send(worsenedIntoSevere(a.planId, at(0, 1)), goalMet(b.planId, at(0, 1)), cChange, dChange);
    await api.send(planRevised(c.planId, 2, at(1, 1), [cChange.id]), planRevised(d.planId, 2, at(3, 1), [dChange.id]));
    await api.drain();
    clock.set(new Date(T0 + 2 * DAY));

    const summary = await api.http().get(`/teams/${teamId}/review-summary?since=${encodeURIComponent(at(-10))}`).set(api.callers.supervisor([busy, quiet], supervisorId)).expect(200);

    expect(summary.body).toMatchObject({
      teamId,
      since: at(-10),
      asOf: clock.now().toISOString(),
      team: { open: 2, overdue: 1, urgent: 1, escalated: 0, revised: 2, medianSecondsToRevision: 2 * 86_400 },
      clinicians: [
        { clinicianId: busy, supervisorId, open: 2, overdue: 1, urgent: 1, escalated: 0, revised: 2, medianSecondsToRevision: 2 * 86_400 },
        { clinicianId: quiet, supervisorId, open: 0, overdue: 0, urgent: 0, escalated: 0, revised: 0, medianSecondsToRevision: null },
      ],
    });
    const empty = await api.http().get(`/teams/${randomUUID()}/review-summary`).set(api.callers.supervisor([])).expect(200);
    expect(empty.body).toMatchObject({ team: { open: 0, medianSecondsToRevision: null }, clinicians: [] });
    await api.http().get(`/teams/${teamId}/review-summary?since=yesterday`).set(api.callers.supervisor([])).expect(400);
    // ISO 8601 week and ordinal dates are not date-times: refused, never a 500 (found by the hostile-input run).
    for (const since of ['2026-W01', '2026-001']) await api.http().get(`/teams/${teamId}/review-summary?since=${since}`).set(api.callers.supervisor([])).expect(400);
  });
});

describe('the read model', () => {
  test('is rebuilt from the event store to the same rows', async () => {
    const { planId } = await aPlan();
    await api.send(symptomsChanged(planId, at(0, 1)), goalMet(planId, at(0, 2)));
    // Quiet first: a timer already due (an overdue task) fires now, not between the two reads.
    await api.app.get(TimerWorker).runUntilNoneDue();
    await api.drain();
    const rowsOf = () => api.dataSource.query('SELECT * FROM review_tasks ORDER BY task_id');
    const before = await rowsOf();
    const { ReviewTasksProjection } = await import('./read-models/review-tasks.projection');
    await api.app.get(ReviewTasksProjection).rebuild();
    await api.drain();
    expect(await rowsOf()).toEqual(before);
  });
});

describe('the OpenAPI document', () => {
  test('types ids, times and codes as strings, and lists every route', async () => {
    const document = (await api.http().get('/docs/openapi.json').expect(200)).body;
    // Validity and untyped properties: openapi.unit.spec.ts (libs/service-testing's checks). Here: what a client reads.
    const schemas = document.components.schemas as Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    expect(schemas.InboxTask.properties!.dueAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schemas.RiskAssessmentRequest.properties!.riskLevel).toMatchObject({ type: 'string', enum: ['low', 'moderate', 'high', 'imminent'] });
    expect(schemas.TaskDocument.properties!.version).toMatchObject({ type: 'integer' });
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/audit',
        '/clinicians/{clinicianId}/inbox',
        '/clinicians/{clinicianId}/supervision',
        '/docs/asyncapi.json',
        '/escalations/unrouted',
        '/health/live',
        '/health/ready',
        '/metrics',
        '/plans/{planId}/review',
        '/plans/{planId}/review-tasks/{taskId}',
        '/plans/{planId}/review-tasks/{taskId}/reviewed-no-change',
        '/plans/{planId}/review-tasks/{taskId}/risk-assessment',
        '/teams/{teamId}/review-summary',
      ].sort(),
    );
  });
});
