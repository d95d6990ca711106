import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import { DataSource } from 'typeorm';
import { ManualClock } from './clock';
import { schedulingMigrations } from './scheduling.migration';
import { Timers, TimerWorker } from './timers';

let db: TestDatabase;
let dataSource: DataSource;
const timers = new Timers();

beforeAll(async () => {
  db = await testDatabase('timers');
  dataSource = await new DataSource({ ...db.typeorm, migrations: schedulingMigrations, migrationsRun: true }).initialize();
  await dataSource.query('CREATE TABLE effects (timer_id text NOT NULL, fired_at timestamptz NOT NULL)');
});
afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});
beforeEach(async () => {
  await dataSource.query('TRUNCATE timers, effects');
});

const at = (iso: string) => new Date(iso);
const effects = async () => (await dataSource.query<{ timer_id: string }[]>('SELECT timer_id FROM effects ORDER BY timer_id')).map((row) => row.timer_id);

/** A worker whose handler records each firing in the same transaction. */
const worker = (clock: ManualClock, handler?: (timerId: string) => void) => {
  const instance = new TimerWorker({ dataSource, clock, pollIntervalMs: 10 });
  instance.handle('test', async (timer, manager, now) => {
    handler?.(timer.timerId);
    await manager.query('INSERT INTO effects VALUES ($1, $2)', [timer.timerId, now]);
  });
  return instance;
};

