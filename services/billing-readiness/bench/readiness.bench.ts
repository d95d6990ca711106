/**
 * npm run bench:readiness
 *
 * Checks per second over BENCH_PLANS plans (default 1,000):
 *  1. the check alone: `checkReadiness` (the pure function of documentation state, rule set, authorizations and now)
 *     over 1,000 varied plan states, each under its payer's rule set, for BENCH_SECONDS (default 3);
 *  2. a stored check, as the service runs one: the real Nest app on PostgreSQL and Kafka (a schema and topics of its
 *     own), 1,000 plans opened and put in effect through the same handler the consumers use, then every plan
 *     re-checked by every case in BENCH_ROUNDS rounds (default 3); each round goes over the plans in slices of
 *     BENCH_SLICE (default 250), and every case re-checks each slice in turn, in an order that alternates from one
 *     slice to the next (1..n, then n..1), so the streams' growth and the other processes on the machine fall on
 *     every case alike:
 *     - before / after, one check per transaction, at 1 and at 8 in flight: the old body of the handler
 *       (`bench/legacy-check.ts`: its own key lock and load of the stream for the clinicians' credentials, then the
 *       runner's lock and read again) against the service's (`commandFor`: one lock, one read);
 *     - due re-check timers (as a rule-set or credentials change leaves them: one per plan, due now) fired by a
 *       TimerWorker: before, one per transaction through the old body; after, one per transaction through the new
 *       one; after, RECHECK_BATCH_SIZE (default 200) per transaction (`handleBatch` and `runner.runEach`).
 *     Every stored check is the check event and its outbox row appended, the worklist row upserted and the re-check
 *     timer re-armed. For the sequential cases it prints where a check's time goes, statement class by statement
 *     class (`bench/statement-timing.ts`).
 *  3. checks as the service makes them in production, from consumed events: BENCH_CONSUMED (default 5,000)
 *     AssessmentRecorded records spread over the plans, produced to the service's real plan topic as fast as a
 *     producer can, timed from the first record sent to the last check stored, with the consumers applying one
 *     message per inbox transaction (BILLING_CONSUMER_BATCH_SIZE 1, the path before batch mode) and with the
 *     service's chunks (the configured size), in the order 1, n, n, 1, each on a fresh app over the same schema
 *     and topic (the consumer group carries on from its committed offsets); with the transactions committed per check.
 * At the end it waits (bounded) for the outbox relay to publish every check to Kafka. Prints its figures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { processClock, Timers, TimerWorker } from '@golden-loop/scheduling';
import { redirectLogs, SERVICE_CONFIG } from '@golden-loop/service-kit';
import { sampleEvent } from '@golden-loop/contracts/src/testing/sample-events';
import { encodeEvent, type IntegrationEvent } from '@golden-loop/contracts';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { BillingConfig } from '../src/config';
import { checkReadiness } from '../src/domain/check';
import { aCompliantPlan, credentialsOf, daysFromNow, NOW } from '../src/domain/testing/readiness-builders';
import { loadRuleSets, ruleSetForPayer } from '../src/rule-sets/rule-set-loader';
import { LegacyCheck } from './legacy-check';
import { StatementTiming, type StatementTally } from './statement-timing';
import { unpublishedOutboxRows } from '@golden-loop/messaging';

const planCount = Number(process.env.BENCH_PLANS ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sliceSize = Number(process.env.BENCH_SLICE ?? 250);
const consumedCount = Number(process.env.BENCH_CONSUMED ?? 5_000);
const GOAL = 1_000;
const PAYERS = ['e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a04', 'a1000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000002', 'a1000000-0000-4000-8000-000000000003'];

const pureChecks = () => {
  const loaded = loadRuleSets(join(__dirname, '..', 'rule-sets'));
  const plans = Array.from({ length: planCount }, (_, i) => {
    const base = aCompliantPlan();
    const payerId = PAYERS[i % PAYERS.length];
    return {
      ruleSet: ruleSetForPayer(loaded, payerId),
      state: aCompliantPlan({
        opened: { ...base.opened!, payerId },
        assessments: [{ ...base.assessments[0], assessedAt: daysFromNow(-(i % 40)) }],
        sessions: Array.from({ length: i % 18 }, (_, n) => ({ ...base.sessions[0], sessionId: `s${n}` })),
      }),
    };
  });
  const context = { now: NOW, credentialsOf: credentialsOf() };
  const outcomes = { ready: 0, at_risk: 0, not_ready: 0 };
  let checks = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    for (const { state, ruleSet } of plans) outcomes[checkReadiness(state, ruleSet, context).outcome] += 1;
    checks += plans.length;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { checks, perSecond: checks / elapsed, outcomes };
};

const inParallel = async <T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<unknown>) => {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
};

interface Case {
  readonly label: string;
  /** Checks one after another: its statements are a check's own, and their breakdown is printed. */
  readonly sequential: boolean;
  /** Re-checks every plan of the slice once; resolves to the number of checks made. */
  readonly pass: (slice: readonly { planId: string }[]) => Promise<number>;
}

