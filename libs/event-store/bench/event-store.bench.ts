/**
 * npm run bench:event-store
 *
 * Appends and catch-up reads through PostgresEventStore, each next to the raw PostgreSQL ceiling: the same rows
 * written with plain pg by one prepared data-modifying statement (the stream row with its version check and the
 * events in one CTE, one round trip) into an identical schema, with the same durability (the server's settings)
 * and the same number of writers.
 * Every case alternates short slices of both sides (raw, store, store, raw, ...) so drift and other processes'
 * load (checkpoints, table growth, a test run next door) fall on both. BENCH_SECONDS sets the time per case and
 * side (default 3).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import {
  type Checkpoint,
  eventStoreDataSourceOptions,
  eventStoreMigrations,
  type NewEvent,
  PostgresEventStore,
} from '../src';

const secondsPerCase = Number(process.env.BENCH_SECONDS ?? 3);
const maxWriters = 8;
const streamsPerWriter = 64;

interface Rate {
  operations: number;
  events: number;
  seconds: number;
}

const perSecond = (rate: Rate, of: 'operations' | 'events') => rate[of] / rate.seconds;
const sum = (rates: Rate[]): Rate =>
  rates.reduce((a, b) => ({ operations: a.operations + b.operations, events: a.events + b.events, seconds: a.seconds + b.seconds }));

/** A DataSource on the store's schema for the transaction case, with TypeORM's start joined to the first statement or not. */
const openTransactionSource = async (url: string, schema: string, joinTransactionStart: boolean): Promise<DataSource> => {
  const source = new DataSource({ ...eventStoreDataSourceOptions({ type: 'postgres', url, schema }, { joinTransactionStart }), poolSize: maxWriters });
  await source.initialize();
  return source;
};

/** `writers` loops running `operation` until the deadline. */
const run = async (writers: number, seconds: number, eventsPer: number, operation: (writer: number) => Promise<void>): Promise<Rate> => {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let operations = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (performance.now() < deadline) {
        await operation(writer);
        operations += 1;
      }
    }),
  );
  return { operations, events: operations * eventsPer, seconds: (performance.now() - started) / 1000 };
};

// A plausible plan event: about 350 bytes of data and metadata.
const eventsOf = (count: number): NewEvent[] =>
  Array.from({ length: count }, () => ({
    eventId: randomUUID(),
    type: 'GoalAdded',
    data: {
      goalId: randomUUID(),
      text: 'Walk to the corner shop and back without a panic attack, three times a week',
      measure: { instrument: 'GAD-7', target: 'below 10', baseline: 15 },
      addedBy: 'clinician-4711',
    },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), userId: 'clinician-4711' },
  }));

interface Writer {
  appendNew(writer: number, events: NewEvent[]): Promise<void>;
  appendExisting(writer: number, events: NewEvent[]): Promise<void>;
}

/** Streams each writer owns, with the version it last wrote: existing-stream appends never conflict. */
class OwnedStreams {
  private readonly streams: { id: string; version: number }[][];
  private readonly next: number[];

  constructor(prefix: string) {
    this.streams = Array.from({ length: maxWriters }, (_, writer) =>
      Array.from({ length: streamsPerWriter }, (_, index) => ({ id: `${prefix}-${writer}-${index}`, version: 0 })),
    );
    this.next = Array(maxWriters).fill(0);
  }

  all() {
    return this.streams.flat();
  }

  take(writer: number) {
    const owned = this.streams[writer];
    const stream = owned[this.next[writer]];
    this.next[writer] = (this.next[writer] + 1) % owned.length;
    return stream;
  }
}

const storeWriter = (store: PostgresEventStore, owned: OwnedStreams): Writer => ({
  appendNew: async (_, events) => {
    await store.append(`plan-${randomUUID()}`, 'plan', events, { expectedVersion: 'no_stream' });
  },
  appendExisting: async (writer, events) => {
    const stream = owned.take(writer);
    stream.version = (await store.append(stream.id, 'plan', events, { expectedVersion: stream.version })).nextExpectedVersion;
  },
});

/**
 * The ceiling the store is measured against: the stream row and the events written by ONE data-modifying statement
 * (a CTE), prepared, in autocommit, with a durable commit: one round trip, as little as PostgreSQL can do for an
 * append with a version check. Plain `pg` on its own pool; the events as VALUES rows (no JSON expansion).
 */
