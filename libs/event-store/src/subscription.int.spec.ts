import type { EntityManager } from 'typeorm';
import type { RecordedEvent, SubscriptionHandle } from './event-store.types';
import type { PostgresEventStore } from './postgres-event-store';
import {
  anEvent,
  eventually,
  eventStoreFixture,
  type EventStoreFixture,
  someEvents,
  uniqueStreamId,
} from './test-support/event-store.fixture';

/**
 * A small projection: one row per plan with its goal count and last event, plus a ledger of applied event ids
 * whose primary key turns any double application into an error.
 */
const goalProjection = (fixture: EventStoreFixture, table: string) => {
  const ledger = `${table}_applied`;
  return {
    create: async () => {
      await fixture.db.pool.query(`CREATE TABLE ${table} (stream_id text PRIMARY KEY, goals int NOT NULL, met int NOT NULL, last_event uuid NOT NULL, last_position bigint NOT NULL)`);
      await fixture.db.pool.query(`CREATE TABLE ${ledger} (event_id uuid PRIMARY KEY, global_position bigint NOT NULL)`);
    },
    handler: async (events: RecordedEvent[], manager: EntityManager) => {
      for (const event of events) {
        await manager.query(`INSERT INTO ${ledger} (event_id, global_position) VALUES ($1, $2)`, [event.eventId, event.globalPosition]);
        await manager.query(
          `INSERT INTO ${table} (stream_id, goals, met, last_event, last_position) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (stream_id) DO UPDATE SET goals = ${table}.goals + $2, met = ${table}.met + $3,
             last_event = $4, last_position = $5`,
          [event.streamId, event.type === 'GoalAdded' ? 1 : 0, event.type === 'GoalMet' ? 1 : 0, event.eventId, event.streamPosition],
        );
      }
    },
    reset: async (manager: EntityManager) => {
      await manager.query(`TRUNCATE ${table}, ${ledger}`);
    },
    state: async () =>
      (await fixture.db.pool.query(`SELECT * FROM ${table} ORDER BY stream_id`)).rows as Record<string, unknown>[],
    applied: async () =>
      (await fixture.db.pool.query(`SELECT event_id FROM ${ledger} ORDER BY event_id`)).rows.map((row) => row.event_id as string),
  };
};

