/**
 * npm run bench:review
 *
 * The review scheduler end to end, as the network feeds it: the real Nest app (createReviewApp) over PostgreSQL and
 * Kafka, in a schema and topics of its own. It first opens BENCH_PLANS plans (default 1,000) the way the plan
 * service announces them (PlanOpened and PlanRevised revision 1, encoded with encodeEvent) and waits until they are
 * applied. Then it pushes BENCH_EVENTS SymptomsChanged (default 10,000) spread evenly over those plans through the
 * real plan topic, as fast as a producer can, and samples every 250 ms: records produced, records applied (inbox
 * rows), the consumer group's lag (high watermarks minus committed offsets) and the review events published.
 *
 * The mix: mostly routine reliable changes; about 5 % urgent (a worsening into the severe band) and 2 % PHQ-9 item-9
 * flags (which also open a safety review). The first change of a plan opens its task, the rest join it.
 *
 * Prints events/s (from the first record produced to the last applied) and how long after the last record was
 * produced the lag was back at 0. Goal (issue 9): at least 2,000 events/s, lag at 0 within 2 s of the last event.
 * Exits non-zero when not every event was applied or the outbox did not drain; a missed goal is reported, not
 * failed, so the figures can be read.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { redirectLogs } from '@golden-loop/service-kit';
import { Kafka, logLevel, Partitioners, type Message } from 'kafkajs';
import { Pool } from 'pg';
import { planOpened, planRecord, planRevised, safetyFlagRaised, symptomsChanged, worsenedIntoSevere } from '../src/test-support/plan-events';
import { publishedOutboxRows, unpublishedOutboxRows } from '@golden-loop/messaging';

const planCount = Number(process.env.BENCH_PLANS ?? 1_000);
const eventCount = Number(process.env.BENCH_EVENTS ?? 10_000);
const sampleMs = 250;
const applyTimeoutMs = 180_000;
const watchdogMs = 400_000;

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/golden_loop';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

interface Sample {
  readonly t: number;
  readonly produced: number;
  readonly applied: number;
  readonly lag: number;
  readonly published: number;
}

/** Busy and total jiffies of the whole machine (/proc/stat), to tell our share from everyone else's. */
const machineTicks = (): { busy: number; total: number } => {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const ticks = cpu.trim().split(/\s+/).slice(1).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
};

