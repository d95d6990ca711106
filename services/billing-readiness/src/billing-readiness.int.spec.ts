import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeEvent, type IntegrationEvent } from '@golden-loop/contracts';
import { ManualClock, TimerWorker, useClock } from '@golden-loop/scheduling';
import { given, waitUntil } from '@golden-loop/service-testing';
import { PlanReadinessReadModel } from './read-models/plan-readiness.read-model';
import { PAYERS, planEvents, producerOf, startBilling, type BillingFixture } from './test-support/billing-fixture';

// billing-readiness against the real broker and PostgreSQL: the loop from public plan and review events, a
// redelivered event, a moved clock, a changed rule set.

jest.setTimeout(120_000);

const clock = new ManualClock(new Date('2026-03-02T10:00:00.000Z'));
let restoreClock: () => void;
let api: BillingFixture;
beforeAll(async () => {
  restoreClock = useClock(clock);
  api = await startBilling('billing_readiness');
});
afterAll(async () => {
  await api?.close();
  restoreClock?.();
});

const as = () => api.callers.billing(api.userId);
const send = (planId: string, event: IntegrationEvent, id: string = randomUUID()) => given(api, planId).whenMessage(event, producerOf(event), { id });
const iso = (at: string) => new Date(at).toISOString();

/** A plan opened, signed by both and in effect, as the plan service would publish it. */
const planInEffect = async (payerId: string) => {
  const planId = randomUUID();
  const plan = planEvents(planId, payerId);
  await send(planId, plan.opened(iso('2026-03-01T09:00:00Z')));
  await send(planId, plan.signed(1, 'client', iso('2026-03-01T09:10:00Z')));
  await send(planId, plan.signed(1, 'clinician', iso('2026-03-01T09:11:00Z')));
  await send(planId, plan.revised(1, iso('2026-03-01T09:11:00Z')));
  return { planId, plan };
};

describe('the loop over Kafka', () => {
  test('a change after the revision in effect is at_risk until a revision answers it; an overdue plan-update task is not_ready until completed', async () => {
    const { planId, plan } = await planInEffect(PAYERS.commercial);
    expect((await api.checksOf(planId)).map((c) => c.outcome)).toEqual(['not_ready', 'not_ready', 'not_ready', 'ready']);

    const trigger = randomUUID();
    const change = await send(planId, plan.symptomsChanged(iso('2026-03-02T09:00:00Z')), trigger);
    expect(change.events.map((e) => e.type)).toEqual(['ClinicalChangeNoted', 'ReadinessChecked']);
    expect(change.published).toEqual([
      expect.objectContaining({
        name: 'AuthorizationCheckCompleted',
        payload: expect.objectContaining({ outcome: 'at_risk', triggeredBy: trigger, cause: 'plan_event', findings: [expect.objectContaining({ code: 'clinical_change_not_reflected', evidence: { eventIds: [trigger] } })] }),
      }),
    ]);

    const taskId = randomUUID();
    await send(planId, plan.taskOpened(taskId, [trigger], iso('2026-03-02T09:00:01Z'), iso('2026-03-09T09:00:00Z')));
    const overdue = await send(planId, plan.taskOverdue(taskId, [trigger], iso('2026-03-09T09:00:00Z'), iso('2026-03-09T09:00:05Z')));
    expect(overdue.published[0].payload).toMatchObject({ outcome: 'not_ready', cause: 'review_event' });

    await send(planId, plan.signed(2, 'client', iso('2026-03-10T09:00:00Z')));
    await send(planId, plan.signed(2, 'clinician', iso('2026-03-10T09:01:00Z')));
    const revisionId = randomUUID();
    const revised = await send(planId, plan.revised(2, iso('2026-03-10T09:01:00Z'), [trigger]), revisionId);
    // The revision answers the change, but the task stays overdue until review-scheduler completes it.
    expect(revised.published[0].payload).toMatchObject({ outcome: 'not_ready', findings: [expect.objectContaining({ code: 'plan_update_overdue' })] });
    const completed = await send(planId, plan.taskCompleted(taskId, [trigger], iso('2026-03-09T09:00:00Z'), iso('2026-03-10T09:01:05Z'), revisionId));
    expect(completed.published[0].payload).toMatchObject({ outcome: 'ready', findings: [] });

    const readiness = await api.http().get(`/plans/${planId}/readiness`).set(as()).expect(200);
    expect(readiness.body).toMatchObject({ planId, status: 'open', revisionInEffect: 2, latestCheck: { outcome: 'ready', ruleSetId: 'commercial-default' } });
    const history = await api.http().get(`/plans/${planId}/checks?pageSize=3`).set(as()).expect(200);
    expect(history.body.total).toBe((await api.checksOf(planId)).length);
    expect(history.body.items.map((c: { outcome: string }) => c.outcome)).toEqual(['ready', 'not_ready', 'not_ready']);
  });

  test('an assessment and the SymptomsChanged it caused, fetched together, are one clinical change: both noted, one check naming the change', async () => {
    const { planId, plan } = await planInEffect(PAYERS.commercial);
    const before = (await api.checksOf(planId)).length;
    const assessmentId = randomUUID();
    const assessed = plan.assessed(iso('2026-03-02T09:00:00Z'));
    const changed = plan.symptomsChanged(iso('2026-03-02T09:00:00Z'));
    const [assessedId, changeId] = [randomUUID(), randomUUID()];
    const outcome = await given(api, planId).whenMessages(
      [
        { event: { ...assessed, payload: { ...assessed.payload, assessmentId } } as IntegrationEvent, id: assessedId },
        { event: { ...changed, payload: { ...changed.payload, assessmentId } } as IntegrationEvent, id: changeId },
      ],
      'plan',
    );
    expect(outcome.events.map((e) => e.type)).toEqual(['AssessmentNoted', 'ClinicalChangeNoted', 'ReadinessChecked']);
    expect(outcome.events[0].data).toMatchObject({ sourceEventId: assessedId, assessmentId });
    expect(outcome.published).toEqual([expect.objectContaining({ name: 'AuthorizationCheckCompleted', payload: expect.objectContaining({ triggeredBy: changeId, outcome: 'at_risk' }) })]);
    expect((await api.checksOf(planId)).length).toBe(before + 1);

    // Another assessment's change is not paired: each event is checked after itself.
    const apart = await given(api, planId).whenMessages([{ event: plan.assessed(iso('2026-03-02T09:30:00Z')) }, { event: plan.symptomsChanged(iso('2026-03-02T09:30:00Z')) }], 'plan');
    expect(apart.events.map((e) => e.type)).toEqual(['AssessmentNoted', 'ReadinessChecked', 'ClinicalChangeNoted', 'ReadinessChecked']);
  });

  test('a redelivered event adds no check', async () => {
    const { planId, plan } = await planInEffect(PAYERS.commercial);
    const before = (await api.checksOf(planId)).length;
    const id = randomUUID();
    const event = plan.symptomsChanged(iso('2026-03-02T09:00:00Z'));
    await send(planId, event, id);
    const record = encodeEvent(event, { id, time: new Date().toISOString(), topic: api.topics.plan });
    await api.produce('plan', [{ key: record.key, value: record.value, headers: record.headers }]);
    // A later event proves the redelivery was read (same key, same partition, in order) before we count.
    await send(planId, plan.assessed(iso('2026-03-02T09:30:00Z')));
    expect((await api.checksOf(planId)).length).toBe(before + 2);
    expect((await api.checksOf(planId)).filter((c) => c.triggeredBy === id)).toHaveLength(1);
  });
});

