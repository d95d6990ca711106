/**
 * npm run bench:import
 *
 * The importer (docs/import.md) as a network's migration runs it: BENCH_PLANS synthetic histories (default 10,000,
 * about 100,000 events: a month of weekly scores each, BENCH_WEEKS) written to a file, then `PlanImporter` on the
 * plan service's own app context, through its command handlers, into a schema and a topic of the bench's own,
 * BENCH_CONCURRENCY transactions at once of BENCH_PLANS_PER_COMMIT plans each (the importer's defaults otherwise). It prints the import's events/s, the time the outbox relay needs
 * to publish them all to Kafka afterwards, and the cost of a second run over the same file (everything skipped).
 * The goal: 1,000,000 historical events in under 10 minutes, about 1,667 events/s.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { sampleHistories } from '../src/import/sample-histories';
import { cleanUpInto, runScript } from '@golden-loop/service-kit';

const planCount = Number(process.env.BENCH_PLANS ?? 10_000);
const [minWeeks, maxWeeks] = (process.env.BENCH_WEEKS ?? '2-3').split('-').map(Number);
const goalEventsPerSecond = 1_000_000 / 600;

async function main(): Promise<number> {
  const repo = join(__dirname, '..', '..', '..');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ensurePostgres } = require(join(repo, 'infra/postgres/postgres.cjs')) as { ensurePostgres(options: { database: string }): Promise<{ url: string }> };
  const { ensureKafka } = require(join(repo, 'infra/kafka/kafka.cjs')) as { ensureKafka(): Promise<{ brokers: string }> };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { url } = await ensurePostgres({ database: 'golden_loop_bench' });
  const { brokers } = await ensureKafka();
  const suffix = randomBytes(4).toString('hex');
  const schema = `import_bench_${suffix}`;
  const topic = `bench-import-${suffix}`;
  const file = join(tmpdir(), `import-bench-${suffix}.ndjson`);
  Object.assign(process.env, {
    DATABASE_URL: url,
    PLAN_DB_SCHEMA: schema,
    KAFKA_BROKERS: brokers,
    KAFKA_CLIENT_ID: `import-bench-${suffix}`,
    PLAN_EVENTS_TOPIC: topic,
    LOG_LEVEL: 'warn',
  });
  const { createImportContext, drainOutbox } = await import('../src/import/import-app');
  const { PlanImporter, IMPORT_DEFAULTS } = await import('../src/import/plan-importer');
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? IMPORT_DEFAULTS.concurrency);
  const plansPerCommit = Number(process.env.BENCH_PLANS_PER_COMMIT ?? IMPORT_DEFAULTS.plansPerCommit);

  const generated = performance.now();
  const out = createWriteStream(file);
  for (const line of sampleHistories({ plans: planCount, minWeeks, maxWeeks, seed: 13 })) if (!out.write(`${line}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  console.log(`${planCount} histories (${minWeeks}-${maxWeeks} weeks each) generated in ${((performance.now() - generated) / 1000).toFixed(1)} s`);
  console.log(`machine: ${cpus().length} cores, load ${loadavg().map((n) => n.toFixed(1)).join(' ')}; ${concurrency} transactions at once, ${plansPerCommit} plans per commit`);

  const db = new Pool({ connectionString: url, max: 1 });
  const failures: string[] = [];
  let app: INestApplicationContext | undefined;
  try {
    app = await createImportContext();
    const importer = PlanImporter.of(app);
    let last = performance.now();
    const started = performance.now();
    const first = await importer.importFile(file, {
      concurrency,
      plansPerCommit,
      onProgress: ({ lines, events }) => {
        if (performance.now() - last < 10_000) return;
        last = performance.now();
        console.log(`  ${lines} plans, ${events} events, ${Math.round(events / ((last - started) / 1000))} events/s`);
      },
    });
    console.log(`import: ${first.imported} plans, ${first.failed} failed, ${first.events} events in ${first.seconds.toFixed(1)} s: ${Math.round(first.eventsPerSecond)} events/s`);
    for (const failure of first.failures.slice(0, 3)) failures.push(`line ${failure.line}: ${failure.code}: ${failure.reason}`);
    const draining = performance.now();
    const left = await drainOutbox(app, 600_000);
    const [{ rows }] = (await db.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM "${schema}".outbox`)).rows;
    console.log(`outbox: ${rows} public events, published to Kafka ${((performance.now() - draining) / 1000).toFixed(1)} s after the import ended${left > 0 ? ` (${left} left)` : ''}`);
    const total = first.seconds + (performance.now() - draining) / 1000;
    console.log(`import and publication together: ${Math.round(first.events / total)} events/s`);
    const goal = first.eventsPerSecond >= goalEventsPerSecond ? 'met' : 'not met';
    console.log(`goal (1,000,000 events in 10 minutes, ${Math.round(goalEventsPerSecond)} events/s): ${goal}; at this rate 1,000,000 events take ${(1_000_000 / first.eventsPerSecond / 60).toFixed(1)} minutes`);
    const again = await importer.importFile(file, { concurrency, plansPerCommit });
    console.log(`second run over the same file: ${again.skipped} skipped, ${again.imported} imported, ${again.events} events, ${again.seconds.toFixed(1)} s`);
    if (left > 0) failures.push(`${left} outbox rows unpublished`);
    if (again.events !== 0 || again.skipped !== first.imported) failures.push('the second run was not a no-op');
    console.log(`wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    const cleanUp = cleanUpInto(failures);
    await cleanUp('closing the app', async () => app?.close());
    await cleanUp(`deleting topic ${topic}`, async () => {
      const admin = new Kafka({ clientId: `import-bench-admin-${suffix}`, brokers: brokers.split(','), logLevel: logLevel.ERROR }).admin();
      await admin.connect();
      try {
        if ((await admin.listTopics()).includes(topic)) await admin.deleteTopics({ topics: [topic] });
      } finally {
        await admin.disconnect();
      }
    });
    await cleanUp(`dropping schema ${schema}`, () => db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    await cleanUp('closing the pool', () => db.end());
    await cleanUp('removing the file', () => rm(file, { force: true }));
  }
  for (const failure of failures) console.error(`FAILED: ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

runScript(main);
