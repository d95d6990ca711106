import { randomUUID } from 'node:crypto';
import { DomainError, type CommandMetadata } from '@golden-loop/decider';
import { eventStoreDataSourceOptions, eventStoreMigrations, PostgresEventStore } from '@golden-loop/event-store';
import { messagingMigrations, Outbox } from '@golden-loop/messaging';
import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import { DataSource, type EntityManager } from 'typeorm';
import { CommandRunner, type SequenceStep } from './command-runner';
import { VersionConflict } from './errors';
import { statelessPublication, type EventStream } from './event-stream';

// The runner against the real store and outbox: one command (`run`), and several on one stream in one go
// (`runEach` given a list of commands for the stream, as a consumer applies a chunk holding several of one plan's
// messages).

type Command = { type: 'Add'; amount: number } | { type: 'Noop' } | { type: 'Refuse' };
type Event = { type: 'Added'; data: { amount: number; total: number } };

class Refused extends DomainError {
  readonly code = 'refused';
  readonly kind = 'conflict';
  constructor() {
    super('refused');
  }
}

const counter: EventStream<number, Command, Event, null> = {
  streamType: 'Counter',
  decider: {
    initialState: () => 0,
    evolve: (_total, event) => event.data.total,
    decide: (command, total) => {
      if (command.type === 'Refuse') throw new Refused();
      if (command.type === 'Noop') return [];
      return [{ type: 'Added', data: { amount: command.amount, total: total + command.amount } }];
    },
  },
  publication: statelessPublication<Event>((stored, metadata) => [
    {
      topic: 'counter',
      key: 'k',
      value: JSON.stringify(stored.event.data),
      headers: { ce_id: stored.eventId, ce_causationid: metadata.causationId ?? '' },
    },
  ]),
};

let db: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;
let runner: CommandRunner;

beforeAll(async () => {
  db = await testDatabase('command_runner');
  dataSource = await new DataSource({
    ...eventStoreDataSourceOptions(db.typeorm),
    migrations: [...eventStoreMigrations, ...messagingMigrations],
    migrationsRun: true,
  }).initialize();
  store = new PostgresEventStore(dataSource);
  runner = new CommandRunner(dataSource, store, new Outbox());
});
afterAll(async () => {
  await store?.close();
  await dataSource?.destroy();
  await db?.drop();
});

const metadata = (causationId = randomUUID()): CommandMetadata => ({ now: new Date().toISOString(), correlationId: randomUUID(), causationId });
const outboxOf = (streamEventIds: readonly string[]) =>
  dataSource.query<{ message_id: string; payload: string; causation: string }[]>(
    `SELECT message_id::text, payload, headers->>'ce_causationid' AS causation FROM outbox WHERE message_id = ANY($1::uuid[]) ORDER BY id`,
    [streamEventIds],
  );

/** One stream's commands through `runEach`, in the caller's transaction or one of its own. */
const sequence = async (streamId: string, steps: readonly SequenceStep<Command>[], manager?: EntityManager) => {
  const run = async (within: EntityManager) => {
    const { results } = await runner.runEach(counter, { streamIds: [streamId], manager: within, commandsFor: async () => [steps] });
    return results[0];
  };
  return manager ? run(manager) : dataSource.transaction(run);
};

describe('CommandRunner.runEach: several commands of one stream', () => {
  test('decides each step on the state the previous ones left, and appends them all with their own metadata', async () => {
    const streamId = randomUUID();
    const steps = [
      { command: { type: 'Add', amount: 2 } as const, metadata: metadata() },
      { command: { type: 'Noop' } as const, metadata: metadata() },
      { command: { type: 'Add', amount: 5 } as const, metadata: metadata() },
    ];

    const result = await sequence(streamId, steps);

    expect(result).toMatchObject({ streamId, version: 2, state: 7 });
    const recorded = await store.readStream(streamId);
    expect(recorded.map((event) => [event.data, event.metadata.causationId, event.metadata.commandType])).toEqual([
      [{ amount: 2, total: 2 }, steps[0].metadata.causationId, 'Add'],
      [{ amount: 5, total: 7 }, steps[2].metadata.causationId, 'Add'],
    ]);
    const rows = await outboxOf(recorded.map((event) => event.eventId));
    expect(rows.map((row) => [row.message_id, JSON.parse(row.payload), row.causation])).toEqual([
      [recorded[0].eventId, { amount: 2, total: 2 }, steps[0].metadata.causationId],
      [recorded[1].eventId, { amount: 5, total: 7 }, steps[2].metadata.causationId],
    ]);
  });

  test('continues a stream that exists, in the caller transaction', async () => {
    const streamId = randomUUID();
    await runner.run(counter, { streamId, command: { type: 'Add', amount: 1 }, metadata: metadata() });

    const result = await dataSource.transaction((manager) =>
      sequence(streamId, [{ command: { type: 'Add', amount: 1 }, metadata: metadata() }, { command: { type: 'Add', amount: 1 }, metadata: metadata() }], manager),
    );

    expect(result).toMatchObject({ version: 3, state: 3 });
    expect((await store.readStream(streamId)).map((event) => event.streamPosition)).toEqual([1, 2, 3]);
  });

  test('steps that decide nothing leave the stream as it is', async () => {
    const streamId = randomUUID();
    const result = await sequence(streamId, [{ command: { type: 'Noop' }, metadata: metadata() }]);
    expect(result).toMatchObject({ version: 0, events: [], state: 0 });
    expect(await store.streamVersion(streamId)).toBeNull();
    // No command at all for a stream: read, and nothing decided.
    expect(await sequence(streamId, [])).toMatchObject({ version: 0, events: [], state: 0 });
  });

  test('a step that refuses leaves nothing of the earlier steps', async () => {
    const streamId = randomUUID();
    const steps = [
      { command: { type: 'Add', amount: 1 } as const, metadata: metadata() },
      { command: { type: 'Refuse' } as const, metadata: metadata() },
    ];
    await expect(sequence(streamId, steps)).rejects.toBeInstanceOf(Refused);
    expect(await store.readStream(streamId)).toEqual([]);
  });
});

describe('CommandRunner.run', () => {
  test('one command, with If-Match: the version read or a VersionConflict', async () => {
    const streamId = randomUUID();
    await runner.run(counter, { streamId, command: { type: 'Add', amount: 1 }, metadata: metadata(), expectedVersion: 0 });
    await expect(runner.run(counter, { streamId, command: { type: 'Add', amount: 1 }, metadata: metadata(), expectedVersion: 0 })).rejects.toBeInstanceOf(VersionConflict);
    expect((await runner.load(counter, streamId)).state).toBe(1);
  });
});