describe('time alone', () => {
  test('a moved clock makes a Medicaid plan at_risk with no event, then not_ready when its assessment window lapses', async () => {
    const { planId, plan } = await planInEffect(PAYERS.medicaid);
    await api.http().post(`/plans/${planId}/authorizations`).set(as()).send({ authorizationNumber: `PA-${planId.slice(0, 8)}`, serviceCodes: ['90837'], sessionsAuthorized: 24, startsOn: '2026-03-01', endsOn: '2026-08-31' }).expect(201);
    const assessed = await send(planId, plan.assessed(iso('2026-03-02T09:30:00Z')));
    expect(assessed.published[0].payload).toMatchObject({ outcome: 'ready', nextCheckAt: iso('2026-03-25T09:30:00Z') });

    const worker = api.app.get(TimerWorker);
    // The service's own timer loop may fire a due timer before runDue does: wait for the check either way.
    const lastCheckOnce = (cause: string, after: number) =>
      waitUntil(() => api.checksOf(planId), (checks) => checks.length > after && checks.at(-1)!.cause === cause, 10_000, `a ${cause} check of ${planId}`).then((checks) => checks.at(-1)!);
    const before = (await api.checksOf(planId)).length;
    clock.set(new Date('2026-03-25T09:30:00Z'));
    await worker.runDue();
    const soon = await lastCheckOnce('scheduled', before);
    expect(soon).toMatchObject({ cause: 'scheduled', triggeredBy: null, outcome: 'at_risk', nextCheckAt: iso('2026-04-01T09:30:00Z') });
    expect(soon.findings.map((f) => f.code)).toEqual(['assessment_due_soon']);
    const published = await api.publishedFor(planId, (events) => events.some((e) => e.envelope.id !== undefined && (e.payload as { checkId?: string }).checkId === soon.checkId));
    expect(published.find((e) => (e.payload as { checkId?: string }).checkId === soon.checkId)!.payload).toMatchObject({ outcome: 'at_risk', triggeredBy: null });

    const checked = (await api.checksOf(planId)).length;
    clock.set(new Date('2026-04-01T09:30:00Z'));
    await worker.runDue();
    expect(await lastCheckOnce('scheduled', checked)).toMatchObject({ cause: 'scheduled', outcome: 'not_ready', findings: [expect.objectContaining({ code: 'assessment_outside_window' })] });

    const worklist = await api.http().get(`/worklist?payerId=${PAYERS.medicaid}&outcome=not_ready`).set(as()).expect(200);
    expect(worklist.body.items.map((i: { planId: string }) => i.planId)).toContain(planId);
    clock.set(new Date('2026-03-02T10:00:00.000Z'));
  });
});