const format = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const main = async (): Promise<void> => {
  const suffix = randomBytes(4).toString('hex');
  const schema = `review_bench_${suffix}`;
  const topics = { plan: `bench-plan-${suffix}`, review: `bench-review-${suffix}`, billing: `bench-billing-${suffix}` };
  const group = `bench-review-${suffix}`;
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers.join(','),
    REVIEW_DB_SCHEMA: schema,
    PLAN_EVENTS_TOPIC: topics.plan,
    REVIEW_EVENTS_TOPIC: topics.review,
    BILLING_EVENTS_TOPIC: topics.billing,
    REVIEW_CONSUMER_GROUP: group,
    KAFKA_CLIENT_ID: `bench-review-${suffix}`,
    LOG_LEVEL: 'warn',
  });
  const restoreLogs = redirectLogs({ write: () => undefined });
  // Loaded only now: the module reads its configuration from process.env.
  const { createReviewApp } = await import('../src/app');
  const db = new Pool({ connectionString: databaseUrl, max: 2 });
  const kafka = new Kafka({ clientId: `bench-${suffix}`, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  let app: INestApplication | undefined;
  const watchdog = setTimeout(() => {
    console.error(`bench:review did not finish within ${watchdogMs / 1000} s`);
    process.exit(2);
  }, watchdogMs);

  const count = async (sql: string): Promise<number> => (await db.query<{ n: number }>(sql)).rows[0].n;
  const applied = () => count(`SELECT count(*)::int AS n FROM "${schema}".inbox`);
  const publishedRows = () => count(`SELECT count(*)::int AS n ${publishedOutboxRows(schema)}`);
  const lag = async (): Promise<number> => {
    const [high, committed] = await Promise.all([
      admin.fetchTopicOffsets(topics.plan),
      admin.fetchOffsets({ groupId: group, topics: [topics.plan] }),
    ]);
    const at = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    return high.reduce((sum, p) => sum + Math.max(0, Number(p.high) - Math.max(0, at.get(p.partition) ?? 0)), 0);
  };
  const waitFor = async (what: string, done: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + applyTimeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const send = async (messages: Message[]): Promise<void> => {
    for (let i = 0; i < messages.length; i += 1_000) {
      await producer.send({ topic: topics.plan, acks: -1, messages: messages.slice(i, i + 1_000) });
    }
  };

  try {
    app = await createReviewApp();
    await app.init();
    await Promise.all([admin.connect(), producer.connect()]);

    const version = (await db.query<{ version: string }>('SELECT version()')).rows[0].version.split(' ').slice(0, 2).join(' ');
    console.log(
      `review bench: ${format(eventCount)} SymptomsChanged over ${format(planCount)} plans through ${topics.plan} (6 partitions), ` +
        `consumer chunks of ${process.env.REVIEW_CONSUMER_BATCH_SIZE ?? 'the default'} messages; ` +
        `${cpus().length} cores, ${version}, Kafka at ${brokers.join(',')}, Node.js ${process.version}`,
    );

    // The plans, opened and in effect, as the plan service would have announced them.
    const now = Date.now();
    const planIds = Array.from({ length: planCount }, () => randomUUID());
    const opening = planIds.flatMap((planId) => {
      const openedAt = new Date(now - 60_000).toISOString();
      return [planRecord(planOpened(planId, randomUUID(), openedAt), topics.plan, 1), planRecord(planRevised(planId, 1, openedAt), topics.plan, 2)];
    });
    const setupStarted = performance.now();
    await send(opening);
    await waitFor('the plans to be opened', async () => (await applied()) >= opening.length);
    console.log(`setup: ${format(opening.length)} PlanOpened/PlanRevised applied in ${format((performance.now() - setupStarted) / 1000, 2)} s`);

    const changes = Array.from({ length: eventCount }, (_, i) => {
      const planId = planIds[i % planCount];
      const occurredAt = new Date(now + i).toISOString();
      const roll = i % 100;
      const record = roll < 2 ? safetyFlagRaised(planId, occurredAt) : roll < 7 ? worsenedIntoSevere(planId, occurredAt) : symptomsChanged(planId, occurredAt);
      return planRecord(record, topics.plan, 3 + Math.floor(i / planCount));
    });
    const base = opening.length;
    const publishedBefore = await publishedRows();

    const samples: Sample[] = [];
    let produced = 0;
    let producedDoneAt = Number.NaN;
    const cpuBefore = process.cpuUsage();
    const machineBefore = machineTicks();
    const started = performance.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [a, l, p] = await Promise.all([applied(), lag(), publishedRows()]);
        samples.push({ t: (performance.now() - started) / 1000, produced, applied: a - base, lag: l, published: p - publishedBefore });
        await new Promise((resolve) => setTimeout(resolve, sampleMs));
      }
    })();
    for (let i = 0; i < changes.length; i += 500) {
      await producer.send({ topic: topics.plan, acks: -1, messages: changes.slice(i, i + 500) });
      produced = Math.min(changes.length, i + 500);
    }
    producedDoneAt = (performance.now() - started) / 1000;

    let appliedAllAt = Number.NaN;
    let lagZeroAt = Number.NaN;
    await waitFor('every change to be applied', async () => {
      const done = (await applied()) - base >= eventCount;
      if (done && Number.isNaN(appliedAllAt)) appliedAllAt = (performance.now() - started) / 1000;
      return done;
    });
    const cpu = process.cpuUsage(cpuBefore);
    const machineAfter = machineTicks();
    await waitFor('the consumer lag to reach 0', async () => {
      const zero = (await lag()) === 0;
      if (zero) lagZeroAt = (performance.now() - started) / 1000;
      return zero;
    });
    await waitFor('the outbox to drain', async () => (await count(`SELECT count(*)::int AS n ${unpublishedOutboxRows(schema)}`)) === 0);
    const drainedAt = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;

    console.log('\n| t (s) | produced | applied | consumer lag | review events published |');
    console.log('| ---: | ---: | ---: | ---: | ---: |');
    for (const s of samples) console.log(`| ${format(s.t, 2)} | ${format(s.produced)} | ${format(s.applied)} | ${format(s.lag)} | ${format(s.published)} |`);

    const reviewEvents = await count(`SELECT count(*)::int AS n FROM "${schema}".outbox`) - publishedBefore;
    const tasks = await count(`SELECT count(*)::int AS n FROM "${schema}".events WHERE event_type = 'ReviewTaskOpened'`);
    const rate = eventCount / appliedAllAt;
    const lagAfterLast = lagZeroAt - producedDoneAt;
    console.log(`\nproduced ${format(eventCount)} records in ${format(producedDoneAt, 2)} s (${format(eventCount / producedDoneAt)} records/s)`);
    console.log(`applied all ${format(eventCount)} in ${format(appliedAllAt, 2)} s: ${format(rate)} events/s (goal ≥ 2,000: ${rate >= 2_000 ? 'met' : 'NOT met'})`);
    console.log(`consumer lag back to 0 at ${format(lagZeroAt, 2)} s, ${format(lagAfterLast, 2)} s after the last record was produced (goal ≤ 2 s: ${lagAfterLast <= 2 ? 'met' : 'NOT met'})`);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
    console.log(
      `this process (service, its relay and projection, and the bench's producer and sampler) used ${format(cpuSeconds, 2)} s of CPU ` +
        `(${format((cpuSeconds * 1e6) / eventCount)} µs per event, ${format((cpuSeconds / appliedAllAt) * 100)} % of one core); ` +
        `the machine's ${cpus().length} cores were ${format(machineBusy * 100)} % busy meanwhile (PostgreSQL, Kafka and everyone else)`,
    );
    console.log(`review events published: ${format(reviewEvents)} (tasks opened in all: ${format(tasks)}), outbox drained at ${format(drainedAt, 2)} s`);
  } finally {
    clearTimeout(watchdog);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await app?.close();
    restoreLogs();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.end();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteTopics({ topics: [topics.plan, `${topics.plan}.dlq`, topics.review, `${topics.review}.dlq`] }).catch(() => undefined);
    await cleanup.disconnect();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