interface Tally {
  checks: number;
  seconds: number;
  readonly statements: Map<string, StatementTally>;
}

const format = (n: number) => Math.round(n).toLocaleString('en');

const printBreakdown = (cases: readonly Case[], tallies: readonly Tally[]) => {
  const shown = cases.map((c, i) => ({ c, t: tallies[i] })).filter(({ c }) => c.sequential);
  const classes = [...new Set(shown.flatMap(({ t }) => [...t.statements.keys()]))].sort((a, b) => {
    const weight = (label: string) => shown.reduce((sum, { t }) => sum + (t.statements.get(label)?.ms ?? 0) / t.checks, 0);
    return weight(b) - weight(a);
  });
  const width = 17;
  const cell = (text: string) => text.padStart(width);
  console.log('\n  where a stored check\'s time goes (ms per check, statements per check), sequential cases:');
  shown.forEach(({ c }, i) => console.log(`    [${i + 1}] ${c.label}`));
  console.log(`    ${'statement'.padEnd(28)}${shown.map((_, i) => cell(`[${i + 1}]`)).join('')}`);
  for (const label of classes) {
    const cells = shown.map(({ t }) => {
      const s = t.statements.get(label);
      return cell(s ? `${(s.ms / t.checks).toFixed(3)} ×${(s.count / t.checks).toFixed(2)}` : '—');
    });
    console.log(`    ${label.padEnd(28)}${cells.join('')}`);
  }
  const own = (t: Tally) => [...t.statements].filter(([label]) => !label.includes('background')).reduce((sum, [, s]) => sum + s.ms, 0);
  const round = (t: Tally) => [...t.statements].filter(([label]) => !label.includes('background')).reduce((sum, [, s]) => sum + s.count, 0);
  console.log(`    ${'round trips of the check'.padEnd(28)}${shown.map(({ t }) => cell((round(t) / t.checks).toFixed(2))).join('')}`);
  console.log(`    ${'waiting on PostgreSQL'.padEnd(28)}${shown.map(({ t }) => cell((own(t) / t.checks).toFixed(3))).join('')}`);
  console.log(`    ${'wall time'.padEnd(28)}${shown.map(({ t }) => cell(((t.seconds * 1000) / t.checks).toFixed(3))).join('')}`);
  console.log(`    ${'rest (JS, event loop)'.padEnd(28)}${shown.map(({ t }) => cell(((t.seconds * 1000 - own(t)) / t.checks).toFixed(3))).join('')}`);
};

interface ConsumedRun {
  readonly batchSize: number;
  readonly checks: number;
  readonly seconds: number;
  /** Transactions the database committed meanwhile (every process on it: the service, its relay, the sampling). */
  readonly commits: number;
}

/**
 * Part 3: a fresh app per run (BILLING_CONSUMER_BATCH_SIZE set before it reads its config), one warm-up record
 * waited for (the consumer has joined its group), then the run's records produced and the checks counted in the
 * service's event store until every one is there.
 */