describe('subscriptions', () => {
  let fixture: EventStoreFixture;
  let store: PostgresEventStore;
  const handles: SubscriptionHandle[] = [];
  const track = (handle: SubscriptionHandle) => {
    handles.push(handle);
    return handle;
  };

  // A schema per test: a subscription reads every event of its store.
  beforeEach(async () => {
    fixture = await eventStoreFixture('es_subscription');
    store = fixture.store;
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((handle) => handle.stop()));
    await fixture.close();
  });

  const appendPlans = async (plans: number, goalsPerPlan: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let plan = 0; plan < plans; plan += 1) {
      const events = [anEvent('PlanOpened', {}), ...someEvents(goalsPerPlan, 'GoalAdded'), anEvent('GoalMet', { goal: 0 })];
      await store.append(uniqueStreamId(), 'plan', events, { expectedVersion: 'no_stream' });
      ids.push(...events.map((event) => event.eventId));
    }
    return ids;
  };

  it('applies every event once and, stopped and started again, continues from its checkpoint', async () => {
    const projection = goalProjection(fixture, 'goals_restart');
    await projection.create();
    const subscriptionId = 'goals-restart';
    const handled: string[] = [];
    const handler = async (events: RecordedEvent[], manager: EntityManager) => {
      await projection.handler(events, manager);
      handled.push(...events.map((event) => event.eventId));
    };
    const errors: unknown[] = [];
    const first = await appendPlans(5, 3);

    const running = track(store.subscribe({ subscriptionId, handler, batchSize: 7, pollIntervalMs: 5, onError: (e) => errors.push(e) }));
    await eventually(async () => (await projection.applied()).length === first.length);
    await running.stop();
    const checkpointAtStop = await store.subscriptionCheckpoint(subscriptionId);
    const second = await appendPlans(4, 2);
    expect(await projection.applied()).toHaveLength(first.length);

    const restarted = track(store.subscribe({ subscriptionId, handler, batchSize: 7, pollIntervalMs: 5, onError: (e) => errors.push(e) }));
    await eventually(async () => (await projection.applied()).length === first.length + second.length);
    await restarted.stop();

    expect(errors).toEqual([]);
    expect(handled).toHaveLength(first.length + second.length);
    expect([...handled].sort()).toEqual([...first, ...second].sort());
    expect(checkpointAtStop).not.toBeNull();
    const last = (await store.readAll(checkpointAtStop, { batchSize: 1000 })).events.at(-1)!;
    expect(await store.subscriptionCheckpoint(subscriptionId)).toEqual({
      transactionId: last.transactionId,
      globalPosition: last.globalPosition,
    });
    expect((await restarted.lag()).pendingEvents).toBe(0);
  });

  it('rolls a failed batch back, projection rows and checkpoint together, then retries it without loss or repeat', async () => {
    const projection = goalProjection(fixture, 'goals_failure');
    await projection.create();
    const subscriptionId = 'goals-failure';
    const ids = await appendPlans(3, 2);
    const before = await store.subscriptionLag(subscriptionId);
    const poison = ids[5];
    let failuresLeft = 2;
    const errors: unknown[] = [];
    const failure = new Error('projection database hiccup');

    const handle = track(
      store.subscribe({
        subscriptionId,
        batchSize: 4,
        start: false,
        onError: (error) => errors.push(error),
        handler: async (events, manager) => {
          await projection.handler(events, manager);
          if (failuresLeft > 0 && events.some((event) => event.eventId === poison)) {
            failuresLeft -= 1;
            throw failure;
          }
        },
      }),
    );

    await expect(handle.drain()).rejects.toBe(failure);
    // The first batch committed; the second (with the poison event) left no row and no checkpoint move.
    expect(await projection.applied()).toEqual([...ids.slice(0, 4)].sort());
    expect((await handle.lag()).pendingEvents).toBe(before.pendingEvents - 4);

    const polling = track(
      store.subscribe({
        subscriptionId,
        batchSize: 4,
        pollIntervalMs: 1,
        onError: (error) => errors.push(error),
        handler: async (events, manager) => {
          await projection.handler(events, manager);
          if (failuresLeft > 0 && events.some((event) => event.eventId === poison)) {
            failuresLeft -= 1;
            throw failure;
          }
        },
      }),
    );
    await eventually(async () => (await projection.applied()).length === ids.length);
    await polling.stop();

    expect(errors).toEqual([failure]);
    expect(await projection.applied()).toEqual([...ids].sort());
  });

  it('a rebuilt projection reaches the same state as before the reset', async () => {
    const projection = goalProjection(fixture, 'goals_rebuild');
    await projection.create();
    const subscriptionId = 'goals-rebuild';
    await appendPlans(12, 4);
    const handle = track(
      store.subscribe({ subscriptionId, handler: projection.handler, onReset: projection.reset, batchSize: 9, start: false }),
    );
    const total = (await handle.lag()).pendingEvents;
    expect(await handle.drain()).toBe(total);
    const built = await projection.state();
    expect(built).toHaveLength(await fixture.db.pool.query('SELECT count(*)::int AS n FROM streams').then((r) => r.rows[0].n));

    await handle.rebuild();

    expect(await projection.state()).toEqual([]);
    expect(await store.subscriptionCheckpoint(subscriptionId)).toBeNull();
    expect((await handle.lag()).pendingEvents).toBe(total);
    expect(await handle.drain()).toBe(total);
    expect(await projection.state()).toEqual(built);
  });

  it('resetSubscription deletes the checkpoint so the next run replays from the first event', async () => {
    const subscriptionId = 'replay-count';
    await appendPlans(2, 1);
    let handled = 0;
    const options = { subscriptionId, handler: async (events: RecordedEvent[]) => void (handled += events.length) };
    const total = await store.catchUp(options);
    expect(handled).toBe(total);
    expect(await store.catchUp(options)).toBe(0);

    await store.resetSubscription(subscriptionId);

    expect(await store.subscriptionCheckpoint(subscriptionId)).toBeNull();
    expect(await store.catchUp(options)).toBe(total);
  });

  it('two instances of one subscription never handle the same event', async () => {
    const projection = goalProjection(fixture, 'goals_pair');
    await projection.create();
    const subscriptionId = 'goals-pair';
    const errors: unknown[] = [];
    const handledBy: Record<'a' | 'b', number> = { a: 0, b: 0 };
    const instance = (name: 'a' | 'b') =>
      track(
        store.subscribe({
          subscriptionId,
          batchSize: 3,
          pollIntervalMs: 1,
          onError: (error) => errors.push(error),
          handler: async (events, manager) => {
            await projection.handler(events, manager);
            handledBy[name] += events.length;
          },
        }),
      );
    instance('a');
    instance('b');

    const ids = await appendPlans(10, 3);
    await eventually(async () => (await projection.applied()).length === ids.length);

    expect(errors).toEqual([]);
    expect(await projection.applied()).toEqual([...ids].sort());
    expect(handledBy.a + handledBy.b).toBe(ids.length);
  });

  it('stop() lets the batch in flight commit before it resolves', async () => {
    const subscriptionId = 'graceful-stop';
    await appendPlans(1, 1);
    let releaseHandler!: () => void;
    let handlerStarted!: () => void;
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));
    const handle = store.subscribe({
      subscriptionId,
      batchSize: 100_000,
      handler: async () => {
        handlerStarted();
        await new Promise<void>((resolve) => (releaseHandler = resolve));
      },
    });
    await started;

    let stopped = false;
    const stopping = handle.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    releaseHandler();
    await stopping;

    expect((await handle.lag()).pendingEvents).toBe(0);
  });

  it('reports lag as the events committed after the checkpoint', async () => {
    const subscriptionId = 'lag-report';
    const handle = track(store.subscribe({ subscriptionId, handler: async () => undefined, start: false }));
    expect(await handle.lag()).toEqual({ subscriptionId, checkpoint: null, head: null, pendingEvents: 0 });
    await appendPlans(2, 2);
    expect((await handle.lag()).pendingEvents).toBe(8);
    await handle.drain();
    const caughtUp = await handle.lag();
    expect(caughtUp.pendingEvents).toBe(0);
    expect(caughtUp.checkpoint).toEqual(caughtUp.head);

    await store.append(uniqueStreamId(), 'plan', someEvents(5), { expectedVersion: 'no_stream' });
    const behind = await handle.lag();
    expect(behind.pendingEvents).toBe(5);
    expect(behind.checkpoint).toEqual(caughtUp.checkpoint);
    expect(behind.head!.globalPosition).toBeGreaterThan(caughtUp.head!.globalPosition);
  });
  it('drain() waits for an event committed before the call while an open transaction holds the watermark back', async () => {
    const projection = goalProjection(fixture, 'goals_held_back');
    await projection.create();
    const handle = track(store.subscribe({ subscriptionId: 'goals-held-back', handler: projection.handler, start: false }));
    // A transaction with an xid, left open on another connection: the watermark stops below it.
    const blocker = await fixture.db.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()');
      const ids = await appendPlans(1, 1);
      let released = false;
      const release = new Promise<void>((resolve) =>
        setTimeout(() => {
          released = true;
          void blocker.query('COMMIT').then(() => resolve());
        }, 300),
      );

      const handled = await handle.drain();

      expect(released).toBe(true);
      expect(handled).toBe(ids.length);
      expect(await projection.applied()).toEqual([...ids].sort());
      await release;
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
    }
  });
});
