import { randomUUID } from 'node:crypto';
import type { DecodedEvent } from '@golden-loop/contracts';
import { ManualClock, useClock } from '@golden-loop/scheduling';
import { genericPlanOf } from '@golden-loop/testing';
import { goalMet, lifeEventReported, planClosed, planOpened, planRecord, planRevised, planSigned, safetyFlagRaised, symptomsChanged, worsenedIntoSevere } from './test-support/plan-events';
import { startReviewScheduler, type ReviewFixture } from './test-support/review.fixture';
import { PATCH_TASKS_SQL } from './read-models/review-tasks.projection';
import { taskIdFor } from './task-ids';

// Issue 9, "Done when": triggers become tasks, joined into one per plan; revisions answer them; a closed plan
// cancels them; a duplicated delivery creates nothing twice. Against the real broker and PostgreSQL.

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
// The service's clock stands at the day after T0 unless a test moves it: nothing falls due by itself.
const clock = new ManualClock(new Date(T0 + DAY));
let restoreClock: () => void;
let api: ReviewFixture;
beforeAll(async () => {
  restoreClock = useClock(clock);
  api = await startReviewScheduler('review_tasks');
});
afterAll(async () => {
  await api?.close();
  restoreClock();
});

const at = (days: number, hours = 0) => new Date(T0 + days * DAY + hours * 3_600_000).toISOString();
const names = (events: readonly DecodedEvent[]) => events.map((event) => event.name);

/** A plan opened for a clinician, with revision 1 in effect. */
const aPlan = async (clinicianId = randomUUID()) => {
  const planId = randomUUID();
  await api.send(planOpened(planId, clinicianId, at(0)), planRevised(planId, 1, at(0)));
  return { planId, clinicianId };
};

describe('a meaningful clinical change becomes a plan-update task', () => {
  test('SymptomsChanged opens one routine task for the clinician, due in 14 days, published as ReviewTaskOpened', async () => {
    const { planId, clinicianId } = await aPlan();
    const change = symptomsChanged(planId, at(1));
    await api.send(change);

    const [opened] = await api.publishedFor(planId, (events) => events.length >= 1);
    expect(opened).toMatchObject({
      name: 'ReviewTaskOpened',
      version: 1,
      payload: {
        taskId: taskIdFor(planId, 'plan_update', change.id),
        planId,
        kind: 'plan_update',
        clinicianId,
        reasons: ['reliable_change', 'band_change'],
        triggeredBy: [change.id],
        urgency: 'routine',
        dueAt: at(15),
      },
    });
    expect(opened.envelope).toMatchObject({ subject: planId, source: '/goldenloop/review-scheduler', causationid: change.id });
  });

  test('three triggers make one task with the highest urgency and the earliest due date', async () => {
    const { planId, clinicianId } = await aPlan();
    const life = lifeEventReported(planId, at(1));
    const severe = worsenedIntoSevere(planId, at(3));
    const goal = goalMet(planId, at(2));
    await api.send(life, severe, goal);

    const published = await api.publishedFor(planId, (events) => events.length >= 3);
    expect(names(published)).toEqual(['ReviewTaskOpened', 'ReviewTaskTriggerJoined', 'ReviewTaskTriggerJoined']);
    expect(published[2].payload).toMatchObject({
      taskId: taskIdFor(planId, 'plan_update', life.id),
      reasons: ['reliable_change', 'band_change', 'goal_met', 'life_event'],
      triggeredBy: [life.id, severe.id, goal.id],
      urgency: 'urgent',
      dueAt: at(4),
      previousUrgency: 'urgent',
    });
    expect(published[1].payload).toMatchObject({ previousUrgency: 'routine', urgency: 'urgent', previousDueAt: at(15), dueAt: at(4), joinedBy: severe.id });

    await api.drain();
    const inbox = await api.http().get(`/clinicians/${clinicianId}/inbox`).set(api.callers.clinician(clinicianId)).expect(200);
    expect(inbox.body).toMatchObject({ total: 1, items: [{ planId, urgency: 'urgent', dueAt: at(4), triggerCount: 3, kind: 'plan_update' }] });
  });

  test('a revision answering one of two triggers leaves the task open; answering the other completes it', async () => {
    const { planId, clinicianId } = await aPlan();
    const first = symptomsChanged(planId, at(1));
    const second = goalMet(planId, at(2));
    await api.send(first, second, planSigned(planId, at(3)), planRevised(planId, 2, at(3), [first.id]));

    const review = await api.http().get(`/plans/${planId}/review`).set(api.callers.clinician(clinicianId)).expect(200);
    expect(review.body.tasks).toEqual([expect.objectContaining({ status: 'open', kind: 'plan_update' })]);
    const task = await api.http().get(`/plans/${planId}/review-tasks/${review.body.tasks[0].taskId}`).set(api.callers.clinician(clinicianId)).expect(200);
    expect(task.body.triggers.map((t: { eventId: string; answer: unknown }) => [t.eventId, t.answer === null])).toEqual([
      [first.id, false],
      [second.id, true],
    ]);

    await api.send(planRevised(planId, 3, at(4), [second.id]));
    const published = await api.settledFor(planId);
    expect(names(published)).toEqual(['ReviewTaskOpened', 'ReviewTaskTriggerJoined', 'ReviewTaskCompleted']);
    expect(published[2].payload).toMatchObject({
      resolution: 'plan_revised',
      revision: 3,
      triggeredBy: [first.id, second.id],
      completedAt: at(4),
      firstTriggeredAt: at(1),
      secondsToCompletion: 3 * 86_400,
    });
  });

  test('PlanClosed cancels the open tasks, the safety review too', async () => {
    const { planId } = await aPlan();
    const closed = planClosed(planId, at(2));
    await api.send(safetyFlagRaised(planId, at(1)), closed);

    const published = await api.settledFor(planId);
    expect(names(published)).toEqual(['ReviewTaskOpened', 'ReviewTaskOpened', 'ReviewTaskCancelled', 'ReviewTaskCancelled']);
    expect(published.slice(2).map((event) => event.payload)).toEqual([
      expect.objectContaining({ kind: 'plan_update', cancellationReason: 'plan_closed', cancelledBy: closed.id, cancelledAt: at(2) }),
      expect.objectContaining({ kind: 'safety_review', cancellationReason: 'plan_closed', cancelledBy: closed.id }),
    ]);
  });
});

