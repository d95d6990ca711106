/**
 * npm run bench:readiness
 *
 * Checks per second over BENCH_PLANS plans (default 1,000), two ways:
 *  1. the check alone: `checkReadiness` (the pure function of documentation state, rule set, authorizations and now)
 *     over 1,000 varied plan states, each under its payer's rule set, for BENCH_SECONDS (default 3);
 *  2. a stored check, as the service runs one: the real Nest app on PostgreSQL and Kafka (a schema and topics of its
 *     own), 1,000 plans opened and put in effect through the same handler the consumers use, then a Recheck of every
 *     plan at 1 and at 8 in flight. Each stored check is one transaction: the plan's key lock, the stream read and
 *     folded (twice: once for the credentials the plan's clinicians need, once by the runner), the check, the event
 *     and its outbox row appended, the worklist row upserted, the re-check timer re-armed.
 * At the end it waits (bounded) for the outbox relay to publish every check to Kafka. Prints its figures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { redirectLogs } from '@golden-loop/service-kit';
import { sampleEvent } from '@golden-loop/contracts/src/testing/sample-events';
import type { IntegrationEvent } from '@golden-loop/contracts';
import { DataSource } from 'typeorm';
import { checkReadiness } from '../src/domain/check';
import { aCompliantPlan, credentialsOf, daysFromNow, NOW } from '../src/domain/testing/readiness-builders';
import { loadRuleSets, ruleSetForPayer } from '../src/rule-sets/rule-set-loader';

const planCount = Number(process.env.BENCH_PLANS ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
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

const main = async (): Promise<void> => {
  const pure = pureChecks();
  console.log(`billing-readiness bench — ${planCount} plans, 4 rule sets`);
  console.log(`  check alone (pure function):  ${Math.round(pure.perSecond).toLocaleString('en')} checks/s  (${pure.checks.toLocaleString('en')} checks; outcomes ${JSON.stringify(pure.outcomes)})`);

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
  const { RecheckCommand } = await import('../src/features/recheck/recheck.command');
  let app: INestApplication | undefined;
  try {
    app = await createBillingApp();
    await app.init();
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
    console.log(`  seeding: ${planCount * 3} consumed-event commands (each one check) in ${seeded.toFixed(1)} s = ${Math.round((planCount * 3) / seeded)} checks/s at 8 in flight`);

    for (const concurrency of [1, 8]) {
      const started = performance.now();
      await inParallel(plans, concurrency, ({ planId }) => commands.execute(new RecheckCommand(planId, { type: 'Recheck', data: { cause: 'scheduled' } }, now())));
      const elapsed = (performance.now() - started) / 1000;
      console.log(`  stored check (Recheck, ${concurrency} in flight): ${Math.round(planCount / elapsed).toLocaleString('en')} checks/s  (${planCount} checks in ${elapsed.toFixed(2)} s, ${((elapsed * 1000 * concurrency) / planCount).toFixed(2)} ms each)`);
    }
    const dataSource = app.get(DataSource);
    const drainStarted = performance.now();
    let left = 1;
    while (left > 0 && performance.now() - drainStarted < 120_000) {
      left = (await dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n;
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const total = (await dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox'))[0].n;
    console.log(`  outbox: ${total} AuthorizationCheckCompleted rows, ${left === 0 ? 'all on Kafka' : `${left} still unpublished`} ${((performance.now() - drainStarted) / 1000).toFixed(1)} s after the last check`);
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    if (left > 0) process.exitCode = 1;
  } finally {
    await app?.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
