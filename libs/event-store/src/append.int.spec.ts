import { randomUUID } from 'node:crypto';
import { Client, DatabaseError, type QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { ConcurrencyError, DuplicateEventError, InvalidAppendError } from './errors';
import type { AppendResult, NewEvent } from './event-store.types';
import { PostgresEventStore } from './postgres-event-store';
import {
  anEvent,
  eventually,
  eventStoreFixture,
  type EventStoreFixture,
  someEvents,
  uniqueStreamId,
} from './test-support/event-store.fixture';

describe('PostgresEventStore.append', () => {
  let fixture: EventStoreFixture;
  let store: PostgresEventStore;

  beforeAll(async () => {
    fixture = await eventStoreFixture('es_append');
    store = fixture.store;
  });
  afterAll(async () => fixture.close());

  const positionsOf = async (streamId: string) =>
    (await store.readStream(streamId)).map((event) => event.streamPosition);

  it('creates a stream with its first events and returns the next expected version and global positions', async () => {
    const streamId = uniqueStreamId();
    const events = someEvents(3);

    const result = await store.append(streamId, 'plan', events, { expectedVersion: 'no_stream' });

    expect(result.nextExpectedVersion).toBe(3);
    expect(result.globalPositions).toHaveLength(3);
    expect([...result.globalPositions].sort((a, b) => a - b)).toEqual(result.globalPositions);
    const stored = await store.readStream(streamId);
    expect(stored.map(({ eventId, type, data, metadata, streamPosition, streamType }) => ({
      eventId, type, data, metadata, streamPosition, streamType,
    }))).toEqual(events.map((event, index) => ({
      eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata,
      streamPosition: index + 1, streamType: 'plan',
    })));
    expect(stored.map((event) => event.globalPosition)).toEqual(result.globalPositions);
    expect(await store.streamVersion(streamId)).toBe(3);
  });

  it('stores any JSON value as data, and empty metadata when none is given', async () => {
    const streamId = uniqueStreamId();
    const values = [null, 'a note in the client\'s words: "I can breathe again"', 16, [1, 2], { nested: { deep: [true] } }];

    await store.append(
      streamId,
      'plan',
      values.map((data) => ({ eventId: randomUUID(), type: 'NoteAdded', data })),
      { expectedVersion: 'no_stream' },
    );

    const stored = await store.readStream(streamId);
    expect(stored.map((event) => event.data)).toEqual(values);
    expect(stored.map((event) => event.metadata)).toEqual(values.map(() => ({})));
    expect(stored.map((event) => event.schemaVersion)).toEqual(values.map(() => 1));
  });

  it('continues a stream from its expected version', async () => {
    const streamId = uniqueStreamId();
    const first = await store.append(streamId, 'plan', someEvents(2), { expectedVersion: 'no_stream' });

    const second = await store.append(streamId, 'plan', someEvents(3), { expectedVersion: first.nextExpectedVersion });

    expect(second.nextExpectedVersion).toBe(5);
    expect(await positionsOf(streamId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('treats expected version 0 as "the stream does not exist yet"', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, 'plan', [anEvent()], { expectedVersion: 0 });

    await expect(store.append(streamId, 'plan', [anEvent()], { expectedVersion: 0 })).rejects.toMatchObject({
      constructor: ConcurrencyError, streamId, expectedVersion: 0, actualVersion: 1,
    });
  });

  it("appends at 'any' version, creating the stream when it is missing", async () => {
    const streamId = uniqueStreamId();
    expect((await store.append(streamId, 'plan', someEvents(2), { expectedVersion: 'any' })).nextExpectedVersion).toBe(2);
    expect((await store.append(streamId, 'plan', someEvents(1), { expectedVersion: 'any' })).nextExpectedVersion).toBe(3);
    expect(await positionsOf(streamId)).toEqual([1, 2, 3]);
  });

  it('rejects no_stream when the stream exists, reports its version and writes nothing', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, 'plan', someEvents(2), { expectedVersion: 'no_stream' });

    const error = await store.append(streamId, 'plan', someEvents(1), { expectedVersion: 'no_stream' }).catch((e) => e);

    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: 'stream_version_conflict', streamId, expectedVersion: 'no_stream', actualVersion: 2 });
    expect(await positionsOf(streamId)).toEqual([1, 2]);
  });

  it('rejects a stale expected version, reports the actual version and writes nothing', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, 'plan', someEvents(1), { expectedVersion: 'no_stream' });
    await store.append(streamId, 'plan', someEvents(1), { expectedVersion: 1 });
    const stale = anEvent();

    const error = await store.append(streamId, 'plan', [stale], { expectedVersion: 1 }).catch((e) => e);

    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ streamId, expectedVersion: 1, actualVersion: 2 });
    expect(error.message).toBe(`Stream "${streamId}" was expected at version 1 but is at version 2`);
    expect(await positionsOf(streamId)).toEqual([1, 2]);
    const { rows } = await fixture.db.pool.query('SELECT count(*)::int AS n FROM events WHERE event_id = $1', [stale.eventId]);
    expect(rows[0].n).toBe(0);
  });

  it('rejects an expected version on a stream that does not exist, with actual version null', async () => {
    const streamId = uniqueStreamId();

    await expect(store.append(streamId, 'plan', [anEvent()], { expectedVersion: 4 })).rejects.toMatchObject({
      constructor: ConcurrencyError, streamId, expectedVersion: 4, actualVersion: null,
    });
    expect(await store.streamVersion(streamId)).toBeNull();
  });

  it('rejects an event id that is already stored and leaves both streams unchanged', async () => {
    const first = uniqueStreamId();
    const second = uniqueStreamId();
    const event = anEvent();
    await store.append(first, 'plan', [event], { expectedVersion: 'no_stream' });

    const error = await store.append(second, 'plan', [anEvent(), event], { expectedVersion: 'no_stream' }).catch((e) => e);

    expect(error).toBeInstanceOf(DuplicateEventError);
    expect(error).toMatchObject({ code: 'duplicate_event', streamId: second, eventId: event.eventId });
    expect(await store.streamVersion(second)).toBeNull();
    expect(await positionsOf(first)).toEqual([1]);
  });

  it('checks the expected version of an empty append without writing', async () => {
    const streamId = uniqueStreamId();
    expect(await store.append(streamId, 'plan', [], { expectedVersion: 'no_stream' })).toEqual({
      nextExpectedVersion: 0, globalPositions: [],
    });
    expect(await store.streamVersion(streamId)).toBeNull();
    await store.append(streamId, 'plan', someEvents(2), { expectedVersion: 'no_stream' });
    expect((await store.append(streamId, 'plan', [], { expectedVersion: 2 })).nextExpectedVersion).toBe(2);
    await expect(store.append(streamId, 'plan', [], { expectedVersion: 1 })).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it.each<[string, string, string, NewEvent[], number | 'no_stream' | 'any']>([
    ['an empty stream id', '', 'plan', [anEvent()], 'no_stream'],
    ['an empty stream type', uniqueStreamId(), '', [anEvent()], 'no_stream'],
    ['an event id that is not a UUID', uniqueStreamId(), 'plan', [anEvent('GoalAdded', {}, { eventId: 'goal-1' })], 'no_stream'],
    ['an event without a type', uniqueStreamId(), 'plan', [anEvent('')], 'no_stream'],
    ['a schema version of 0', uniqueStreamId(), 'plan', [anEvent('GoalAdded', {}, { schemaVersion: 0 })], 'no_stream'],
    ['a negative expected version', uniqueStreamId(), 'plan', [anEvent()], -1],
    ['a fractional expected version', uniqueStreamId(), 'plan', [anEvent()], 1.5],
  ])('refuses %s before touching the database', async (_, streamId, streamType, events, expectedVersion) => {
    await expect(store.append(streamId, streamType, events, { expectedVersion })).rejects.toBeInstanceOf(InvalidAppendError);
  });

  // An append of one event has statements of its own (its fields as parameters, no JSON array): the same rows,
  // checks and errors as an append of several.
  describe('one event and several events', () => {
    type Mode = 'no_stream' | 'version' | 'any';
    const modes: Mode[] = ['no_stream', 'version', 'any'];

    /** The stream with one event already in it when the mode continues a stream, and the expected version to pass. */
    const streamFor = async (mode: Mode): Promise<[string, number | 'no_stream' | 'any']> => {
      const streamId = uniqueStreamId();
      if (mode === 'no_stream') return [streamId, 'no_stream'];
      await store.append(streamId, 'plan', [anEvent('PlanStarted')], { expectedVersion: 'no_stream' });
      return [streamId, mode === 'version' ? 1 : 'any'];
    };
    const asStored = async (streamId: string) =>
      (await store.readStream(streamId)).map(({ eventId, type, schemaVersion, data, metadata, streamType, streamPosition }) => ({
        eventId, type, schemaVersion, data, metadata, streamType, streamPosition,
      }));
    // Values whose JSON form differs from the JS value, or that a JSON array would carry as null.
    const awkward: Array<Omit<NewEvent, 'eventId'>> = [
      { type: 'NoteAdded', data: null },
      { type: 'NoteAdded', data: undefined },
      { type: 'NoteAdded', data: 'she said "no" \\ then \u00e9t\u00e9 \u{1F600}', metadata: { source: 'client' } },
      { type: 'NoteAdded', data: 0, schemaVersion: 3 },
      { type: 'NoteAdded', data: [1, 'two', null, { three: [] }], metadata: {} },
      { type: 'NoteAdded', data: { at: new Date('2026-01-02T03:04:05.678Z'), gone: undefined, nested: { deep: [true] } } },
      { type: 'NoteAdded', data: { toJSON: () => undefined }, metadata: undefined },
    ];

    it.each(modes)('stores the same rows for one event per append as for several in one (%s)', async (mode) => {
      const [single, singleVersion] = await streamFor(mode);
      const [batch, batchVersion] = await streamFor(mode);
      const singles = awkward.map((event) => ({ ...event, eventId: randomUUID() }));
      const batched = awkward.map((event) => ({ ...event, eventId: randomUUID() }));

      let version = singleVersion;
      for (const event of singles) {
        const result = await store.append(single, 'plan', [event], { expectedVersion: version });
        expect(result.globalPositions).toHaveLength(1);
        version = mode === 'any' ? 'any' : result.nextExpectedVersion;
      }
      await store.append(batch, 'plan', batched, { expectedVersion: batchVersion });

      const [one, several] = [(await asStored(single)).slice(-awkward.length), (await asStored(batch)).slice(-awkward.length)];
      expect(one.map(({ eventId }) => eventId)).toEqual(singles.map(({ eventId }) => eventId));
      expect(several.map(({ eventId }) => eventId)).toEqual(batched.map(({ eventId }) => eventId));
      const first = mode === 'no_stream' ? 1 : 2;
      const expected = [
        { data: null, metadata: {}, schemaVersion: 1 },
        { data: null, metadata: {}, schemaVersion: 1 },
        { data: 'she said "no" \\ then \u00e9t\u00e9 \u{1F600}', metadata: { source: 'client' }, schemaVersion: 1 },
        { data: 0, metadata: {}, schemaVersion: 3 },
        { data: [1, 'two', null, { three: [] }], metadata: {}, schemaVersion: 1 },
        { data: { at: '2026-01-02T03:04:05.678Z', nested: { deep: [true] } }, metadata: {}, schemaVersion: 1 },
        { data: null, metadata: {}, schemaVersion: 1 },
      ].map((fields, index) => ({ ...fields, type: 'NoteAdded', streamType: 'plan', streamPosition: first + index }));
      for (const rows of [one, several]) expect(rows.map(({ eventId: _, ...fields }) => fields)).toEqual(expected);
    });

    it.each<[Mode, number]>([
      ['no_stream', 1], ['version', 1], ['any', 1],
      ['no_stream', 2], ['version', 2], ['any', 2],
    ])('sends one statement and nothing else for an append without a manager (%s, %i event(s))', async (mode, count) => {
      const [streamId, expectedVersion] = await streamFor(mode);
      const sent = jest.spyOn(Client.prototype, 'query');
      let names: unknown[];
      try {
        const result = await store.append(streamId, 'plan', someEvents(count), { expectedVersion });
        expect(result.nextExpectedVersion).toBe(mode === 'no_stream' ? count : 1 + count);
        expect(result.globalPositions).toHaveLength(count);
      } finally {
        names = sent.mock.calls.map(([config]) => (typeof config === 'string' ? config : (config as QueryConfig).name));
        sent.mockRestore();
      }
      // No BEGIN/COMMIT, no SET, no version read: the statement's own implicit transaction.
      expect(names).toEqual([
        `golden_loop_event_store_append_${count === 1 ? 'one_' : ''}${{ no_stream: 'to_new_stream', version: 'at_version', any: 'at_any_version' }[mode]}`,
      ]);
    });

    it.each<[Mode, number]>([
      ['version', 1], ['any', 1], ['version', 3], ['any', 3],
    ])('records no event before the stream\'s last append, when the clock is behind it (%s, %i event(s))', async (mode, count) => {
      const [streamId, expectedVersion] = await streamFor(mode);
      const ahead = new Date(Date.now() + 3_600_000);
      await fixture.db.pool.query('UPDATE streams SET updated_at = $2 WHERE stream_id = $1', [streamId, ahead]);

      await store.append(streamId, 'plan', someEvents(count), { expectedVersion });

      const appended = (await store.readStream(streamId)).slice(1);
      expect(appended.map((event) => event.recordedAt.getTime())).toEqual(Array(count).fill(ahead.getTime()));
    });

    it.each(modes)('rejects one event whose id is already stored and writes nothing (%s)', async (mode) => {
      const stored = anEvent();
      await store.append(uniqueStreamId(), 'plan', [stored], { expectedVersion: 'no_stream' });
      const [streamId, expectedVersion] = await streamFor(mode);
      const before = await store.streamVersion(streamId);

      const error = await store.append(streamId, 'plan', [{ ...anEvent(), eventId: stored.eventId }], { expectedVersion }).catch((e) => e);

      expect(error).toBeInstanceOf(DuplicateEventError);
      expect(error).toMatchObject({ streamId, eventId: stored.eventId });
      expect(await store.streamVersion(streamId)).toBe(before);
    });

    it.each([1, 2])('passes on a database error it does not translate as pg raised it, with the store in its stack (%i event(s))', async (count) => {
      const streamId = uniqueStreamId();
      const events = someEvents(count).map((event) => ({ ...event, schemaVersion: 2 ** 40 }));

      const error = await store.append(streamId, 'plan', events, { expectedVersion: 'no_stream' }).catch((e) => e);

      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ code: '22003' });
      expect(error.stack).toContain('PostgresEventStore');
      expect(await store.streamVersion(streamId)).toBeNull();
    });

    it("creates a stream with one event at 'any' version", async () => {
      const streamId = uniqueStreamId();
      const result = await store.append(streamId, 'readiness', [anEvent()], { expectedVersion: 'any' });
      expect(result.nextExpectedVersion).toBe(1);
      expect((await store.readStream(streamId)).map((e) => [e.streamPosition, e.streamType, e.globalPosition])).toEqual([
        [1, 'readiness', result.globalPositions[0]],
      ]);
    });
  });

  describe('inside the caller transaction', () => {
    beforeAll(async () => {
      await fixture.db.pool.query('CREATE TABLE outbox (id uuid PRIMARY KEY, stream_id text NOT NULL)');
    });

    const outboxRows = async (streamId: string) =>
      (await fixture.db.pool.query('SELECT id FROM outbox WHERE stream_id = $1', [streamId])).rows.map((row) => row.id);

    it('commits the events together with the caller rows', async () => {
      const streamId = uniqueStreamId();
      const event = anEvent();

      await fixture.dataSource.transaction(async (manager) => {
        await store.append(streamId, 'plan', [event], { expectedVersion: 'no_stream', manager });
        await manager.query('INSERT INTO outbox (id, stream_id) VALUES ($1, $2)', [event.eventId, streamId]);
      });

      expect(await positionsOf(streamId)).toEqual([1]);
      expect(await outboxRows(streamId)).toEqual([event.eventId]);
    });

    it('writes nothing when the caller transaction rolls back after the append', async () => {
      const streamId = uniqueStreamId();
      const event = anEvent();
      const failure = new Error('outbox write failed');

      await expect(
        fixture.dataSource.transaction(async (manager) => {
          await store.append(streamId, 'plan', [event], { expectedVersion: 'no_stream', manager });
          await manager.query('INSERT INTO outbox (id, stream_id) VALUES ($1, $2)', [event.eventId, streamId]);
          throw failure;
        }),
      ).rejects.toBe(failure);

      expect(await store.streamVersion(streamId)).toBeNull();
      expect(await outboxRows(streamId)).toEqual([]);
    });

    it('reports a conflict without aborting the caller transaction', async () => {
      const streamId = uniqueStreamId();
      await store.append(streamId, 'plan', [anEvent()], { expectedVersion: 'no_stream' });

      const outcome = await fixture.dataSource.transaction(async (manager) => {
        const conflict = await store
          .append(streamId, 'plan', [anEvent()], { expectedVersion: 'no_stream', manager })
          .catch((error) => error);
        return { conflict, retried: await store.append(streamId, 'plan', [anEvent()], { expectedVersion: 1, manager }) };
      });

      expect(outcome.conflict).toMatchObject({ constructor: ConcurrencyError, actualVersion: 1 });
      expect(outcome.retried.nextExpectedVersion).toBe(2);
      expect(await positionsOf(streamId)).toEqual([1, 2]);
    });
  });

  describe('several streams in one statement (appendEach)', () => {
    it('creates and continues streams in one round trip of the caller transaction, with results and global positions in the order given', async () => {
      const [existing, fresh] = [uniqueStreamId(), uniqueStreamId()];
      await store.append(existing, 'plan', someEvents(2), { expectedVersion: 'no_stream' });
      const [a, b] = [someEvents(3, 'ObjectiveAdded'), someEvents(1, 'GoalMet')];

      const results = await fixture.dataSource.transaction((manager) =>
        store.appendEach(
          [
            { streamId: fresh, streamType: 'readiness', events: a, expectedVersion: 'no_stream' },
            { streamId: existing, streamType: 'plan', events: b, expectedVersion: 2 },
          ],
          { manager },
        ),
      );

      expect(results.map((r) => r.nextExpectedVersion)).toEqual([3, 3]);
      const all = [...results[0].globalPositions, ...results[1].globalPositions];
      expect([...all].sort((x, y) => x - y)).toEqual(all);
      const stored = await store.readStream(fresh);
      expect(stored.map((e) => [e.eventId, e.type, e.streamPosition, e.streamType, e.globalPosition])).toEqual(
        a.map((event, i) => [event.eventId, 'ObjectiveAdded', i + 1, 'readiness', results[0].globalPositions[i]]),
      );
      expect((await store.readStream(existing)).map((e) => [e.streamPosition, e.type, e.metadata])).toEqual([
        [1, 'GoalAdded', expect.any(Object)],
        [2, 'GoalAdded', expect.any(Object)],
        [3, 'GoalMet', b[0].metadata],
      ]);
      const [first, later] = await store.readStreams([{ streamId: existing, fromVersion: 2 }]).then((tails) => tails.get(existing)!);
      expect(later.recordedAt.getTime()).toBeGreaterThanOrEqual(first.recordedAt.getTime());
    });

    it('a stream at another version fails the call with ConcurrencyError naming it; rolled back, nothing is written', async () => {
      const [ok, stale] = [uniqueStreamId(), uniqueStreamId()];
      await store.append(stale, 'plan', someEvents(2), { expectedVersion: 'no_stream' });

      const failure = await fixture.dataSource
        .transaction((manager) =>
          store.appendEach(
            [
              { streamId: ok, streamType: 'plan', events: someEvents(1), expectedVersion: 'no_stream' },
              { streamId: stale, streamType: 'plan', events: someEvents(1), expectedVersion: 1 },
            ],
            { manager },
          ),
        )
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(ConcurrencyError);
      expect(failure).toMatchObject({ streamId: stale, expectedVersion: 1, actualVersion: 2 });
      expect(await store.streamVersion(ok)).toBeNull();
      expect(await positionsOf(stale)).toEqual([1, 2]);
    });

    it('an event id already stored fails with DuplicateEventError naming the stream that carried it', async () => {
      const [one, two] = [uniqueStreamId(), uniqueStreamId()];
      const event = anEvent();
      await store.append(one, 'plan', [event], { expectedVersion: 'no_stream' });
      const failure = await fixture.dataSource
        .transaction((manager) =>
          store.appendEach(
            [
              { streamId: one, streamType: 'plan', events: someEvents(1), expectedVersion: 1 },
              { streamId: two, streamType: 'plan', events: [anEvent(), { ...event }], expectedVersion: 'no_stream' },
            ],
            { manager },
          ),
        )
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DuplicateEventError);
      expect(failure).toMatchObject({ streamId: two, eventId: event.eventId });
      expect(await positionsOf(one)).toEqual([1]);
    });

    it('refuses a stream given twice or with no events, before touching the database', async () => {
      const streamId = uniqueStreamId();
      await fixture.dataSource.transaction(async (manager) => {
        await expect(
          store.appendEach(
            [
              { streamId, streamType: 'plan', events: someEvents(1), expectedVersion: 'no_stream' },
              { streamId, streamType: 'plan', events: someEvents(1), expectedVersion: 1 },
            ],
            { manager },
          ),
        ).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendEach([{ streamId, streamType: 'plan', events: [], expectedVersion: 'no_stream' }], { manager })).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await store.appendEach([], { manager })).toEqual([]);
      });
      expect(await store.streamVersion(streamId)).toBeNull();
    });
  });

  describe('50 writers racing on one stream', () => {
    const writers = 50;
    let raceSource: DataSource;
    let raceStore: PostgresEventStore;
    const applicationName = `es-race-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      // One connection per writer, opened up front, so that all 50 statements are in PostgreSQL at once.
      raceSource = await fixture.openDataSource({ poolSize: writers, applicationName });
      raceStore = new PostgresEventStore(raceSource);
      await Promise.all(Array.from({ length: writers }, () => raceSource.query('SELECT 1')));
    });
    afterAll(async () => raceSource.destroy());

    const settle = (appends: Promise<AppendResult>[]) => Promise.allSettled(appends);
    const blockedWriters = async () =>
      (
        await fixture.db.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [applicationName],
        )
      ).rows[0].n as number;

    it.each([1, 2])('at the same expected version, %i event(s) each: exactly one succeeds, 49 get a ConcurrencyError, the versions have no gap', async (count) => {
      const streamId = uniqueStreamId();
      await store.append(streamId, 'plan', [anEvent()], { expectedVersion: 'no_stream' });
      // Hold the stream row until every writer is queued behind it, then let them all go at once.
      const gate = fixture.dataSource.createQueryRunner();
      await gate.connect();
      await gate.startTransaction();
      await gate.query('SELECT version FROM streams WHERE stream_id = $1 FOR UPDATE', [streamId]);

      const outcomes = settle(
        Array.from({ length: writers }, () => raceStore.append(streamId, 'plan', someEvents(count), { expectedVersion: 1 })),
      );
      await eventually(async () => (await blockedWriters()) === writers);
      await gate.commitTransaction();
      await gate.release();
      const results = await outcomes;

      const succeeded = results.filter((result) => result.status === 'fulfilled');
      const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(succeeded).toHaveLength(1);
      expect(succeeded[0]).toMatchObject({ value: { nextExpectedVersion: 1 + count } });
      expect(failed).toHaveLength(writers - 1);
      for (const { reason } of failed) {
        expect(reason).toBeInstanceOf(ConcurrencyError);
        expect(reason).toMatchObject({ streamId, expectedVersion: 1, actualVersion: 1 + count });
      }
      expect(await positionsOf(streamId)).toEqual(Array.from({ length: 1 + count }, (_, index) => index + 1));
      expect(await store.streamVersion(streamId)).toBe(1 + count);
    });

    it.each([1, 3])('creating the same stream, %i event(s) each: exactly one succeeds and the others get a ConcurrencyError', async (count) => {
      const streamId = uniqueStreamId();

      const results = await settle(
        Array.from({ length: writers }, () => raceStore.append(streamId, 'plan', someEvents(count), { expectedVersion: 'no_stream' })),
      );

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(failed).toHaveLength(writers - 1);
      for (const { reason } of failed) {
        expect(reason).toMatchObject({ constructor: ConcurrencyError, expectedVersion: 'no_stream', actualVersion: count });
      }
      expect(await positionsOf(streamId)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    });

    it.each([1, 2])("at 'any' version, %i event(s) each: all succeed, one after another, with no gap in the versions", async (count) => {
      const streamId = uniqueStreamId();

      const results = await Promise.all(
        Array.from({ length: writers }, () => raceStore.append(streamId, 'plan', someEvents(count), { expectedVersion: 'any' })),
      );

      expect(results.map((result) => result.nextExpectedVersion).sort((a, b) => a - b)).toEqual(
        Array.from({ length: writers }, (_, index) => count * (index + 1)),
      );
      expect(await positionsOf(streamId)).toEqual(Array.from({ length: count * writers }, (_, index) => index + 1));
    });
  });
});
