import { randomUUID } from 'node:crypto';
import type { DecodedEvent } from '@golden-loop/contracts';
import { PostgresEventStore } from '@golden-loop/event-store';
import { ManualClock, TimerWorker, useClock } from '@golden-loop/scheduling';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { planOpened, planRevised, safetyFlagRaised, symptomsChanged } from './test-support/plan-events';
import { reviewEnvironment, type ReviewEnvironment } from './test-support/review-environment';
import { taskIdFor } from './task-ids';
import { unpublishedOutboxRows } from '@golden-loop/messaging';

// Issue 9, "Done when": periodic review and overdue, with a moved clock, each fire once, across a restart; an
// item-9 flag's safety review not completed in time is escalated, exactly once. The service is stopped and started
// again on the same schema and topics between the steps; the clock is the test's (libs/scheduling).

jest.setTimeout(180_000);

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (days: number, hours = 0, minutes = 0) => new Date(T0 + days * DAY + hours * 3_600_000 + minutes * 60_000);
const clock = new ManualClock(at(0));
let restoreClock: () => void;
let env: ReviewEnvironment;
let app: INestApplication | undefined;

beforeAll(async () => {
  restoreClock = useClock(clock);
  env = await reviewEnvironment('review_timers');
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(async () => {
  await env?.close();
  restoreClock();
});

/** Stops the running instance (if any) and starts a new one on the same schema and topics. */
const restart = async (): Promise<INestApplication> => {
  await app?.close();
  app = await env.start();
  return app;
};

/** Moves the clock and fires what became due (the worker's own polling may fire some first: both fire once). */
const moveClockTo = async (instant: Date): Promise<void> => {
  clock.set(instant);
  await app!.get(TimerWorker).runDue();
};

const typesOf = async (planId: string) => (await app!.get(PostgresEventStore).readStream(planId)).map((event) => event.type);
const count = (types: readonly string[], type: string) => types.filter((t) => t === type).length;

/** The review topic's records of a plan, once per ce_id (the relay is at-least-once), in order. */
const publishedOf = async (planId: string): Promise<DecodedEvent[]> => {
  const seen = new Set<string>();
  return (await env.published()).filter((event) => event.envelope.subject === planId && !seen.has(event.envelope.id) && seen.add(event.envelope.id));
};

const settled = async () => {
  for (let i = 0; i < 400; i += 1) {
    const [{ n }] = await env.query<{ n: number }>(`SELECT count(*)::int AS n ${unpublishedOutboxRows()}`);
    if (n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the outbox did not drain');
};

describe('durable timers with a moved clock, across restarts', () => {
  test('the overdue of a task and a periodic review each fire once', async () => {
    await restart();
    const periodic = randomUUID();
    const overdue = randomUUID();
    const change = symptomsChanged(overdue, at(0).toISOString());
    await env.send(
      planOpened(periodic, randomUUID(), at(0).toISOString()),
      planRevised(periodic, 1, at(0).toISOString()),
      planOpened(overdue, randomUUID(), at(0).toISOString()),
      planRevised(overdue, 1, at(0).toISOString()),
      change,
    );
    const pending = await env.query<{ timer_id: string; due_at: Date }>(`SELECT timer_id, due_at FROM timers WHERE fired_at IS NULL ORDER BY due_at, timer_id`);
    expect(pending.map((timer) => [timer.timer_id, timer.due_at.toISOString()])).toEqual(
      expect.arrayContaining([
        [`review.overdue/${taskIdFor(overdue, 'plan_update', change.id)}`, at(14).toISOString()],
        [`review.periodic/${periodic}`, at(76).toISOString()],
      ]),
    );

    // Restart; two weeks on, the routine task is overdue, once.
    await restart();
    await moveClockTo(at(14, 0, 1));
    await moveClockTo(at(14, 0, 2));
    expect(count(await typesOf(overdue), 'ReviewTaskOverdue')).toBe(1);
    expect(count(await typesOf(periodic), 'ReviewTaskOpened')).toBe(0);

    // Restart; at day 76 the periodic review opens (due at day 90), once; the open overdue task takes the date on.
    await restart();
    expect(await app!.get(TimerWorker).runDue()).toBe(0);
    await moveClockTo(at(76, 0, 1));
    await restart();
    await moveClockTo(at(76, 0, 2));
    const periodicTypes = await typesOf(periodic);
    expect(count(periodicTypes, 'ReviewTaskOpened')).toBe(1);
    expect(count(await typesOf(overdue), 'ReviewTaskTriggerJoined')).toBe(1);
    expect(count(await typesOf(overdue), 'ReviewTaskOverdue')).toBe(1);

    // At day 90 the periodic task is overdue in its turn, once, whatever the restarts.
    await moveClockTo(at(90, 0, 1));
    await restart();
    await moveClockTo(at(91));
    expect(await typesOf(periodic)).toEqual([
      'PlanRegistered',
      'PlanRevisionRecorded',
      'PeriodicReviewScheduled',
      'ReviewTaskOpened',
      'ReviewTaskOverdue',
    ]);
    expect(await typesOf(overdue)).toEqual([
      'PlanRegistered',
      'PlanRevisionRecorded',
      'PeriodicReviewScheduled',
      'ReviewTaskOpened',
      'ReviewTaskOverdue',
      'ReviewTaskTriggerJoined',
    ]);

    await settled();
    const periodicTask = taskIdFor(periodic, 'periodic_review', at(90).toISOString());
    expect((await publishedOf(periodic)).map((event) => [event.name, (event.payload as { taskId?: string }).taskId])).toEqual([
      ['ReviewTaskOpened', periodicTask],
      ['ReviewTaskOverdue', periodicTask],
    ]);
    expect((await publishedOf(periodic))[0].payload).toMatchObject({ kind: 'periodic_review', reasons: ['review_interval'], triggeredBy: [], dueAt: at(90).toISOString() });
    expect((await publishedOf(overdue)).map((event) => event.name)).toEqual(['ReviewTaskOpened', 'ReviewTaskOverdue', 'ReviewTaskTriggerJoined']);
  });

  test("an item-9 flag's safety review not completed by the end of the day is escalated once: to the supervisor, or unrouted", async () => {
    clock.set(at(200));
    const instance = await restart();
    const http = () => request(instance.getHttpServer() as Parameters<typeof request>[0]);
    const [supervised, alone] = [randomUUID(), randomUUID()];
    const [supervisedClinician, aloneClinician] = [randomUUID(), randomUUID()];
    const supervision = { supervisorId: randomUUID(), teamId: randomUUID() };
    await http().put(`/clinicians/${supervisedClinician}/supervision`).set(env.callers.admin()).send(supervision).expect(200);
    const flags = [safetyFlagRaised(supervised, at(200, 1).toISOString()), safetyFlagRaised(alone, at(200, 1).toISOString())];
    await env.send(
      planOpened(supervised, supervisedClinician, at(200).toISOString()),
      planOpened(alone, aloneClinician, at(200).toISOString()),
      ...flags,
    );
    const [supervisedTask, aloneTask] = [taskIdFor(supervised, 'safety_review', flags[0].id), taskIdFor(alone, 'safety_review', flags[1].id)];

    // Due at midnight UTC: a minute before, nothing.
    await moveClockTo(new Date(Date.parse('2026-09-18T23:59:00.000Z')));
    expect(count(await typesOf(supervised), 'ReviewTaskEscalated')).toBe(0);
    await moveClockTo(new Date(Date.parse('2026-09-19T00:00:30.000Z')));
    await restart();
    await moveClockTo(new Date(Date.parse('2026-09-19T06:00:00.000Z')));

    for (const planId of [supervised, alone]) {
      const types = await typesOf(planId);
      expect(count(types, 'ReviewTaskEscalated')).toBe(1);
      expect(count(types, 'ReviewTaskOverdue')).toBe(1);
    }
    await settled();
    const escalations = [...(await publishedOf(supervised)), ...(await publishedOf(alone))].filter((event) => event.name === 'ReviewTaskEscalated');
    expect(escalations.map((event) => event.payload)).toEqual([
      expect.objectContaining({ taskId: supervisedTask, kind: 'safety_review', route: 'supervisor', ...supervision, escalationReason: 'safety_review_overdue', clinicianId: supervisedClinician }),
      expect.objectContaining({ taskId: aloneTask, route: 'unrouted', supervisorId: null, teamId: null, clinicianId: aloneClinician }),
    ]);

    // The unrouted one waits in the network's queue until a supervisor is known; then the team sees it.
    const { ReviewTasksProjection } = await import('./read-models/review-tasks.projection');
    await app!.get(ReviewTasksProjection).drain();
    const http2 = () => request(app!.getHttpServer() as Parameters<typeof request>[0]);
    const queue = await http2().get('/escalations/unrouted').set(env.callers.supervisor([])).expect(200);
    expect(queue.body.items.map((item: { taskId: string }) => item.taskId)).toEqual([aloneTask]);
    await http2().put(`/clinicians/${aloneClinician}/supervision`).set(env.callers.admin()).send(supervision).expect(200);
    expect((await http2().get('/escalations/unrouted').set(env.callers.supervisor([])).expect(200)).body.total).toBe(0);
    const team = await http2().get(`/teams/${supervision.teamId}/review-summary`).set(env.callers.supervisor([])).expect(200);
    expect(team.body.team).toMatchObject({ open: 4, overdue: 2, urgent: 4, escalated: 2 });
  });
});