const consumedChecks = async (
  createApp: () => Promise<INestApplication>,
  brokers: string,
  plans: readonly { planId: string }[],
  configured: number,
): Promise<ConsumedRun[]> => {
  const topic = process.env.PLAN_EVENTS_TOPIC!;
  const kafka = new Kafka({ clientId: 'billing-bench-producer', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const record = (planId: string) => {
    const event = sampleEvent('AssessmentRecorded.v1', { planId, assessmentId: randomUUID(), assessedAt: new Date().toISOString() });
    const encoded = encodeEvent(event, { id: randomUUID(), time: new Date().toISOString(), correlationId: randomUUID(), topic });
    return { key: encoded.key, value: encoded.value, headers: encoded.headers };
  };
  const runs: ConsumedRun[] = [];
  try {
    for (const batchSize of [1, configured, configured, 1]) {
      const app = await createApp();
      // The consumers read it when the app initialises (the module's config is read once, at import).
      app.get<BillingConfig>(SERVICE_CONFIG).BILLING_CONSUMER_BATCH_SIZE = batchSize;
      await app.init();
      try {
        const db = app.get(DataSource);
        const checks = async () => (await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE event_type = 'ReadinessChecked'`))[0].n;
        const until = async (count: number, limitMs: number) => {
          const started = performance.now();
          while ((await checks()) < count) {
            if (performance.now() - started > limitMs) throw new Error(`only ${await checks()} of ${count} checks after ${limitMs} ms`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        };
        const warm = await checks();
        await producer.send({ topic, acks: -1, messages: [record(plans[0].planId)] });
        await until(warm + 1, 120_000);
        const before = await checks();
        const commits = async () =>
          Number((await db.query<{ n: string }[]>('SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()'))[0].n);
        const commitsBefore = await commits();
        const messages = Array.from({ length: consumedCount }, (_, i) => record(plans[i % plans.length].planId));
        const started = performance.now();
        for (let i = 0; i < messages.length; i += 1_000) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1_000) });
        await until(before + consumedCount, 300_000);
        const seconds = (performance.now() - started) / 1000;
        // The statistics collector reports with a delay of up to a second (stats_fetch_consistency aside).
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        runs.push({ batchSize, checks: consumedCount, seconds, commits: (await commits()) - commitsBefore });
      } finally {
        await app.close();
      }
    }
  } finally {
    await producer.disconnect();
  }
  return runs;
};

const main = async (): Promise<void> => {
  const timing = new StatementTiming();
  timing.install();
  const pure = pureChecks();
  console.log(`billing-readiness bench — ${planCount} plans, 4 rule sets`);
  console.log(`  check alone (pure function):  ${format(pure.perSecond)} checks/s  (${pure.checks.toLocaleString('en')} checks; outcomes ${JSON.stringify(pure.outcomes)})`);

  const repo = join(__dirname, '..', '..', '..');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ensurePostgres } = require(join(repo, 'infra/postgres/postgres.cjs')) as { ensurePostgres(options: { database: string }): Promise<{ url: string }> };
  const { ensureKafka } = require(join(repo, 'infra/kafka/kafka.cjs')) as { ensureKafka(): Promise<{ brokers: string }> };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { url } = await ensurePostgres({ database: 'golden_loop_bench' });
  const { brokers } = await ensureKafka();
  const suffix = randomBytes(4).toString('hex');
  const schema = `billing_bench_${suffix}`;
  Object.assign(process.env, {
    DATABASE_URL: url,
    BILLING_DB_SCHEMA: schema,
    KAFKA_BROKERS: brokers,
    KAFKA_CLIENT_ID: `billing-bench-${suffix}`,
    BILLING_EVENTS_TOPIC: `bench-billing-${suffix}`,
    PLAN_EVENTS_TOPIC: `bench-plan-${suffix}`,
    REVIEW_EVENTS_TOPIC: `bench-review-${suffix}`,
    LOG_LEVEL: 'warn',
  });
  redirectLogs({ write: () => undefined });
  const { createBillingApp } = await import('../src/app');
  const { NoteEventCommand } = await import('../src/features/note-event/note-event.command');
  const { RecheckCommand, RecheckHandler } = await import('../src/features/recheck/recheck.command');
  const { TIMERS } = await import('../src/readiness-stream');
  let app: INestApplication | undefined;
  let dataSource: DataSource | undefined;
  try {
    app = await createBillingApp();
    await app.init();
    const db = app.get(DataSource);
    dataSource = db;
    const commands = app.get(CommandBus);
    const now = () => ({ now: new Date().toISOString(), correlationId: randomUUID() });
    const plans = Array.from({ length: planCount }, (_, i) => ({ planId: randomUUID(), payerId: PAYERS[i % PAYERS.length] }));
    const note = (planId: string, event: IntegrationEvent) =>
      commands.execute(new NoteEventCommand(planId, { type: 'NoteEvent', data: { eventId: randomUUID(), event } }, now()));
    const seedStarted = performance.now();
    await inParallel(plans, 8, async ({ planId, payerId }) => {
      const e = (key: Parameters<typeof sampleEvent>[0], overrides: object) => sampleEvent(key, { planId, ...overrides });
      await note(planId, e('PlanOpened.v1', { payerId, openedAt: new Date().toISOString() }));
      await note(planId, e('PlanRevised.v1', { revision: 1, reason: 'initial_plan', triggersAnswered: [], revisedAt: new Date().toISOString() }));
      await note(planId, e('AssessmentRecorded.v1', { assessmentId: randomUUID(), assessedAt: new Date().toISOString() }));
    });
    const seeded = (performance.now() - seedStarted) / 1000;
    console.log(`  seeding: ${planCount * 3} consumed-event commands (each one check) in ${seeded.toFixed(1)} s = ${format((planCount * 3) / seeded)} checks/s at 8 in flight`);

    // The service's own worker polls no more: each timer case fires what it is given with runDue().
    const serviceWorker = app.get(TimerWorker);
    await serviceWorker.stop();
    const timers = app.get(Timers);
    const legacy = new LegacyCheck(app);
    const rechecks = app.get(RecheckHandler);
    const batchSize = app.get<{ RECHECK_BATCH_SIZE: number }>(SERVICE_CONFIG).RECHECK_BATCH_SIZE;
    const legacyWorker = new TimerWorker({ dataSource: db, clock: processClock });
    legacyWorker.handle(TIMERS.recheck.kind, async (timer, manager, at) => {
      await legacy.recheck(timer.streamId, 'rule_set_changed', { now: at.toISOString(), correlationId: randomUUID() }, manager);
    });
    const oneByOne = new TimerWorker({ dataSource: db, clock: processClock });
    oneByOne.handleBatch(
      TIMERS.recheck.kind,
      async (due, manager, at) => {
        const batch = due.map((timer) => new RecheckCommand(timer.streamId, { type: 'Recheck', data: { cause: 'rule_set_changed' } }, { now: at.toISOString(), correlationId: randomUUID() }, manager));
        const { skipped } = await rechecks.executeEach(batch, manager, 'skip');
        return { deferred: due.filter((timer) => skipped.includes(timer.streamId)).map((timer) => timer.timerId) };
      },
      { size: 1 },
    );
    const recheck = (planId: string) => commands.execute(new RecheckCommand(planId, { type: 'Recheck', data: { cause: 'scheduled' } }, now()));
    type Plans = readonly { planId: string }[];
    const each = async (slice: Plans, concurrency: number, run: (planId: string) => Promise<unknown>) => {
      await inParallel(slice, concurrency, ({ planId }) => run(planId));
      return slice.length;
    };
    // As a rule-set reload leaves them: the slice's re-check timers due now, in one transaction (not timed).
    const arm = (slice: Plans) =>
      db.transaction((manager) =>
        timers.schedule(manager, slice.map(({ planId }) => ({ timerId: TIMERS.recheck.idOf(planId), kind: TIMERS.recheck.kind, streamId: planId, dueAt: new Date(), payload: { cause: 'rule_set_changed' } }))),
      );
    const fire = async (worker: InstanceType<typeof TimerWorker>) => {
      const before = worker.status().fired;
      while ((await worker.runDue()) > 0);
      return worker.status().fired - before;
    };

    const cases: (Case & { readonly timers?: boolean })[] = [
      { label: 'before: one check per transaction, stream read twice, 1 in flight', sequential: true, pass: (slice) => each(slice, 1, (planId) => legacy.recheck(planId, 'scheduled', now())) },
      { label: 'after:  one check per transaction, stream read once, 1 in flight', sequential: true, pass: (slice) => each(slice, 1, recheck) },
      { label: 'before: one check per transaction, stream read twice, 8 in flight', sequential: false, pass: (slice) => each(slice, 8, (planId) => legacy.recheck(planId, 'scheduled', now())) },
      { label: 'after:  one check per transaction, stream read once, 8 in flight', sequential: false, pass: (slice) => each(slice, 8, recheck) },
      { label: 'before: due re-check timers, one per transaction', sequential: true, timers: true, pass: () => fire(legacyWorker) },
      { label: 'after:  due re-check timers, one per transaction', sequential: true, timers: true, pass: () => fire(oneByOne) },
      { label: `after:  due re-check timers, ${batchSize} per transaction`, sequential: true, timers: true, pass: () => fire(serviceWorker) },
    ];
    const tallies: Tally[] = cases.map(() => ({ checks: 0, seconds: 0, statements: new Map() }));
    const slices = Array.from({ length: Math.ceil(plans.length / sliceSize) }, (_, i) => plans.slice(i * sliceSize, (i + 1) * sliceSize));
    let flip = false;
    for (let round = 0; round < rounds; round += 1) {
      for (const slice of slices) {
        const order = cases.map((_, i) => i);
        if (flip) order.reverse();
        flip = !flip;
        for (const i of order) {
          if (cases[i].timers) await arm(slice);
          timing.take();
          const started = performance.now();
          const checks = await cases[i].pass(slice);
          const elapsed = (performance.now() - started) / 1000;
          const tally = tallies[i];
          tally.checks += checks;
          tally.seconds += elapsed;
          for (const [label, s] of timing.take()) {
            const sum = tally.statements.get(label) ?? { count: 0, ms: 0 };
            tally.statements.set(label, { count: sum.count + s.count, ms: sum.ms + s.ms });
          }
          if (checks !== slice.length) console.log(`  (${cases[i].label}: ${checks} checks for a slice of ${slice.length} plans)`);
        }
      }
    }

    console.log(`\n  stored checks over ${planCount} plans, ${rounds} rounds of slices of ${sliceSize} plans, the cases in alternating order:`);
    cases.forEach((c, i) => {
      const t = tallies[i];
      console.log(`    ${c.label.padEnd(72)} ${format(t.checks / t.seconds).padStart(6)} checks/s  (${t.checks} checks in ${t.seconds.toFixed(2)} s)`);
    });
    const best = Math.max(...tallies.map((t) => t.checks / t.seconds));
    console.log(`    goal: at least ${format(GOAL)} checks/s — ${best >= GOAL ? 'met' : 'not met'} (best ${format(best)} checks/s)`);
    printBreakdown(cases, tallies);

    const configured = app.get<BillingConfig>(SERVICE_CONFIG).BILLING_CONSUMER_BATCH_SIZE;
    await app.close();
    app = undefined;
    const consumed = await consumedChecks(createBillingApp, brokers, plans, configured);
    console.log(`\n  checks from consumed events (${format(consumedCount)} AssessmentRecorded per run over ${planCount} plans, produced as fast as a producer can; first record sent to last check stored):`);
    for (const size of [1, configured]) {
      const runs = consumed.filter((run) => run.batchSize === size);
      const rate = runs.reduce((sum, run) => sum + run.checks, 0) / runs.reduce((sum, run) => sum + run.seconds, 0);
      console.log(`    ${(size === 1 ? 'before: one message per inbox transaction' : `after:  chunks of up to ${size} messages, one executeEach each`).padEnd(72)} ${format(rate).padStart(6)} checks/s  (runs: ${runs.map((run) => `${run.seconds.toFixed(2)} s`).join(', ')}; ${(runs.reduce((sum, run) => sum + run.commits, 0) / runs.reduce((sum, run) => sum + run.checks, 0)).toFixed(2)} commits per check)`);
    }
    const bestConsumed = Math.max(...consumed.map((run) => run.checks / run.seconds));
    console.log(`    goal: at least ${format(GOAL)} checks/s — ${bestConsumed >= GOAL ? 'met' : 'not met'} from consumed events (best run ${format(bestConsumed)} checks/s)`);
    app = await createBillingApp();
    await app.init();
    const db2 = app.get(DataSource);
    dataSource = db2;

    const drainStarted = performance.now();
    let left = 1;
    while (left > 0 && performance.now() - drainStarted < 120_000) {
      left = (await db2.query<{ n: number }[]>(`SELECT count(*)::int AS n ${unpublishedOutboxRows()}`))[0].n;
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const total = (await db2.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox'))[0].n;
    console.log(`\n  outbox: ${total} AuthorizationCheckCompleted rows, ${left === 0 ? 'all on Kafka' : `${left} still unpublished`} ${((performance.now() - drainStarted) / 1000).toFixed(1)} s after the last check`);
    if (left > 0) process.exitCode = 1;
  } finally {
    await dataSource?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await app?.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
