import { randomUUID } from 'node:crypto';
import { TOPICS } from '@golden-loop/contracts';
import { DomainError, type Decider } from '@golden-loop/decider';
import { CommitRolledBack, ConcurrencyError, eventStoreDataSourceOptions, eventStoreMigrations, PostgresEventStore } from '@golden-loop/event-store';
import { keyLock, messagingMigrations, Outbox } from '@golden-loop/messaging';
import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import { DataSource, type EntityManager } from 'typeorm';
import { CommandRunner, type SequenceStep } from './command-runner';
import { ConcurrentModification, VersionConflict } from './errors';
import { statelessPublication, type EventStream } from './event-stream';
import { publicMessage } from './publishing';

// A goal tracker: the smallest decider that publishes (GoalMet is a public event) and refuses.
type Event = { type: 'GoalSet'; data: { goalId: string } } | { type: 'GoalMet'; data: { goalId: string; metAt: string } };
type Command = { type: 'SetGoal'; goalId: string } | { type: 'MeetGoal'; goalId: string; now: string } | { type: 'Look' };
type State = { goals: Record<string, 'active' | 'met'> };

class NoSuchGoal extends DomainError {
  readonly code = 'goal_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('There is no such goal.', 'goalId');
  }
}

const decider: Decider<State, Command, Event> = {
  initialState: () => ({ goals: {} }),
  evolve: (state, event) => ({ goals: { ...state.goals, [event.data.goalId]: event.type === 'GoalSet' ? 'active' : 'met' } }),
  decide: (command, state) => {
    if (command.type === 'Look') return [];
    if (command.type === 'SetGoal') return [{ type: 'GoalSet', data: { goalId: command.goalId } }];
    if (state.goals[command.goalId] !== 'active') throw new NoSuchGoal();
    return [{ type: 'GoalMet', data: { goalId: command.goalId, metAt: command.now } }];
  },
};

const topic = `${TOPICS.plan}.runner-test`;
const stream: EventStream<State, Command, Event, null> = {
  streamType: 'GoalTracker',
  decider,
  publication: statelessPublication((stored, metadata) =>
    stored.event.type === 'GoalMet'
      ? [publicMessage({ name: 'GoalMet', version: 1, payload: { planId: metadata.userId!, goalId: stored.event.data.goalId, metAt: stored.event.data.metAt } }, stored, metadata, topic)]
      : [],
  ),
};

const [G, A, B] = [randomUUID(), randomUUID(), randomUUID()];

let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;
let runner: CommandRunner;
const appends: number[] = [];

beforeAll(async () => {
  db = await testDatabase('runner');
  dataSource = await new DataSource({
    ...eventStoreDataSourceOptions(db.typeorm),
    migrations: [...eventStoreMigrations, ...messagingMigrations],
    migrationsRun: true,
    poolSize: 20,
  }).initialize();
  store = new PostgresEventStore(dataSource);
  runner = new CommandRunner(dataSource, store, new Outbox(), { onAppend: (_, __, events) => appends.push(events) });
  await dataSource.query('CREATE TABLE side_effects (stream_id text NOT NULL, version integer NOT NULL)');
});
afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

const metadataFor = (planId: string) => ({ now: '2026-12-02T10:00:00.000Z', correlationId: randomUUID(), causationId: randomUUID(), userId: planId });
const sideEffectsOf = async (streamId: string) =>
  (await dataSource.query<{ version: number }[]>('SELECT version FROM side_effects WHERE stream_id = $1 ORDER BY version', [streamId])).map((row) => row.version);
const outboxOf = (planId: string) =>
  dataSource.query<{ headers: Record<string, string>; transaction_id: string }[]>(
    'SELECT headers, transaction_id::text FROM outbox WHERE message_key = $1 ORDER BY transaction_id, id',
    [planId],
  );