describe('deliveries', () => {
  test('a duplicated delivery creates nothing twice', async () => {
    const { planId } = await aPlan();
    const change = symptomsChanged(planId, at(1));
    const message = planRecord(change, api.topics.plan);
    await api.produce('plan', [message, message]);
    await api.send(goalMet(planId, at(2)));
    await api.produce('plan', [message]);
    await api.send(lifeEventReported(planId, at(3)));

    const events = await api.reviewEvents(planId);
    expect(events.map((event) => event.type)).toEqual([
      'PlanRegistered',
      'PlanRevisionRecorded',
      'PeriodicReviewScheduled',
      'ReviewTaskOpened',
      'ReviewTaskTriggerJoined',
      'ReviewTaskTriggerJoined',
    ]);
    const inbox = await api.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [change.id]);
    expect(inbox[0].n).toBe(1);
  });

  test('plan events of no interest decide nothing, and a trigger for a plan never opened here is ignored', async () => {
    const { planId } = await aPlan();
    const unknownPlan = randomUUID();
    await api.send(planSigned(planId, at(1)), symptomsChanged(unknownPlan, at(1)));
    expect((await api.reviewEvents(planId)).map((event) => event.type)).toEqual(['PlanRegistered', 'PlanRevisionRecorded', 'PeriodicReviewScheduled']);
    expect(await api.reviewEvents(unknownPlan)).toEqual([]);

  });
});

describe('the tasks table, large', () => {
  // Rows of no plan of this file, removed afterwards: enough that reading them all would show.
  const seeded = "kind = 'seeded-for-the-plan-test'";
  afterAll(async () => {
    await api.db.pool.query(`DELETE FROM review_tasks WHERE ${seeded}`);
  });

  test('a change to some tasks finds them by key, not by reading every task', async () => {
    await api.db.pool.query(
      `INSERT INTO review_tasks (task_id, plan_id, clinician_id, kind, status, urgency, urgency_rank, reasons, trigger_count, due_at, opened_at, first_triggered_at, version)
       SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'seeded-for-the-plan-test', 'completed', 'routine', 1, '{}', 1, now(), now(), now(), 1
         FROM generate_series(1, 20000)`,
    );
    await api.db.pool.query('ANALYZE review_tasks');
    const ids = Array.from({ length: 10 }, () => randomUUID());
    const patches = ids.map((taskId) => ({ task_id: taskId, status: 'completed', version: 2 }));
    const plan = await genericPlanOf(api.db.pool, PATCH_TASKS_SQL, [JSON.stringify(patches), ids]);
    expect(plan).not.toMatch(/Seq Scan on review_tasks/);
    expect(plan).toMatch(/Index Cond: \(task_id = ANY/);
  });
});
