import fc from 'fast-check';
import type { QueryRunner } from 'typeorm';
import type { Checkpoint, RecordedEvent } from './event-store.types';
import type { PostgresEventStore } from './postgres-event-store';
import {
  anEvent,
  eventually,
  eventStoreFixture,
  type EventStoreFixture,
  someEvents,
  uniqueStreamId,
} from './test-support/event-store.fixture';

/** What most stores did first: a checkpoint on global_position alone. */
const naiveReader = (fixture: EventStoreFixture) => {
  let checkpoint = 0;
  return async (): Promise<number[]> => {
    const { rows } = await fixture.db.pool.query<{ position: number }>(
      'SELECT global_position::int AS position FROM events WHERE global_position > $1 ORDER BY global_position',
      [checkpoint],
    );
    const positions = rows.map((row) => row.position);
    if (positions.length > 0) checkpoint = positions[positions.length - 1];
    return positions;
  };
};

/** A checkpointed reader on the store, starting at the current end of the log. */
const watermarkReader = async (store: PostgresEventStore) => {
  let checkpoint: Checkpoint | null = null;
  const read = async (): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for (;;) {
      const batch = await store.readAll(checkpoint, { batchSize: 50 });
      if (batch.events.length === 0) return events;
      events.push(...batch.events);
      checkpoint = batch.checkpoint;
    }
  };
  await read();
  return read;
};

const openTransaction = async (fixture: EventStoreFixture): Promise<QueryRunner> => {
  const runner = fixture.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  return runner;
};

describe('readAll watermark', () => {
  let fixture: EventStoreFixture;
  let store: PostgresEventStore;

  beforeAll(async () => {
    fixture = await eventStoreFixture('es_watermark');
    store = fixture.store;
  });
  afterAll(async () => fixture.close());

  it('does not skip an event whose transaction took an earlier position and committed later, where a global_position reader does', async () => {
    const naive = naiveReader(fixture);
    await naive();
    const read = await watermarkReader(store);

    // A takes a global position and stays open; B takes a later one and commits first.
    const transactionA = await openTransaction(fixture);
    const a = await store.append(uniqueStreamId(), 'plan', [anEvent('PlanOpened')], {
      expectedVersion: 'no_stream',
      manager: transactionA.manager,
    });
    const b = await store.append(uniqueStreamId(), 'plan', [anEvent('PlanOpened')], { expectedVersion: 'no_stream' });
    const [positionA] = a.globalPositions;
    const [positionB] = b.globalPositions;
    expect(positionB).toBeGreaterThan(positionA);

    // While A is open: the naive reader sees B and moves its checkpoint past A's position;
    // the watermark reader returns nothing, because B is above the oldest open transaction (A).
    expect(await naive()).toEqual([positionB]);
    expect(await read()).toEqual([]);

    await transactionA.commitTransaction();
    await transactionA.release();

    // A is committed now: the naive reader never sees it; the watermark reader returns A, then B.
    expect(await naive()).toEqual([]);
    const seen: RecordedEvent[] = [];
    await eventually(async () => {
      seen.push(...(await read()));
      return seen.some((event) => event.globalPosition === positionB);
    });
    expect(seen.map((event) => event.globalPosition)).toEqual([positionA, positionB]);
  });

  it('never returns an event of a transaction rolled back', async () => {
    const read = await watermarkReader(store);
    const rolledBack = await openTransaction(fixture);
    await store.append(uniqueStreamId(), 'plan', someEvents(2), { expectedVersion: 'no_stream', manager: rolledBack.manager });
    await rolledBack.rollbackTransaction();
    await rolledBack.release();
    const kept = await store.append(uniqueStreamId(), 'plan', someEvents(1), { expectedVersion: 'no_stream' });

    const seen: RecordedEvent[] = [];
    await eventually(async () => {
      seen.push(...(await read()));
      return seen.length > 0;
    });
    expect(seen.map((event) => event.globalPosition)).toEqual(kept.globalPositions);
  });

  it('returns every committed event exactly once, in commit-safe order, whatever the order transactions end in', async () => {
    // Each writer opens a transaction and appends; then writers commit or roll back in any order, with reads in between.
    const writerCount = 5;
    const scenario = fc.record({
      appendOrder: fc.shuffledSubarray([...Array(writerCount).keys()], { minLength: writerCount, maxLength: writerCount }),
      eventsPerWriter: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: writerCount, maxLength: writerCount }),
      endOrder: fc.shuffledSubarray([...Array(writerCount).keys()], { minLength: writerCount, maxLength: writerCount }),
      commits: fc.array(fc.boolean(), { minLength: writerCount, maxLength: writerCount }),
      readAfterEnd: fc.array(fc.boolean(), { minLength: writerCount, maxLength: writerCount }),
    });

    await fc.assert(
      fc.asyncProperty(scenario, async ({ appendOrder, eventsPerWriter, endOrder, commits, readAfterEnd }) => {
        const read = await watermarkReader(store);
        const seen: RecordedEvent[] = [];
        const open = new Map<number, { runner: QueryRunner; transactionId: bigint; eventIds: string[] }>();
        const committed: string[] = [];
        try {
          for (const writer of appendOrder) {
            const runner = await openTransaction(fixture);
            const events = someEvents(eventsPerWriter[writer]);
            await store.append(uniqueStreamId(), 'plan', events, { expectedVersion: 'no_stream', manager: runner.manager });
            const [{ id }] = await runner.query('SELECT pg_current_xact_id()::text AS id');
            open.set(writer, { runner, transactionId: BigInt(id), eventIds: events.map((event) => event.eventId) });
            seen.push(...(await read()));
          }
          for (const [step, writer] of endOrder.entries()) {
            const transaction = open.get(writer)!;
            if (commits[writer]) {
              await transaction.runner.commitTransaction();
              committed.push(...transaction.eventIds);
            } else {
              await transaction.runner.rollbackTransaction();
            }
            await transaction.runner.release();
            open.delete(writer);
            if (readAfterEnd[step]) {
              const batch = await read();
              // Nothing at or above a still-open transaction is ever handed out.
              const oldestOpen = [...open.values()].reduce<bigint | null>(
                (oldest, { transactionId }) => (oldest === null || transactionId < oldest ? transactionId : oldest),
                null,
              );
              if (oldestOpen !== null) {
                for (const event of batch) expect(BigInt(event.transactionId) < oldestOpen).toBe(true);
              }
              seen.push(...batch);
            }
          }
          await eventually(async () => {
            seen.push(...(await read()));
            return seen.length >= committed.length;
          });
          expect(seen.map((event) => event.eventId).sort()).toEqual([...committed].sort());
          const order = seen.map((event) => [BigInt(event.transactionId), event.globalPosition] as const);
          for (let index = 1; index < order.length; index += 1) {
            const [previousTransaction, previousPosition] = order[index - 1];
            const [transaction, position] = order[index];
            expect(
              transaction > previousTransaction || (transaction === previousTransaction && position > previousPosition),
            ).toBe(true);
          }
        } finally {
          for (const { runner } of open.values()) {
            await runner.rollbackTransaction();
            await runner.release();
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