describe('rule sets', () => {
  test('GET /rule-sets lists every rule with its code and source, and the payers each set checks', async () => {
    const response = await api.http().get('/rule-sets').set(as()).expect(200);
    const medicaid = response.body.ruleSets.find((s: { id: string }) => s.id === 'medicaid-standard');
    expect(medicaid.payers).toEqual([PAYERS.medicaid]);
    expect(medicaid.rules).toContainEqual(expect.objectContaining({ id: 'medicaid.assessment-within-30-days', check: 'assessment-window', source: expect.stringContaining('30 days') }));
  });

  test('a changed rule set is picked up on reload and re-checks the plans it covers; a bad one is refused and changes nothing', async () => {
    const { planId } = await planInEffect(PAYERS.commercial);
    const file = join(api.ruleSetsDir, 'commercial-default.json');
    const original = readFileSync(file, 'utf8');
    const ruleSet = JSON.parse(original) as { version: number; rules: object[] };

    writeFileSync(file, JSON.stringify({ ...ruleSet, rules: [...ruleSet.rules, { id: 'commercial.bad', check: 'assessment-window', params: { windowDays: 0, warnDays: 0 }, source: 'test' }] }));
    const refused = await api.http().post('/rule-sets/reload').set(api.callers.admin(api.userId)).expect(400);
    expect(refused.body).toMatchObject({ code: 'rule_sets_invalid', problems: [{ field: 'commercial-default.json#commercial.bad', reason: expect.stringContaining('params/windowDays must be >= 1') }] });

    const rule = { id: 'commercial.assessment-within-60-days', check: 'assessment-window', params: { windowDays: 60, warnDays: 7 }, source: 'a network policy (test)' };
    writeFileSync(file, JSON.stringify({ ...ruleSet, version: ruleSet.version + 1, rules: [...ruleSet.rules, rule] }));
    try {
      const reloaded = await api.http().post('/rule-sets/reload').set(api.callers.admin(api.userId)).expect(200);
      expect(reloaded.body.rechecksScheduled).toBeGreaterThanOrEqual(1);
      await api.app.get(TimerWorker).runDue();
      expect((await api.checksOf(planId)).at(-1)).toMatchObject({
        cause: 'rule_set_changed',
        ruleSetVersion: ruleSet.version + 1,
        outcome: 'not_ready',
        findings: [expect.objectContaining({ code: 'assessment_outside_window', rule: rule.id })],
      });
    } finally {
      writeFileSync(file, original);
      await api.http().post('/rule-sets/reload').set(api.callers.admin(api.userId)).expect(200);
      await api.app.get(TimerWorker).runDue();
    }
  });

  test('the worklist read model rebuilds to the same rows', async () => {
    // Quiet first: what earlier tests set off (their consumers, the timer loop) must not change a row mid-comparison.
    const read = async () => JSON.stringify((await api.http().get('/worklist?pageSize=200').set(as()).expect(200)).body);
    let previous = await read();
    await waitUntil(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const now = await read();
      const still = now === previous;
      previous = now;
      return still;
    }, (still) => still, 15_000, 'the worklist to stop changing');
    const before = await api.http().get('/worklist?pageSize=200').set(as()).expect(200);
    await api.app.get(PlanReadinessReadModel).rebuild();
    const after = await api.http().get('/worklist?pageSize=200').set(as()).expect(200);
    expect(after.body).toEqual(before.body);
  });
});

describe('bad input is a 4xx problem body', () => {
  test.each([
    ['an unknown plan', () => api.http().post(`/plans/${randomUUID()}/authorizations`).set(as()).send({ authorizationNumber: 'PA-1', serviceCodes: ['90837'], sessionsAuthorized: 4, startsOn: '2026-03-01', endsOn: '2026-05-31' }), 404, 'plan_not_found'],
    ['a service code that is not CPT', () => api.http().post(`/plans/${randomUUID()}/sessions`).set(as()).send({ dateOfService: '2026-03-02', serviceCode: 'therapy', minutes: 50 }), 400, 'validation_failed'],
    ['a precheck of an unknown plan', () => api.http().post('/claims/precheck').set(as()).send({ planId: randomUUID(), dateOfService: '2026-03-02', serviceCode: '90837' }), 404, 'plan_not_found'],
    ['a credential outside the list', () => api.http().put(`/clinicians/${randomUUID()}/credentials`).set(api.callers.admin(api.userId)).send({ credentials: ['wizard'] }), 400, 'validation_failed'],
  ])('%s', async (_, request, status, code) => {
    const response = await request();
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  });
});
