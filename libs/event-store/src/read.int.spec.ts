import type { Checkpoint, RecordedEvent, Upcasters } from './event-store.types';
import type { PostgresEventStore } from './postgres-event-store';
import {
  anEvent,
  eventStoreFixture,
  type EventStoreFixture,
  someEvents,
  uniqueStreamId,
} from './test-support/event-store.fixture';

interface GoalAddedV1 {
  goal: string;
}
interface GoalAddedV2 {
  goal: { text: string };
}
interface GoalAddedV3 {
  goal: { text: string; inClientWords: boolean };
}

// GoalAdded v1 stored the goal as a string; v2 made it an object; v3 records whether it is in the client's words.
const upcasters: Upcasters = {
  GoalAdded: {
    1: (data: GoalAddedV1) => ({ data: { goal: { text: data.goal } } satisfies GoalAddedV2, schemaVersion: 2 }),
    2: (data: GoalAddedV2, metadata) => ({
      data: { goal: { ...data.goal, inClientWords: metadata.source === 'client' } } satisfies GoalAddedV3,
      schemaVersion: 3,
    }),
  },
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgresEventStore reads', () => {
  let fixture: EventStoreFixture;
  let store: PostgresEventStore;

  beforeAll(async () => {
    fixture = await eventStoreFixture('es_read', { upcasters });
    store = fixture.store;
  });
  afterAll(async () => fixture.close());

  it('reads a stream with its type, positions, transaction id and time', async () => {
    const streamId = uniqueStreamId();
    const before = new Date();
    const { globalPositions } = await store.append(streamId, 'treatment-plan', someEvents(2, 'ObjectiveAdded'), {
      expectedVersion: 'no_stream',
    });

    const events = await store.readStream(streamId);

    expect(events).toHaveLength(2);
    for (const [index, event] of events.entries()) {
      expect(event).toMatchObject({
        streamId,
        streamType: 'treatment-plan',
        type: 'ObjectiveAdded',
        schemaVersion: 1,
        streamPosition: index + 1,
        globalPosition: globalPositions[index],
      });
      expect(event.transactionId).toMatch(/^\d+$/);
      expect(event.recordedAt).toBeInstanceOf(Date);
      expect(event.recordedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    }
    expect(events[0].transactionId).toBe(events[1].transactionId);
  });

  it('reads nothing, and no version, for a stream that does not exist', async () => {
    expect(await store.readStream(uniqueStreamId())).toEqual([]);
    expect(await store.streamVersion(uniqueStreamId())).toBeNull();
  });

  it('reads a slice of a stream between two versions', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, 'plan', someEvents(6, 'ObjectiveAdded'), { expectedVersion: 'no_stream' });

    const positions = async (from?: number, to?: number) =>
      (await store.readStream(streamId, { fromVersion: from, toVersion: to })).map((event) => event.streamPosition);

    expect(await positions(undefined, 3)).toEqual([1, 2, 3]);
    expect(await positions(4)).toEqual([4, 5, 6]);
    expect(await positions(2, 4)).toEqual([2, 3, 4]);
    expect(await positions(5, 4)).toEqual([]);
  });

  it('reads the tails of several streams in one call, each from its own version, in the order asked', async () => {
    const [a, b, empty] = [uniqueStreamId(), uniqueStreamId(), uniqueStreamId()];
    await store.append(a, 'plan', someEvents(4, 'ObjectiveAdded'), { expectedVersion: 'no_stream' });
    await store.append(b, 'plan', [anEvent('GoalAdded', { goal: 'sleep through the night' }, { schemaVersion: 1 }), ...someEvents(2, 'ObjectiveAdded')], {
      expectedVersion: 'no_stream',
    });

    const tails = await store.readStreams([{ streamId: b }, { streamId: empty, fromVersion: 1 }, { streamId: a, fromVersion: 3 }]);

    expect([...tails.keys()]).toEqual([b, empty, a]);
    expect(tails.get(a)!.map((event) => [event.streamId, event.streamPosition])).toEqual([
      [a, 3],
      [a, 4],
    ]);
    expect(tails.get(b)!.map((event) => event.streamPosition)).toEqual([1, 2, 3]);
    // The same upcasting as every read path.
    expect(tails.get(b)![0]).toMatchObject({ type: 'GoalAdded', schemaVersion: 3, data: { goal: { text: 'sleep through the night', inClientWords: false } } });
    expect(tails.get(empty)).toEqual([]);
    expect(await store.readStreams([{ streamId: a, fromVersion: 5 }])).toEqual(new Map([[a, []]]));
    expect(await store.readStreams([])).toEqual(new Map());
  });

  it('reads a stream as it was at a time between two appends', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, 'plan', someEvents(2, 'ObjectiveAdded'), { expectedVersion: 'no_stream' });
    // Times are compared to the millisecond: step past the first append's millisecond, and the next one's.
    await pause(3);
    const between = new Date();
    await pause(3);
    await store.append(streamId, 'plan', someEvents(1, 'ObjectiveMet'), { expectedVersion: 2 });

    const then = await store.readStream(streamId, { asOf: between });
    const now = await store.readStream(streamId);

    expect(then.map((event) => event.type)).toEqual(['ObjectiveAdded', 'ObjectiveAdded']);
    expect(now.map((event) => event.type)).toEqual(['ObjectiveAdded', 'ObjectiveAdded', 'ObjectiveMet']);
    expect(then[1].recordedAt.getTime()).toBeLessThanOrEqual(between.getTime());
    expect(now[2].recordedAt.getTime()).toBeGreaterThan(between.getTime());
    // An event's own recordedAt, as a reader got it, includes that event.
    expect(await store.readStream(streamId, { asOf: now[2].recordedAt })).toHaveLength(3);
    expect(await store.readStream(streamId, { asOf: new Date(now[0].recordedAt.getTime() - 1) })).toEqual([]);
  });

  it('never records a later stream position at an earlier time', async () => {
    const streamId = uniqueStreamId();
    let version = 0;
    for (let append = 0; append < 20; append += 1) {
      ({ nextExpectedVersion: version } = await store.append(streamId, 'plan', someEvents(2), { expectedVersion: version }));
    }

    const times = (await store.readStream(streamId)).map((event) => event.recordedAt.getTime());

    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  describe('upcasting', () => {
    const streamId = uniqueStreamId();
    const stored = [
      anEvent<GoalAddedV1>('GoalAdded', { goal: 'sleep through the night' }, { metadata: { source: 'client' } }),
      anEvent<GoalAddedV2>('GoalAdded', { goal: { text: 'return to work' } }, { schemaVersion: 2 }),
      anEvent<GoalAddedV3>('GoalAdded', { goal: { text: 'see friends weekly', inClientWords: true } }, { schemaVersion: 3 }),
      anEvent('GoalMet', { goalIndex: 0 }),
    ];
    const expected = [
      { type: 'GoalAdded', schemaVersion: 3, data: { goal: { text: 'sleep through the night', inClientWords: true } } },
      { type: 'GoalAdded', schemaVersion: 3, data: { goal: { text: 'return to work', inClientWords: false } } },
      { type: 'GoalAdded', schemaVersion: 3, data: { goal: { text: 'see friends weekly', inClientWords: true } } },
      { type: 'GoalMet', schemaVersion: 1, data: { goalIndex: 0 } },
    ];
    const shape = (events: RecordedEvent[]) => events.map(({ type, schemaVersion, data }) => ({ type, schemaVersion, data }));

    beforeAll(async () => {
      await store.append(streamId, 'plan', stored, { expectedVersion: 'no_stream' });
    });

    it('raises v1 and v2 events to v3 through the chain on a stream read', async () => {
      expect(shape(await store.readStream(streamId))).toEqual(expected);
    });

    it('raises them the same way on a global read', async () => {
      let checkpoint: Checkpoint | null = null;
      const all: RecordedEvent[] = [];
      for (;;) {
        const batch = await store.readAll(checkpoint, { batchSize: 100 });
        if (batch.events.length === 0) break;
        all.push(...batch.events);
        checkpoint = batch.checkpoint;
      }
      expect(shape(all.filter((event) => event.streamId === streamId))).toEqual(expected);
    });

    it('leaves the stored rows as they were written', async () => {
      const { rows } = await fixture.db.pool.query(
        'SELECT schema_version, data FROM events WHERE stream_id = $1 ORDER BY stream_position',
        [streamId],
      );
      expect(rows).toEqual(stored.map((event) => ({ schema_version: event.schemaVersion ?? 1, data: event.data })));
    });
  });

  describe('readAll', () => {
    it('pages through every event once, in transaction order, and returns the checkpoint it reached', async () => {
      const appended = [];
      for (let index = 0; index < 7; index += 1) {
        appended.push(
          ...(await store.append(uniqueStreamId(), 'plan', someEvents(3), { expectedVersion: 'no_stream' })).globalPositions,
        );
      }
      const { rows } = await fixture.db.pool.query(
        'SELECT global_position::int AS position FROM events ORDER BY transaction_id, global_position',
      );

      let checkpoint: Checkpoint | null = null;
      const seen: number[] = [];
      for (;;) {
        const batch = await store.readAll(checkpoint, { batchSize: 4 });
        expect(batch.events.length).toBeLessThanOrEqual(4);
        if (batch.events.length === 0) {
          expect(batch.checkpoint).toEqual(checkpoint);
          break;
        }
        const last = batch.events[batch.events.length - 1];
        expect(batch.checkpoint).toEqual({ transactionId: last.transactionId, globalPosition: last.globalPosition });
        seen.push(...batch.events.map((event) => event.globalPosition));
        checkpoint = batch.checkpoint;
      }

      expect(seen).toEqual(rows.map((row) => row.position));
      expect(seen).toEqual(expect.arrayContaining(appended));
    });
  });

  it('runs the store connections with idle_in_transaction_session_timeout from eventStoreDataSourceOptions', async () => {
    const [{ idle_in_transaction_session_timeout: timeout }] = await fixture.dataSource.query(
      'SHOW idle_in_transaction_session_timeout',
    );
    expect(timeout).toBe('30s');
    const [{ current_schema: schema }] = await fixture.dataSource.query('SELECT current_schema()');
    expect(schema).toBe(fixture.db.schema);
  });
});