const rawWriter = (pool: Pool, owned: OwnedStreams): Writer => {
  const eventRows = (count: number, first: number) =>
    Array.from({ length: count }, (_, i) => {
      const at = first + i * 5;
      return `($${at}::int, $${at + 1}::uuid, $${at + 2}::text, $${at + 3}::jsonb, $${at + 4}::jsonb)`;
    }).join(', ');
  const insertFrom = (streamRow: string, count: number) => `
    WITH s AS (${streamRow})
    INSERT INTO events (stream_id, stream_position, event_id, event_type, schema_version, data, metadata)
    SELECT $1, s.previous + v.ord, v.id, v.type, 1, v.data, v.metadata
      FROM s, (VALUES ${eventRows(count, 4)}) AS v (ord, id, type, data, metadata)`;
  const statements = new Map<string, string>();
  const statement = (kind: 'new' | 'existing', count: number) => {
    const name = `raw_append_${kind}_${count}`;
    if (!statements.has(name)) {
      statements.set(
        name,
        kind === 'new'
          ? insertFrom(`INSERT INTO streams (stream_id, stream_type, version) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 0 AS previous`, count)
          : insertFrom(
              `UPDATE streams SET version = version + $3, updated_at = now() WHERE stream_id = $1 AND version = $2::bigint RETURNING version - $3 AS previous`,
              count,
            ),
      );
    }
    return { name, text: statements.get(name)! };
  };
  const eventValues = (events: NewEvent[]) =>
    events.flatMap((event, index) => [index + 1, event.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)]);
  const append = async (kind: 'new' | 'existing', streamId: string, second: string | number, events: NewEvent[]) => {
    const { rowCount } = await pool.query({ ...statement(kind, events.length), values: [streamId, second, events.length, ...eventValues(events)] });
    if (rowCount !== events.length) throw new Error(`raw append to ${streamId} wrote ${rowCount} of ${events.length} events`);
  };
  return {
    appendNew: async (_, events) => {
      await append('new', `plan-${randomUUID()}`, 'plan', events);
    },
    appendExisting: async (writer, events) => {
      const stream = owned.take(writer);
      await (stream.version === 0 ? append('new', stream.id, 'plan', events) : append('existing', stream.id, stream.version, events));
      stream.version += events.length;
    },
  };
};

const format = (value: number) => Math.round(value).toLocaleString('en-US');