describe('the command runner', () => {
  test('appends the decided events and their outbox rows in one transaction, with ids, positions and correlation', async () => {
    const planId = randomUUID();
    const metadata = metadataFor(planId);
    await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: G }, metadata });

    const result = await runner.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: G, now: metadata.now }, metadata });

    expect(result).toMatchObject({ streamId: planId, version: 2, state: { goals: { [G]: 'met' } } });
    const [stored] = result.events;
    expect(stored).toMatchObject({ streamPosition: 2, event: { type: 'GoalMet' } });
    const recorded = await store.readStream(planId);
    expect(recorded.map((e) => [e.type, e.metadata])).toEqual([
      ['GoalSet', { correlationId: metadata.correlationId, causationId: metadata.causationId, userId: planId, commandType: 'SetGoal' }],
      ['GoalMet', { correlationId: metadata.correlationId, causationId: metadata.causationId, userId: planId, commandType: 'MeetGoal' }],
    ]);
    const [row] = await outboxOf(planId);
    expect(row.headers).toMatchObject({
      ce_id: stored.eventId,
      ce_sequence: '00000000000000000002',
      ce_correlationid: metadata.correlationId,
      ce_causationid: metadata.causationId,
      ce_type: 'care.goldenloop.plan.GoalMet.v1',
    });
    expect(appends.length).toBeGreaterThanOrEqual(2);
  });

  test('a command that decides nothing writes nothing and leaves the version', async () => {
    const planId = randomUUID();
    await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(planId) });
    const result = await runner.run(stream, { streamId: planId, command: { type: 'Look' }, metadata: metadataFor(planId) });
    expect(result).toMatchObject({ version: 1, events: [] });
  });

  test('a refusal of the decider reaches the caller, and nothing is written', async () => {
    const planId = randomUUID();
    await expect(runner.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: G, now: 'x' }, metadata: metadataFor(planId) })).rejects.toThrow(NoSuchGoal);
    expect(await store.streamVersion(planId)).toBeNull();
  });

  test('with an expected version the stream moved past: VersionConflict with the current version, nothing written', async () => {
    const planId = randomUUID();
    await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: A }, metadata: metadataFor(planId) });
    await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: B }, metadata: metadataFor(planId) });

    const stale = runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(planId), expectedVersion: 1 });

    await expect(stale).rejects.toThrow(VersionConflict);
    await expect(stale).rejects.toMatchObject({ code: 'version_conflict', kind: 'precondition_failed', currentVersion: 2, extensions: { currentVersion: 2 } });
    expect(await store.streamVersion(planId)).toBe(2);
  });

  test('two instances racing on one stream without an expected version all succeed, and the stream has no gap', async () => {
    const planId = randomUUID();
    const other = new CommandRunner(dataSource, store, new Outbox());
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 === 0 ? runner : other).run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(planId) }),
      ),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect((await store.readStream(planId)).map((e) => e.streamPosition)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  test('a command that keeps losing races gives up with ConcurrentModification', async () => {
    const planId = randomUUID();
    const impatient = new CommandRunner(dataSource, store, new Outbox(), { maxAttempts: 1 });
    await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(planId) });
    // Another writer that does not take the key lock (a bug elsewhere, or a tool) holds an append open.
    const other = dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    try {
      await store.append(planId, 'GoalTracker', [{ eventId: randomUUID(), type: 'GoalSet', data: { goalId: randomUUID() } }], { expectedVersion: 1, manager: other.manager });
      const losing = impatient.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(planId) });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await other.commitTransaction();
      await expect(losing).rejects.toBeInstanceOf(ConcurrentModification);
      await expect(losing).rejects.toMatchObject({ code: 'concurrent_modification', kind: 'conflict' });
    } finally {
      await other.release();
    }
    expect(await store.streamVersion(planId)).toBe(2);
  });

  test('in the caller’s transaction, the events and outbox rows commit or roll back with the caller’s own writes', async () => {
    const planId = randomUUID();
    await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(planId) });

    await expect(
      dataSource.transaction(async (manager) => {
        await runner.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: G, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId), manager });
        throw new Error('the consumer’s handler failed after the command');
      }),
    ).rejects.toThrow('handler failed');

    expect(await store.streamVersion(planId)).toBe(1);
    expect(await outboxOf(planId)).toEqual([]);
  });

  test('a command waits for the key lock a consumer holds, so the outbox rows of the key stay in the order they were applied', async () => {
    const planId = randomUUID();
    await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: A }, metadata: metadataFor(planId) });
    await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: B }, metadata: metadataFor(planId) });
    const consumer = dataSource.createQueryRunner();
    await consumer.connect();
    await consumer.startTransaction();
    try {
      // Like IdempotentConsumer: the key lock, then a first write that gives the transaction its id.
      await consumer.query(keyLock.sql, [planId]);
      await consumer.query('SELECT pg_current_xact_id()');
      const http = runner.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: B, now: '2026-12-02T10:00:01.000Z' }, metadata: metadataFor(planId) });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await runner.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: A, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId), manager: consumer.manager });
      await consumer.commitTransaction();
      await http;
    } finally {
      await consumer.release();
    }
    const rows = await outboxOf(planId);
    expect(rows.map((row) => row.headers.ce_sequence)).toEqual(['00000000000000000003', '00000000000000000004']);
  });

  describe('the cached fold (a command costs the same on a long stream)', () => {
    test('a second command reads only the events after the cached fold, and sees what another instance wrote meanwhile', async () => {
      const planId = randomUUID();
      const mine = new CommandRunner(dataSource, store, new Outbox());
      const theirs = new CommandRunner(dataSource, store, new Outbox());
      const goals = Array.from({ length: 6 }, () => randomUUID());
      for (const goalId of goals.slice(0, 3)) await mine.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId }, metadata: metadataFor(planId) });
      for (const goalId of goals.slice(3)) await theirs.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId }, metadata: metadataFor(planId) });
      const before = mine.cacheStats();

      // The other instance's goal is met through this one: its cached fold (version 3) plus the tail (4..6).
      const result = await mine.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goals[5], now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId) });

      expect(result.version).toBe(7);
      expect(Object.keys(result.state.goals)).toHaveLength(6);
      expect(mine.cacheStats().hits).toBe(before.hits + 1);
      expect((await mine.load(stream, planId)).version).toBe(7);
    });

    /** A stream with one goal set (version 1), and the command that meets it, in `manager`'s transaction when given. */
    const aStreamWithAGoal = async () => {
      const planId = randomUUID();
      const goal = randomUUID();
      await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: goal }, metadata: metadataFor(planId) });
      const meet = (manager?: EntityManager) =>
        runner.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goal, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId), manager });
      return { planId, goal, meet };
    };

    test('events of a caller’s transaction that rolled back never reach the cache', async () => {
      const { planId, goal, meet } = await aStreamWithAGoal();
      await expect(
        dataSource.transaction(async (manager) => {
          await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(planId), manager });
          // A second command in the same transaction reads the first one's uncommitted event.
          await meet(manager);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');

      const loaded = await runner.load(stream, planId);
      expect(loaded).toMatchObject({ version: 1, state: { goals: { [goal]: 'active' } } });
      const next = await meet();
      expect(next.version).toBe(2);
    });

    test('a caller’s transaction that caught a database error and went on fails at its COMMIT, and its folds are not cached', async () => {
      const { planId, goal, meet } = await aStreamWithAGoal();
      // PostgreSQL answers such a COMMIT with ROLLBACK and no error; the store's client makes it one (CommitRolledBack).
      await expect(
        dataSource.transaction(async (manager) => {
          await meet(manager);
          await manager.query('SELECT $1::int', ['not a number']).catch(() => undefined);
        }),
      ).rejects.toMatchObject({ driverError: expect.any(CommitRolledBack) });

      expect(await runner.load(stream, planId)).toMatchObject({ version: 1, state: { goals: { [goal]: 'active' } } });
      expect(await store.streamVersion(planId)).toBe(1);
    });

    test('a command whose cached fold is at the stream’s version reads no events; one behind reads only the tail', async () => {
      const planId = randomUUID();
      const mine = new CommandRunner(dataSource, store, new Outbox());
      const theirs = new CommandRunner(dataSource, store, new Outbox());
      const goal = randomUUID();
      await mine.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: goal }, metadata: metadataFor(planId) });
      const reads = jest.spyOn(store, 'readStream');
      try {
        await mine.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(planId) });
        expect(reads).not.toHaveBeenCalled();

        await theirs.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(planId) });
        reads.mockClear();
        const result = await mine.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goal, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId) });
        expect(reads.mock.calls.map(([id, options]) => [id, options?.fromVersion])).toEqual([[planId, 3]]);
        expect(result).toMatchObject({ version: 4, state: { goals: { [goal]: 'met' } } });
        expect(Object.keys(result.state.goals)).toHaveLength(3);
      } finally {
        reads.mockRestore();
      }
    });

    test('commands of one caller’s transaction read the stream once: each starts from the fold the previous one left', async () => {
      const planId = randomUUID();
      const goals = Array.from({ length: 5 }, () => randomUUID());
      const fresh = new CommandRunner(dataSource, store, new Outbox());
      await fresh.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: goals[0] }, metadata: metadataFor(planId) });
      const reads = jest.spyOn(store, 'readStream');
      try {
        const last = await dataSource.transaction(async (manager) => {
          for (const goalId of goals.slice(1)) await fresh.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId }, metadata: metadataFor(planId), manager });
          return fresh.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goals[4], now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId), manager });
        });
        expect(reads).not.toHaveBeenCalled();
        expect(last).toMatchObject({ version: 6, state: { goals: { [goals[4]]: 'met', [goals[0]]: 'active' } } });
        expect(Object.keys(last.state.goals)).toHaveLength(5);
        expect(last.state).toEqual((await fresh.history(stream, planId)).state);
      } finally {
        reads.mockRestore();
      }
    });

    test('a transaction’s own fold is not used by another transaction, nor after its attempt lost a race', async () => {
      const planId = randomUUID();
      const goal = randomUUID();
      const fresh = new CommandRunner(dataSource, store, new Outbox());
      await fresh.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: goal }, metadata: metadataFor(planId) });
      // One transaction writes two events and rolls back; the next, on a new transaction, sees neither.
      await expect(
        dataSource.transaction(async (manager) => {
          await fresh.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goal, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId), manager });
          await fresh.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(planId), manager });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const next = await dataSource.transaction((manager) =>
        fresh.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goal, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId), manager }),
      );
      expect(next).toMatchObject({ version: 2, state: { goals: { [goal]: 'met' } } });
      expect(Object.keys(next.state.goals)).toHaveLength(1);
    });

    test('a writer that commits while a command waits for the key lock: the command decides again on what it wrote', async () => {
      const planId = randomUUID();
      const goal = randomUUID();
      const mine = new CommandRunner(dataSource, store, new Outbox());
      const theirs = new CommandRunner(dataSource, store, new Outbox());
      await mine.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: goal }, metadata: metadataFor(planId) });
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const hasLock = new Promise<void>((resolve) => (locked = resolve));
      // Theirs takes the key lock and meets the goal, then waits; mine starts its command (its fold is at version 1
      // and its lock statement's snapshot says 1) and waits for the lock; theirs commits version 2.
      const other = dataSource.transaction(async (manager) => {
        await manager.query(keyLock.sql, [planId]);
        locked();
        await holding;
        await theirs.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goal, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId), manager });
      });
      await hasLock;
      const meeting = mine.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goal, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId) });
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await other;
      // The goal is met already: deciding again on version 2 refuses, where the stale fold would have met it twice.
      await expect(meeting).rejects.toThrow(NoSuchGoal);
      expect(await store.streamVersion(planId)).toBe(2);
    });

    test('the publication’s fold is cached with the state: messages after a cached fold are the same as after a full read', async () => {
      const planId = randomUUID();
      const goal = randomUUID();
      const cold = new CommandRunner(dataSource, store, new Outbox(), { cachedStreams: 0 });
      await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: goal }, metadata: metadataFor(planId) });
      const met = await cold.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: goal, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId) });
      expect(cold.cacheStats()).toEqual({ size: 0, hits: 0, misses: 1 });
      expect(met.state).toEqual((await runner.history(stream, planId)).state);
    });
  });

  describe('a command built from the state read, and the caller’s writes with the events', () => {
    test('commandFor sees the state read under the key lock; beforeCommit writes in the same transaction; a lost race builds the command again', async () => {
      const planId = randomUUID();
      await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: A }, metadata: metadataFor(planId) });
      const seen: number[] = [];
      const other = dataSource.createQueryRunner();
      await other.connect();
      await other.startTransaction();
      try {
        // A writer that skips the key lock moves the stream while the command runs: the first attempt loses.
        await store.append(planId, 'GoalTracker', [{ eventId: randomUUID(), type: 'GoalSet', data: { goalId: B } }], { expectedVersion: 1, manager: other.manager });
        const run = runner.run(stream, {
          streamId: planId,
          metadata: metadataFor(planId),
          commandFor: ({ state, version }) => {
            seen.push(version);
            const active = Object.keys(state.goals).filter((goalId) => state.goals[goalId] === 'active');
            return { type: 'MeetGoal' as const, goalId: active.at(-1)!, now: '2026-12-02T10:00:00.000Z' };
          },
          beforeCommit: async (result, manager) => {
            await manager.query('INSERT INTO side_effects VALUES ($1, $2)', [planId, result.version]);
          },
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
        await other.commitTransaction();
        const result = await run;
        expect(seen).toEqual([1, 2]);
        expect(result).toMatchObject({ version: 3, state: { goals: { [A]: 'active', [B]: 'met' } } });
      } finally {
        await other.release();
      }
      expect(await sideEffectsOf(planId)).toEqual([3]);
    });

    test('a beforeCommit that fails rolls the events and outbox rows back; one that decided nothing is still called', async () => {
      const planId = randomUUID();
      await runner.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(planId) });
      const failing = runner.run(stream, {
        streamId: planId,
        command: { type: 'MeetGoal', goalId: G, now: '2026-12-02T10:00:00.000Z' },
        metadata: metadataFor(planId),
        beforeCommit: async (_, manager) => {
          await manager.query('INSERT INTO side_effects VALUES ($1, 99)', [planId]);
          throw new Error('the read model refused');
        },
      });
      await expect(failing).rejects.toThrow('the read model refused');
      expect(await store.streamVersion(planId)).toBe(1);
      expect(await outboxOf(planId)).toEqual([]);
      expect(await sideEffectsOf(planId)).toEqual([]);

      const calls: number[] = [];
      await runner.run(stream, { streamId: planId, command: { type: 'Look' }, metadata: metadataFor(planId), beforeCommit: async (result) => void calls.push(result.events.length) });
      expect(calls).toEqual([0]);
    });
  });

  describe('several streams in one transaction (runEach)', () => {
    const setGoal = (loaded: readonly { streamId: string }[]): Promise<SequenceStep<Command>[][]> =>
      Promise.resolve(loaded.map(({ streamId }) => [{ command: { type: 'SetGoal', goalId: randomUUID() }, metadata: metadataFor(streamId) }]));

    test('locks, reads and decides every stream once, in sorted order, and commits with the caller: events, outbox rows and beforeCommit', async () => {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      await runner.run(stream, { streamId: ids[1], command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(ids[1]) });
      const sorted = [...ids].sort();
      let loadedSeen: { streamId: string; version: number }[] = [];
      let committedSeen: string[] = [];

      const { results, skipped } = await dataSource.transaction((manager) =>
        runner.runEach(stream, {
          streamIds: [...ids, ids[0]],
          manager,
          commandsFor: async (loaded) => {
            loadedSeen = loaded.map(({ streamId, version }) => ({ streamId, version }));
            return loaded.map(({ streamId, state }) => [
              {
                command: state.goals[G] === 'active' ? { type: 'MeetGoal', goalId: G, now: '2026-12-02T10:00:00.000Z' } : { type: 'Look' },
                metadata: metadataFor(streamId),
              },
            ]);
          },
          beforeCommit: async (done, each) => {
            committedSeen = done.map((result) => result.streamId);
            for (const result of done) await each.query('INSERT INTO side_effects VALUES ($1, $2)', [result.streamId, result.version]);
          },
        }),
      );

      expect(skipped).toEqual([]);
      expect(loadedSeen).toEqual(sorted.map((streamId) => ({ streamId, version: streamId === ids[1] ? 1 : 0 })));
      expect(committedSeen).toEqual(sorted);
      expect(results.map((r) => [r.streamId, r.version, r.events.map((e) => e.event.type)])).toEqual(
        sorted.map((streamId) => (streamId === ids[1] ? [streamId, 2, ['GoalMet']] : [streamId, 0, []])),
      );
      expect((await store.readStream(ids[1])).map((e) => [e.type, e.metadata.commandType])).toEqual([
        ['GoalSet', 'SetGoal'],
        ['GoalMet', 'MeetGoal'],
      ]);
      expect((await outboxOf(ids[1])).map((row) => row.headers.ce_type)).toEqual(['care.goldenloop.plan.GoalMet.v1']);
      expect(await sideEffectsOf(ids[1])).toEqual([2]);
      // The fold after the batch is read as the tail by the next command.
      expect((await runner.load(stream, ids[1])).state.goals[G]).toBe('met');
    });

    test('a batch rolls back with the caller’s transaction, and nothing of it is cached', async () => {
      const ids = [randomUUID(), randomUUID()];
      await expect(
        dataSource.transaction(async (manager) => {
          await runner.runEach(stream, { streamIds: ids, manager, commandsFor: setGoal });
          throw new Error('the timer handler failed');
        }),
      ).rejects.toThrow('the timer handler failed');
      for (const id of ids) {
        expect(await store.streamVersion(id)).toBeNull();
        expect(await outboxOf(id)).toEqual([]);
        expect((await runner.load(stream, id)).version).toBe(0);
      }
    });

    /** One batch of SetGoal over `streamIds` in a transaction of its own. */
    const batch = (on: CommandRunner, streamIds: string[]) => dataSource.transaction((manager) => on.runEach(stream, { streamIds, manager, commandsFor: setGoal }));
    /** What `work` answered, and the tails it asked the store for. */
    const withTailReads = async <T>(work: () => Promise<T>): Promise<{ result: T; tails: unknown[] }> => {
      const reads = jest.spyOn(store, 'readStreams');
      try {
        const result = await work();
        return { result, tails: reads.mock.calls.map(([wanted]) => wanted) };
      } finally {
        reads.mockRestore();
      }
    };

    test('once the caller’s transaction commits, the folds after its own writes are cached: the next batch reads no events', async () => {
      const ids = [randomUUID(), randomUUID()];
      const fresh = new CommandRunner(dataSource, store, new Outbox());
      await batch(fresh, ids);
      const { result, tails } = await withTailReads(() => batch(fresh, ids));
      expect(tails).toEqual([]);
      expect(result.results.map((r) => [r.version, Object.keys(r.state.goals).length])).toEqual([
        [2, 2],
        [2, 2],
      ]);
      for (const done of result.results) expect(done.state).toEqual((await fresh.history(stream, done.streamId)).state);
    });

    test('a stream another instance moved is read from the cached version on; the others are not read', async () => {
      const [moved, still] = [randomUUID(), randomUUID()].sort();
      const fresh = new CommandRunner(dataSource, store, new Outbox());
      await batch(fresh, [moved, still]);
      await new CommandRunner(dataSource, store, new Outbox()).run(stream, { streamId: moved, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(moved) });
      const { result, tails } = await withTailReads(() => batch(fresh, [moved, still]));
      expect(tails).toEqual([[{ streamId: moved, fromVersion: 2 }]]);
      expect(result.results.map((r) => [r.streamId, r.version, Object.keys(r.state.goals).length])).toEqual([
        [moved, 3, 3],
        [still, 2, 2],
      ]);
    });

    test('after a lock it waited for, the statement uses no version: a writer that held that lock and wrote a later stream is read', async () => {
      const [first, second] = [randomUUID(), randomUUID()].sort();
      const fresh = new CommandRunner(dataSource, store, new Outbox());
      await batch(fresh, [first, second]);
      // The writer holds both key locks and writes the second stream; the batch waits for the first key, and once the
      // writer commits it gets the second at once, with the version its snapshot (taken before the wait) saw.
      const writer = dataSource.createQueryRunner();
      await writer.connect();
      await writer.startTransaction();
      try {
        for (const key of [first, second]) await writer.query(keyLock.sql, [key]);
        await new CommandRunner(dataSource, store, new Outbox()).run(stream, { streamId: second, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(second), manager: writer.manager });
        const waiting = batch(fresh, [first, second]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await writer.commitTransaction();
        const { results } = await waiting;
        expect(results.map((r) => [r.streamId, r.version, Object.keys(r.state.goals).length])).toEqual([
          [first, 2, 2],
          [second, 3, 3],
        ]);
      } finally {
        await writer.release();
      }
    });

    test('lock: skip leaves out a stream whose key lock another transaction holds, and writes the others', async () => {
      const [busy, free] = [randomUUID(), randomUUID()];
      const consumer = dataSource.createQueryRunner();
      await consumer.connect();
      await consumer.startTransaction();
      try {
        await consumer.query(keyLock.sql, [busy]);
        const { results, skipped } = await dataSource.transaction((manager) => runner.runEach(stream, { streamIds: [busy, free], manager, lock: 'skip', commandsFor: setGoal }));
        expect(skipped).toEqual([busy]);
        expect(results.map((r) => [r.streamId, r.version])).toEqual([[free, 1]]);
      } finally {
        await consumer.commitTransaction();
        await consumer.release();
      }
      expect(await store.streamVersion(busy)).toBeNull();
      expect(await store.streamVersion(free)).toBe(1);
    });

    test('lock: wait waits for a key lock another transaction holds, and reads what it wrote', async () => {
      const [busy, free] = [randomUUID(), randomUUID()];
      const consumer = dataSource.createQueryRunner();
      await consumer.connect();
      await consumer.startTransaction();
      try {
        await consumer.query(keyLock.sql, [busy]);
        const batch = dataSource.transaction((manager) => runner.runEach(stream, { streamIds: [busy, free], manager, commandsFor: setGoal }));
        await new Promise((resolve) => setTimeout(resolve, 100));
        await runner.run(stream, { streamId: busy, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(busy), manager: consumer.manager });
        await consumer.commitTransaction();
        const { results } = await batch;
        expect(results.map((r) => [r.streamId, r.version])).toEqual([busy, free].sort().map((id) => [id, id === busy ? 2 : 1]));
      } finally {
        await consumer.release();
      }
    });

    test('two batches given the same streams in opposite orders both commit (the locks are taken in one order, no deadlock)', async () => {
      const [first, second] = [randomUUID(), randomUUID()].sort();
      const holder = dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        // Both batches queue behind a holder of the first key; taken in the order given, the later one would hold the
        // second key while waiting for the first, and the earlier one, once it got the first, would wait for it.
        await holder.query(keyLock.sql, [first]);
        const inOrder = dataSource.transaction((manager) => runner.runEach(stream, { streamIds: [first, second], manager, commandsFor: setGoal }));
        await new Promise((resolve) => setTimeout(resolve, 100));
        const reversed = dataSource.transaction((manager) => runner.runEach(stream, { streamIds: [second, first], manager, commandsFor: setGoal }));
        await new Promise((resolve) => setTimeout(resolve, 100));
        await holder.commitTransaction();
        const [one, two] = await Promise.all([inOrder, reversed]);
        expect([...one.results, ...two.results].map((r) => r.version).sort()).toEqual([1, 1, 2, 2]);
      } finally {
        await holder.release();
      }
    });

    test('a stream moved by a writer that skipped the key lock fails the batch, and nothing of it is written', async () => {
      const [id, fresh] = [randomUUID(), randomUUID()];
      await runner.run(stream, { streamId: id, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(id) });
      const other = dataSource.createQueryRunner();
      await other.connect();
      await other.startTransaction();
      try {
        await store.append(id, 'GoalTracker', [{ eventId: randomUUID(), type: 'GoalSet', data: { goalId: B } }], { expectedVersion: 1, manager: other.manager });
        const batch = dataSource.transaction((manager) => runner.runEach(stream, { streamIds: [id, fresh], manager, commandsFor: setGoal }));
        await new Promise((resolve) => setTimeout(resolve, 100));
        await other.commitTransaction();
        await expect(batch).rejects.toBeInstanceOf(ConcurrencyError);
      } finally {
        await other.release();
      }
      expect(await store.streamVersion(id)).toBe(2);
      expect(await store.streamVersion(fresh)).toBeNull();
    });
  });
});

