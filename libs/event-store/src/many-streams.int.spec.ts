import { randomUUID } from 'node:crypto';
import { genericPlanOf } from '@golden-loop/testing';
import * as sql from './event-store.sql';
import { eventStoreFixture, type EventStoreFixture, seedStreams } from './test-support/event-store.fixture';

// The store's statements over several streams at once (the command runner's groups, the consumers' chunks) join
// their input, a JSON array or arrays of ids, to `streams`. PostgreSQL guesses 100 rows for such an input, so
// with a join alone it read the whole table for each statement (a sequential scan and a hash join) at a few
// thousand streams (docs/loop-performance.md, "Statements that read every stream").
const STREAMS = 20_000;

describe('the store on many streams', () => {
  let fixture: EventStoreFixture;
  let ids: string[];

  beforeAll(async () => {
    fixture = await eventStoreFixture('es_many');
    await seedStreams(fixture.db.pool, STREAMS);
    ids = Array.from({ length: 10 }, (_, i) => `plan-${(i + 1) * 997}`);
  });
  afterAll(async () => fixture.close());

  test('an append to several streams finds them by key, not by reading them all', async () => {
    const appends = ids.map((id) => ({ stream_id: id, stream_type: 'treatment-plan', expected: 2, events: [{ id: randomUUID(), type: 'GoalAdded', version: 1, data: {}, metadata: {} }] }));
    const plan = await genericPlanOf(fixture.db.pool, sql.appendEach.text, [JSON.stringify(appends)]);
    expect(plan).not.toMatch(/Seq Scan on streams/);
    expect(plan).toMatch(/Index Cond: \(stream_id = ANY/);
  });

  test('a read of several streams’ tails finds them by key', async () => {
    const plan = await genericPlanOf(fixture.db.pool, sql.readStreams.text, [ids, ids.map(() => 1)]);
    expect(plan).not.toMatch(/Seq Scan on (streams|events)/);
    expect(plan).toMatch(/Index Cond: \(stream_id = ANY/);
  });

  test('the append and the read still do what they did: the events appended, then read back from each tail', async () => {
    const results = await fixture.dataSource.transaction((manager) =>
      fixture.store.appendEach(ids.map((streamId) => ({ streamId, streamType: 'treatment-plan', events: [{ eventId: randomUUID(), type: 'GoalAdded', data: { goal: 'g' } }], expectedVersion: 2 })), { manager }),
    );
    expect(results.map((result) => result.nextExpectedVersion)).toEqual(ids.map(() => 3));
    const { rows } = await fixture.db.pool.query<{ stream_id: string; stream_position: string; stream_type: string }>(sql.readStreams.text, [ids, ids.map(() => 2)]);
    expect(rows.map((row) => [row.stream_id, Number(row.stream_position), row.stream_type])).toEqual(
      [...ids].sort().flatMap((id) => [[id, 2, 'treatment-plan'], [id, 3, 'treatment-plan']]),
    );
  });
});