describe('durable timers', () => {
  test('a timer fires once its due time comes on the clock, and only once', async () => {
    const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
    await dataSource.transaction((manager) => timers.schedule(manager, [{ timerId: 'a', kind: 'test', streamId: 'p1', dueAt: at('2026-12-02T09:00:00Z') }]));
    const timerWorker = worker(clock);

    expect(await timerWorker.runDue()).toBe(0);
    clock.set(at('2026-12-02T09:00:00Z'));
    expect(await timerWorker.runDue()).toBe(1);
    expect(await timerWorker.runDue()).toBe(0);
    expect(await effects()).toEqual(['a']);
  });

  test('several workers polling the same table fire each of 40 timers exactly once', async () => {
    const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
    const due = Array.from({ length: 40 }, (_, i) => ({ timerId: `t${String(i).padStart(2, '0')}`, kind: 'test', streamId: `p${i}`, dueAt: at('2026-12-01T08:00:00Z') }));
    await dataSource.transaction((manager) => timers.schedule(manager, due));
    const workers = [worker(clock), worker(clock), worker(clock)];

    const counts = await Promise.all(workers.map((w) => w.runDue()));

    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(await effects()).toEqual(due.map((t) => t.timerId));
  });

  test('a timer scheduled in a transaction that rolls back does not exist', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await timers.schedule(manager, [{ timerId: 'gone', kind: 'test', streamId: 'p', dueAt: at('2026-01-01T00:00:00Z') }]);
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');
    expect(await worker(new ManualClock()).runDue()).toBe(0);
  });

  test('a handler that fails rolls back its writes and the timer fires again later; rescheduling re-arms it', async () => {
    const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
    await dataSource.transaction((manager) => timers.schedule(manager, [{ timerId: 'flaky', kind: 'test', streamId: 'p', dueAt: clock.now() }]));
    let calls = 0;
    const timerWorker = new TimerWorker({ dataSource, clock, logger: { error: () => undefined } as never });
    timerWorker.handle('test', async (timer, manager) => {
      calls += 1;
      await manager.query('INSERT INTO effects VALUES ($1, now())', [timer.timerId]);
      if (calls === 1) throw new Error('the database blinked');
    });

    expect(await timerWorker.runDue()).toBe(1);
    expect(await effects()).toEqual([]);
    clock.advance(1_000);
    await timerWorker.runDue();
    expect(await effects()).toEqual(['flaky']);
    expect(timerWorker.status()).toMatchObject({ fired: 1, failures: 1 });

    await dataSource.transaction((manager) => timers.schedule(manager, [{ timerId: 'flaky', kind: 'test', streamId: 'p', dueAt: clock.advance(60_000) }]));
    await timerWorker.runDue();
    expect(await effects()).toEqual(['flaky', 'flaky']);
  });

  test('a handler may move its own timer: it stays pending at the new time', async () => {
    const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
    await dataSource.transaction((manager) => timers.schedule(manager, [{ timerId: 'recheck', kind: 'again', streamId: 'p', dueAt: clock.now() }]));
    const timerWorker = new TimerWorker({ dataSource, clock });
    timerWorker.handle('again', async (timer, manager, now) => {
      await timers.schedule(manager, [{ ...timer, dueAt: new Date(now.getTime() + 86_400_000) }]);
    });

    await timerWorker.runDue();

    expect(await timers.pending(dataSource, 'p')).toEqual([expect.objectContaining({ timerId: 'recheck', dueAt: at('2026-12-02T09:00:00Z') })]);
  });

  test('the polling worker fires what a moved clock made due, and stops cleanly', async () => {
    const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
    await dataSource.transaction((manager) => timers.schedule(manager, [{ timerId: 'later', kind: 'test', streamId: 'p', dueAt: at('2026-12-05T00:00:00Z') }]));
    const fired: string[] = [];
    const timerWorker = worker(clock, (id) => fired.push(id));
    timerWorker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fired).toEqual([]);
      clock.set(at('2026-12-05T00:00:00Z'));
      for (let i = 0; i < 100 && fired.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(fired).toEqual(['later']);
    } finally {
      await timerWorker.stop();
    }
    expect(timerWorker.status().running).toBe(false);
  });

  test('runUntilNoneDue waits for a due timer the polling loop holds, where runDue skips it', async () => {
    const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
    await dataSource.transaction((manager) => timers.schedule(manager, [{ timerId: 'held', kind: 'test', streamId: 'p', dueAt: at('2026-12-01T08:00:00Z') }]));
    let claimed!: () => void;
    const polled = new Promise<void>((resolve) => (claimed = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const timerWorker = new TimerWorker({ dataSource, clock, pollIntervalMs: 10 });
    timerWorker.handle('test', async (timer, manager, now) => {
      claimed();
      await released;
      await manager.query('INSERT INTO effects VALUES ($1, $2)', [timer.timerId, now]);
    });
    timerWorker.start();
    try {
      await polled;
      expect(await timerWorker.runDue()).toBe(0);
      let settled = false;
      const settling = timerWorker.runUntilNoneDue().then((count) => ((settled = true), count));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(settled).toBe(false);
      release();
      expect(await settling).toBe(0);
      expect(await effects()).toEqual(['held']);
    } finally {
      release();
      await timerWorker.stop();
    }
  });

  describe('batches of due timers of one kind', () => {
    const due = (count: number, kind = 'batch', prefix = 'b') =>
      Array.from({ length: count }, (_, i) => ({ timerId: `${prefix}${String(i).padStart(2, '0')}`, kind, streamId: `p${i}`, dueAt: at('2026-12-01T08:00:00Z') }));
    const batchWorker = (clock: ManualClock, size: number, onBatch: (ids: string[]) => { deferred?: string[] } | void = () => undefined) => {
      const instance = new TimerWorker({ dataSource, clock, logger: { error: () => undefined, warn: () => undefined } as never });
      instance.handleBatch(
        'batch',
        async (batch, manager, now) => {
          const ids = batch.map((t) => t.timerId);
          const outcome = onBatch(ids);
          const done = ids.filter((id) => !(outcome?.deferred ?? []).includes(id));
          await manager.query('INSERT INTO effects SELECT id, $2 FROM unnest($1::text[]) AS id', [done, now]);
          return outcome;
        },
        { size },
      );
      return instance;
    };

    test('up to `size` due timers fire together in one transaction, in due order, each once', async () => {
      const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
      await dataSource.transaction((manager) => timers.schedule(manager, [...due(25), ...due(2, 'test', 'single')]));
      const batches: string[][] = [];
      const timerWorker = batchWorker(clock, 10, (ids) => void batches.push(ids));
      timerWorker.handle('test', async (timer, manager, now) => {
        await manager.query('INSERT INTO effects VALUES ($1, $2)', [timer.timerId, now]);
      });

      expect(await timerWorker.runDue()).toBe(5);

      expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
      expect(batches.flat()).toEqual(due(25).map((t) => t.timerId));
      expect(await effects()).toEqual([...due(25).map((t) => t.timerId), 'single00', 'single01']);
      expect(timerWorker.status().fired).toBe(27);
      expect(await timerWorker.runDue()).toBe(0);
    });

    test('several workers share the batches: each timer fires exactly once', async () => {
      const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
      await dataSource.transaction((manager) => timers.schedule(manager, due(60)));
      const workers = [batchWorker(clock, 7), batchWorker(clock, 7), batchWorker(clock, 7)];

      await Promise.all(workers.map((w) => w.runDue()));

      expect(await effects()).toEqual(due(60).map((t) => t.timerId));
      expect(workers.reduce((sum, w) => sum + w.status().fired, 0)).toBe(60);
    });

    test('a deferred timer stays due and fires later; a batch of only deferred timers ends the round', async () => {
      const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
      await dataSource.transaction((manager) => timers.schedule(manager, due(3)));
      let busy = true;
      const timerWorker = batchWorker(clock, 10, (ids) => (busy ? { deferred: ids.filter((id) => id === 'b01') } : undefined));

      expect(await timerWorker.runDue()).toBe(1);
      expect(await effects()).toEqual(['b00', 'b02']);
      expect((await timers.pending(dataSource, 'p1')).map((t) => t.timerId)).toEqual(['b01']);

      busy = true;
      expect(await timerWorker.runDue()).toBe(0);
      busy = false;
      expect(await timerWorker.runDue()).toBe(1);
      expect(await effects()).toEqual(['b00', 'b01', 'b02']);
    });

    test('a failing batch is fired again one timer per transaction: only the bad timer fails and counts an attempt', async () => {
      const clock = new ManualClock(at('2026-12-01T09:00:00Z'));
      await dataSource.transaction((manager) => timers.schedule(manager, due(4)));
      const timerWorker = batchWorker(clock, 10, (ids) => {
        if (ids.includes('b02')) throw new Error('b02 cannot be checked');
      });

      await timerWorker.runDue();

      expect(await effects()).toEqual(['b00', 'b01', 'b03']);
      const [left] = await dataSource.query<{ timer_id: string; attempts: number; last_error: string }[]>('SELECT timer_id, attempts, last_error FROM timers WHERE fired_at IS NULL');
      expect(left).toEqual({ timer_id: 'b02', attempts: 1, last_error: 'b02 cannot be checked' });
      expect(timerWorker.status()).toMatchObject({ fired: 3, failures: 1 });
    });

    test('a kind has one handler, single or batch, and a batch size is a positive integer', () => {
      const timerWorker = new TimerWorker({ dataSource, clock: new ManualClock() });
      timerWorker.handleBatch('k', async () => undefined, { size: 5 });
      expect(() => timerWorker.handle('k', async () => undefined)).toThrow('already have a handler');
      expect(() => timerWorker.handleBatch('k', async () => undefined, { size: 5 })).toThrow('already have a handler');
      expect(() => timerWorker.handleBatch('other', async () => undefined, { size: 0 })).toThrow(RangeError);
    });
  });
});