/** The statements `work` sends, counted at pg's Client#query, which both sides go through. */
const statementsSentBy = async (work: () => Promise<void>): Promise<number> => {
  const query = Client.prototype.query;
  let sent = 0;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    sent += 1;
    return (query as (...values: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await work();
  } finally {
    Client.prototype.query = query;
  }
  return sent;
};

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const postgres = require(join(__dirname, '../../../infra/postgres/postgres.cjs'));
  const { url } = (await postgres.ensurePostgres({ database: 'golden_loop_bench' })) as { url: string };
  const suffix = randomBytes(3).toString('hex');
  const storeSchema = `es_bench_store_${suffix}`;
  const rawSchema = `es_bench_raw_${suffix}`;
  const admin = new Pool({ connectionString: url, max: 1 });
  const sources: DataSource[] = [];
  let rawPool: Pool | undefined;

  const openSource = async (schema: string) => {
    const source = new DataSource({
      ...eventStoreDataSourceOptions({ type: 'postgres', url, schema }),
      migrations: eventStoreMigrations,
      poolSize: maxWriters,
    });
    await source.initialize();
    sources.push(source);
    await source.runMigrations();
    return source;
  };

  try {
    for (const schema of [storeSchema, rawSchema]) await admin.query(`CREATE SCHEMA "${schema}"`);
    const storeSource = await openSource(storeSchema);
    const store = new PostgresEventStore(storeSource);
    await (await openSource(rawSchema)).destroy(); // the identical schema for the baseline
    rawPool = new Pool({ connectionString: url, max: maxWriters, options: `-c search_path="${rawSchema}"` });

    const { version } = (await admin.query(`SELECT current_setting('server_version') AS version`)).rows[0];

    const storeOwned = new OwnedStreams('store');
    const rawOwned = new OwnedStreams('raw');
    const writers = { store: storeWriter(store, storeOwned), raw: rawWriter(rawPool, rawOwned) };
    // The existing streams, and a warm-up that prepares statements and fills both pools.
    for (const [side, owned] of [[writers.store, storeOwned], [writers.raw, rawOwned]] as const) {
      const streams = owned.all();
      for (let writer = 0; writer < maxWriters; writer += 1) {
        for (let index = 0; index < streamsPerWriter; index += 1) await side.appendExisting(writer, eventsOf(1));
      }
      if (streams.some((stream) => stream.version !== 1)) throw new Error('warm-up did not create every stream once');
      await run(maxWriters, 0.5, 1, (writer) => side.appendNew(writer, eventsOf(1)));
    }
    // What makes the ratio mean what it says: one statement per append on both sides (so one round trip, no
    // BEGIN/COMMIT), the same commit durability on both pools' sessions, pools of the same size.
    for (const [name, side] of Object.entries(writers)) {
      for (const eventsPer of [1, 10]) {
        const sent = await statementsSentBy(async () => {
          await side.appendNew(0, eventsOf(eventsPer));
          await side.appendExisting(0, eventsOf(eventsPer));
        });
        if (sent !== 2) throw new Error(`${name} sent ${sent} statements for 2 appends of ${eventsPer} event(s)`);
      }
    }
    const durability = `SELECT current_setting('synchronous_commit') AS sync, current_setting('fsync') AS fsync`;
    const [storeSession, rawSession] = [(await storeSource.query(durability))[0], (await rawPool.query(durability)).rows[0]];
    if (JSON.stringify(storeSession) !== JSON.stringify(rawSession)) {
      throw new Error(`the two sides commit differently: store ${JSON.stringify(storeSession)}, raw ${JSON.stringify(rawSession)}`);
    }

    // Short alternating slices (raw, store, store, raw, ...): load from other processes on this shared machine
    // then falls on both sides alike.
    const slices = Math.max(2, Math.round(secondsPerCase / 0.5));
    const sliceSeconds = secondsPerCase / slices;
    const cases = (['new', 'existing'] as const).flatMap((streams) =>
      [1, 10].flatMap((eventsPer) => [1, 8].map((writerCount) => ({ streams, eventsPer, writerCount }))),
    );
    const rows: string[][] = [];
    for (const { streams, eventsPer, writerCount } of cases) {
      const operation = (side: Writer) => (writer: number) =>
        streams === 'new' ? side.appendNew(writer, eventsOf(eventsPer)) : side.appendExisting(writer, eventsOf(eventsPer));
      const raw: Rate[] = [];
      const stored: Rate[] = [];
      for (let slice = 0; slice < slices; slice += 1) {
        const order = slice % 2 === 0 ? (['raw', 'store'] as const) : (['store', 'raw'] as const);
        for (const side of order) {
          (side === 'raw' ? raw : stored).push(await run(writerCount, sliceSeconds, eventsPer, operation(writers[side])));
        }
      }
      const [s, r] = [sum(stored), sum(raw)];
      rows.push([
        streams === 'new' ? 'append, new stream (no_stream)' : 'append, existing stream (expected version)',
        String(writerCount),
        String(eventsPer),
        format(perSecond(s, 'operations')),
        format(perSecond(s, 'events')),
        format(perSecond(r, 'operations')),
        format(perSecond(r, 'events')),
        `${Math.round((100 * perSecond(s, 'events')) / perSecond(r, 'events'))}%`,
      ]);
      process.stderr.write('.');
    }

    // Catch-up: the whole log from the start in 1,000-event batches, both sides over the same number of events.
    for (const schema of [storeSchema, rawSchema]) await admin.query(`VACUUM ANALYZE "${schema}".events`);
    const count = async (schema: string) =>
      Number((await admin.query(`SELECT count(*) AS n FROM "${schema}".events`)).rows[0].n);
    const readLimit = Math.min(await count(storeSchema), await count(rawSchema));
    const timeRead = async (readBatch: (after: Checkpoint | null) => Promise<{ length: number; checkpoint: Checkpoint | null }>) => {
      const started = performance.now();
      let read = 0;
      let checkpoint: Checkpoint | null = null;
      while (read < readLimit) {
        const batch = await readBatch(checkpoint);
        if (batch.length === 0) break;
        read += batch.length;
        checkpoint = batch.checkpoint;
      }
      return read / ((performance.now() - started) / 1000);
    };
    const storeRead = () =>
      timeRead(async (after) => {
        const { events, checkpoint } = await store.readAll(after, { batchSize: 1000 });
        return { length: events.length, checkpoint };
      });
    const rawRead = () =>
      timeRead(async (after) => {
        const { rows } = await rawPool!.query(
          `SELECT e.global_position, e.transaction_id::text AS transaction_id, e.stream_id, e.stream_position, e.event_id,
                  e.event_type, e.schema_version, e.data, e.metadata, e.recorded_at
             FROM events e WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
            ORDER BY e.transaction_id, e.global_position LIMIT 1000`,
          [after?.transactionId ?? '0', after?.globalPosition ?? 0],
        );
        const last = rows[rows.length - 1];
        return { length: rows.length, checkpoint: last ? { transactionId: last.transaction_id, globalPosition: Number(last.global_position) } : after };
      });
    const rawReads = [await rawRead()];
    const storeReads = [await storeRead(), await storeRead()];
    rawReads.push(await rawRead());
    const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    rows.push([
      `catch-up readAll, 1,000-event batches (${format(readLimit)} events)`,
      '1',
      '—',
      '—',
      format(average(storeReads)),
      '—',
      format(average(rawReads)),
      `${Math.round((100 * average(storeReads)) / average(rawReads))}%`,
    ]);

    // A transaction of two statements (a key lock and an insert) through TypeORM, 8 writers: TypeORM's START
    // TRANSACTION sent with the first statement (PreparingClient's default) or on its own round trip.
    const transactionSides = {
      joined: await openTransactionSource(url, storeSchema, true),
      alone: await openTransactionSource(url, storeSchema, false),
    };
    sources.push(...Object.values(transactionSides));
    await admin.query(`CREATE TABLE "${storeSchema}".transaction_bench (id bigserial PRIMARY KEY, k text NOT NULL)`);
    const transaction = (source: DataSource) => (writer: number) =>
      source.transaction(async (manager) => {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bench/${writer}`]);
        await manager.query(`INSERT INTO transaction_bench (k) VALUES ($1)`, [`bench/${writer}`]);
      });
    const transactionRates: Record<keyof typeof transactionSides, { rate: Rate; cpuUs: number }[]> = { joined: [], alone: [] };
    for (const source of Object.values(transactionSides)) await run(maxWriters, 0.5, 1, transaction(source)); // warm-up
    for (let slice = 0; slice < slices; slice += 1) {
      const order = slice % 2 === 0 ? (['alone', 'joined'] as const) : (['joined', 'alone'] as const);
      for (const side of order) {
        const cpu = process.cpuUsage();
        const rate = await run(maxWriters, sliceSeconds, 1, transaction(transactionSides[side]));
        const used = process.cpuUsage(cpu);
        transactionRates[side].push({ rate, cpuUs: used.user + used.system });
      }
    }
    const transactionLine = (side: keyof typeof transactionSides) => {
      const rate = sum(transactionRates[side].map((r) => r.rate));
      const cpuUs = transactionRates[side].reduce((total, r) => total + r.cpuUs, 0);
      return { perSecond: perSecond(rate, 'operations'), cpuUsPer: cpuUs / rate.operations };
    };
    const [joined, alone] = [transactionLine('joined'), transactionLine('alone')];

    const header = ['case', 'writers', 'events/append', 'store appends/s', 'store events/s', 'raw appends/s', 'raw events/s', 'store/raw'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) =>
      `| ${cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
    process.stderr.write('\n');
    console.log(
      `PostgreSQL ${version}, synchronous_commit=${storeSession.sync}, fsync=${storeSession.fsync} (the same on both sides' sessions); ${cpus().length} CPUs shared by client and server; ${secondsPerCase} s per case and side`,
    );
    console.log(line(header));
    console.log(`|${widths.map((width, column) => (column < 3 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`);
    for (const row of rows) console.log(line(row));
    console.log(
      `raw = plain pg, one prepared statement: the stream row (insert, or update with the version check) and the events in one CTE, autocommit, into an identical schema; pools of ${maxWriters} on both sides; one statement per append on both sides (counted).`,
    );
    console.log('raw read = the same keyset query on (transaction_id, global_position) without the watermark, the stream join or mapping.');
    console.log(
      `\nTypeORM transactions of a key lock and an insert, ${maxWriters} writers, alternated: START TRANSACTION with the first statement ` +
        `${format(joined.perSecond)}/s (${joined.cpuUsPer.toFixed(0)} µs of this process's CPU each), on its own round trip ` +
        `${format(alone.perSecond)}/s (${alone.cpuUsPer.toFixed(0)} µs); joined/alone ${Math.round((100 * joined.perSecond) / alone.perSecond)}% ` +
        `(docs/loop-performance.md, section 14).`,
    );
  } finally {
    await Promise.all(sources.filter((source) => source.isInitialized).map((source) => source.destroy()));
    await rawPool?.end();
    for (const schema of [storeSchema, rawSchema]) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
