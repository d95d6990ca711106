/**
 * npm run bench:streams
 *
 * The store's statements over several streams at once (appendEach: a command group's append; readStreams: its
 * tails) as the number of streams in the table grows, each next to the same statement with the join alone (without
 * the `= ANY` on the stream ids, as before): with it, PostgreSQL read every stream and hashed them for each
 * statement (docs/loop-performance.md, "Statements that read every stream"). Per table size, a schema of its own
 * with that many streams of two events, analysed; then both sides alternate, each statement run on generic plans
 * (as the services' connections run them) in a transaction rolled back, so the table stays as it was. Prints µs per
 * statement, client round trip included. BENCH_STREAMS (default 2000,10000,50000), BENCH_RUNS (default 400 per side
 * and statement), BENCH_GROUP (streams per statement, default 10).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventStoreDataSourceOptions, eventStoreMigrations } from '../src';
import * as sql from '../src/event-store.sql';
import { seedStreams } from '../src/test-support/event-store.fixture';

const sizes = (process.env.BENCH_STREAMS ?? '2000,10000,50000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 400);
const group = Number(process.env.BENCH_GROUP ?? 10);

const withoutKeys = (text: string, predicate: string): string => {
  if (!text.includes(predicate)) throw new Error(`the statement no longer holds ${predicate}`);
  return text.replace(predicate, '');
};
const statements = {
  appendEach: { now: sql.appendEach.text, joinAlone: withoutKeys(sql.appendEach.text, ' AND s.stream_id = ANY (ARRAY(SELECT stream_id FROM input))') },
  readStreams: { now: sql.readStreams.text, joinAlone: withoutKeys(sql.readStreams.text, ' WHERE s.stream_id = ANY ($1::text[])') },
};

const main = async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, shared with the infra scripts
  const { ensurePostgres } = require(join(__dirname, '../../../infra/postgres/postgres.cjs')) as { ensurePostgres(options: { database: string }): Promise<{ url: string }> };
  const { url } = await ensurePostgres({ database: 'golden_loop_bench' });
  console.log(`${runs} runs per side and statement, ${group} streams per statement; µs per statement (p50 / mean)`);
  console.log('| streams in the table | appendEach, join alone | appendEach, now | readStreams, join alone | readStreams, now |\n| ---: | ---: | ---: | ---: | ---: |');
  for (const size of sizes) {
    const schema = `bench_streams_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const dataSource = new DataSource({ ...eventStoreDataSourceOptions({ type: 'postgres', url, schema, extra: { options: `-c search_path="${schema}"` } }), migrations: eventStoreMigrations });
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.destroy();
    const client = new Client({ connectionString: url, options: `-c search_path="${schema}" -c plan_cache_mode=force_generic_plan` });
    await client.connect();
    try {
      await seedStreams(client, size);
      const times: Record<string, number[]> = {};
      const once = async (label: string, name: string, text: string, values: unknown[]) => {
        await client.query('BEGIN');
        const began = performance.now();
        await client.query({ name, text, values });
        (times[label] ??= []).push((performance.now() - began) * 1000);
        await client.query('ROLLBACK');
      };
      for (let run = 0; run < runs + 20; run++) {
        const ids = Array.from({ length: group }, () => `plan-${1 + Math.floor(Math.random() * size)}`).filter((id, i, all) => all.indexOf(id) === i);
        const appends = JSON.stringify(ids.map((id) => ({ stream_id: id, stream_type: 'treatment-plan', expected: 2, events: [{ id: randomUUID(), type: 'GoalAdded', version: 1, data: {}, metadata: {} }] })));
        // Alternating sides, the first 20 runs not counted (the first five are planned for their values).
        const order = run % 2 === 0 ? (['joinAlone', 'now'] as const) : (['now', 'joinAlone'] as const);
        for (const side of order) {
          await once(`appendEach ${side}`, `append_${side}`, statements.appendEach[side], [appends]);
          await once(`readStreams ${side}`, `read_${side}`, statements.readStreams[side], [ids, ids.map(() => 1)]);
        }
        if (run === 19) for (const key of Object.keys(times)) times[key] = [];
      }
      const figure = (label: string) => {
        const sorted = [...times[label]].sort((a, b) => a - b);
        return `${Math.round(sorted[Math.floor(sorted.length / 2)])} / ${Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length)}`;
      };
      console.log(`| ${size.toLocaleString('en-US')} | ${figure('appendEach joinAlone')} | ${figure('appendEach now')} | ${figure('readStreams joinAlone')} | ${figure('readStreams now')} |`);
    } finally {
      await client.end();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