describe('the command runner with group commit', () => {
  let grouped: CommandRunner;
  beforeAll(() => {
    grouped = new CommandRunner(dataSource, store, new Outbox(), { groupCommit: { concurrency: 1, maxCommands: 64 } });
  });

  const transactionOf = async (streamId: string): Promise<string[]> =>
    (await dataSource.query<{ xid: string }[]>('SELECT transaction_id::text AS xid FROM events WHERE stream_id = $1 ORDER BY stream_position', [streamId])).map((r) => r.xid);

  test('commands of several streams that arrive while a transaction is open commit together, each with its own events and outbox rows', async () => {
    const plans = Array.from({ length: 6 }, () => randomUUID());
    const results = await Promise.all(plans.map((planId) => grouped.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(planId) })));
    expect(results.map((r) => [r.streamId, r.version, r.events.map((e) => e.event.type)])).toEqual(plans.map((planId) => [planId, 1, ['GoalSet']]));
    // The first ran alone (nothing was open); the other five waited for it and went in one transaction.
    const xids = await Promise.all(plans.map(transactionOf));
    expect(new Set(xids.slice(1).flat()).size).toBe(1);
    expect(xids[0]).not.toEqual(xids[1]);
    const met = await Promise.all(plans.map((planId) => grouped.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: G, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId) })));
    expect(met.map((r) => r.state)).toEqual(plans.map(() => ({ goals: { [G]: 'met' } })));
    for (const planId of plans) expect((await outboxOf(planId)).map((row) => row.headers.ce_type)).toEqual(['care.goldenloop.plan.GoalMet.v1']);
  });

  test('a refusal or a version conflict in a group answers that command alone; the others commit', async () => {
    const [first, refused, conflicting, fine, alsoFine] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await grouped.run(stream, { streamId: conflicting, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(conflicting) });
    const outcomes = await Promise.allSettled([
      grouped.run(stream, { streamId: first, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(first) }),
      grouped.run(stream, { streamId: refused, command: { type: 'MeetGoal', goalId: G, now: 'x' }, metadata: metadataFor(refused) }),
      grouped.run(stream, { streamId: conflicting, command: { type: 'SetGoal', goalId: A }, metadata: metadataFor(conflicting), expectedVersion: 0 }),
      grouped.run(stream, { streamId: fine, command: { type: 'SetGoal', goalId: B }, metadata: metadataFor(fine) }),
      grouped.run(stream, { streamId: alsoFine, command: { type: 'SetGoal', goalId: B }, metadata: metadataFor(alsoFine) }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(NoSuchGoal);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflict);
    expect(await store.streamVersion(refused)).toBeNull();
    expect(await store.streamVersion(conflicting)).toBe(1);
    expect((outcomes[4] as PromiseFulfilledResult<{ version: number }>).value.version).toBe(1);
    // The four after the first went in one group: the two that were not refused share its transaction.
    expect(await transactionOf(fine)).toEqual(await transactionOf(alsoFine));
  });

  test('commands of one stream never share a group: they run in the order given, each on the state the previous left', async () => {
    const planId = randomUUID();
    const [set, met, again] = await Promise.allSettled([
      grouped.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(planId) }),
      grouped.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: G, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId) }),
      grouped.run(stream, { streamId: planId, command: { type: 'MeetGoal', goalId: G, now: '2026-12-02T10:00:00.000Z' }, metadata: metadataFor(planId) }),
    ]);
    expect([set.status, met.status, again.status]).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((await store.readStream(planId)).map((e) => e.type)).toEqual(['GoalSet', 'GoalMet']);
  });

  test('a group the database refuses rolls back, and each of its commands then runs alone', async () => {
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    // The batch's one append of several streams fails (a trigger refuses multi-row statements), the one-stream one does not.
    await dataSource.query(`CREATE FUNCTION refuse_batches() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF (SELECT count(*) FROM new_rows) > 1 THEN RAISE EXCEPTION 'no batches here'; END IF; RETURN NULL; END $$`);
    await dataSource.query('CREATE TRIGGER refuse_batches AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refuse_batches()');
    try {
      const results = await Promise.all(
        [first, second, third].map((planId) => grouped.run(stream, { streamId: planId, command: { type: 'SetGoal', goalId: G }, metadata: metadataFor(planId) })),
      );
      expect(results.map((r) => r.version)).toEqual([1, 1, 1]);
      const xids = await Promise.all([first, second, third].map(transactionOf));
      expect(new Set(xids.flat()).size).toBe(3);
    } finally {
      await dataSource.query('DROP TRIGGER refuse_batches ON events');
      await dataSource.query('DROP FUNCTION refuse_batches()');
    }
  });
});
