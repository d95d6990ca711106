/**
 * npm run bench:plan
 *
 * The plan service end to end, as a network uses it: the real Nest app (createPlanApp) on a local port, over
 * PostgreSQL and Kafka, in a schema and a topic of its own. It opens BENCH_PLANS plans over HTTP (default 256),
 * then autocannon drives RecordAssessment (POST /plans/:planId/assessments, PHQ-9, no If-Match) at 1, 16 and 64
 * connections, each request on the next plan of a round robin, so concurrent requests almost never share a plan
 * (as clinicians each assessing their own clients). Then a hot spot: every connection on one plan, where
 * requests read the same version and all but one of them get 409.
 *
 * Each case gets BENCH_SECONDS (default 5) in short slices that alternate with the other cases of its group
 * (1, 16, 64, then 64, 16, 1, ...), like the event-store bench: the streams grow as the run goes on and other
 * processes share the machine, and that drift then falls on every case alike. A 1 s warm-up per case comes
 * first and is not counted; so is a short pause after each slice, which lets the requests cut off at its end
 * finish before the next slice starts. Latency is timed per request, from the request being written to its
 * response, over every response (409s too).
 *
 * The item vectors vary: each plan keeps a level in the middle of a PHQ-9 band with ±2 of noise (no meaningful
 * change); about 6 % of assessments jump 6 points (reliable change and a band move, and the next ordinary one
 * moves back) and about 3 % answer item 9 (a new safety flag), so roughly one in seven records SymptomsChanged.
 *
 * At the end it waits (bounded) until the outbox relay has published every row and counts the messages on the
 * topic, so the figures include the path to Kafka. Exits non-zero on any 5xx, or when the outbox does not drain.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { cleanUpInto, redirectLogs, runScript } from '@golden-loop/service-kit';
import { clinicianBearers, createTestIssuer, issuerEnvironment } from '@golden-loop/service-testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { publishedOutboxRows } from '@golden-loop/messaging';

const secondsPerCase = Number(process.env.BENCH_SECONDS ?? 5);
const warmupSeconds = 1;
const sliceSeconds = 2.5;
const pauseMs = 300;
const planCount = Number(process.env.BENCH_PLANS ?? 256);
/** A plan in long treatment: weekly scores for three years and their revisions (issue: flat command cost). */
const longPlanEvents = Number(process.env.BENCH_LONG_PLAN_EVENTS ?? 2_000);
const openConcurrency = 8;
const drainTimeoutMs = 60_000;
// A last resort: the run takes about 70 s.
const watchdogMs = 240_000;

// ---------------------------------------------------------------------------------------------------------
// autocannon has no type declarations; the part of its API used here.

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  requests: {
    method: string;
    setupRequest: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
    onResponse: (status: number, body: string, context: Record<string, unknown>) => void;
  }[];
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => unknown;

const cannon = (options: AutocannonOptions) =>
  new Promise<AutocannonResult>((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });

// ---------------------------------------------------------------------------------------------------------
// Plans and PHQ-9 answers.

/** Mid-band PHQ-9 totals: minimal (0-4), mild (5-9), moderate (10-14), moderately severe (15-19). */
const levels = [2, 7, 12, 17];

interface BenchPlan {
  readonly planId: string;
  readonly clinicianId: string;
  readonly level: number;
}

const openPlanBody = (planId: string, clinicianId: string) => ({
  planId,
  clientId: randomUUID(),
  clinicianId,
  payerId: Math.random() < 0.8 ? randomUUID() : null,
  presentingProblem: 'Low mood and worry since a job loss in the spring; avoiding friends and sleeping badly.',
  strengths: ['close to her sister', 'keeps a daily routine', 'walks the dog every morning'],
  diagnoses: [
    { code: 'F32.1', rank: 'primary', description: 'Major depressive disorder, single episode, moderate' },
    { code: 'F41.1', rank: 'secondary', description: 'Generalized anxiety disorder' },
  ],
  symptoms: [
    { diagnosisCode: 'F32.1', description: 'Depressed mood most of the day, nearly every day' },
    { diagnosisCode: 'F41.1', description: 'Worry about money she cannot stop' },
  ],
  impairments: [{ diagnosisCode: 'F32.1', description: 'Has stopped seeing friends; leaves the house once a week' }],
  service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
});

/** Nine item responses 0-3: `total` spread at random over items 1-8, item 9 as given. */
const phq9Items = (total: number, item9: number): number[] => {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  for (let left = Math.max(0, Math.min(24, total)); left > 0; left -= 1) {
    const open = [0, 1, 2, 3, 4, 5, 6, 7].filter((i) => items[i] < 3);
    items[open[randomInt(open.length)]] += 1;
  }
  return items;
};

/** The next assessment of a plan: mostly noise around its level, sometimes a jump or a safety answer. */
const nextAssessment = (plan: BenchPlan): string => {
  const draw = Math.random();
  let items: number[];
  if (draw < 0.06) items = phq9Items(plan.level + 6 <= 24 ? plan.level + 6 : plan.level - 6, 0);
  else if (draw < 0.09) items = phq9Items(plan.level + randomInt(-2, 2), 1);
  else items = phq9Items(plan.level + randomInt(-2, 3), 0);
  return JSON.stringify({ instrument: 'PHQ-9', items });
};

// ---------------------------------------------------------------------------------------------------------
// What the service logs (its JSON lines at warn and above, kept for the report instead of printed).

class CollectingLog {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  write(line: string): void {
    const { level } = JSON.parse(line) as { level: number };
    if (level >= 50) this.errors.push(line);
    else if (level >= 40) this.warnings.push(line);
  }
}

// ---------------------------------------------------------------------------------------------------------

/** One case over all its slices. */
interface Tally {
  readonly label: string;
  readonly connections: number;
  seconds: number;
  readonly statuses: Map<number, number>;
  readonly latencies: number[];
  errors: number;
  symptomsChanged: number;
  /** The first body of each status other than 2xx and 409. */
  readonly samples: Map<number, string>;
}

const newTally = (label: string, connections: number): Tally => ({
  label,
  connections,
  seconds: 0,
  statuses: new Map(),
  latencies: [],
  errors: 0,
  symptomsChanged: 0,
  samples: new Map(),
});

const countOf = (tally: Tally, matches: (status: number) => boolean) =>
  [...tally.statuses].filter(([status]) => matches(status)).reduce((sum, [, n]) => sum + n, 0);

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

const format = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (value < 10 ? value.toFixed(1) : String(Math.round(value)));

const waitFor = async (condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
};

async function main(): Promise<number> {
  const started = performance.now();
  const repo = join(__dirname, '..', '..', '..');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ensurePostgres } = require(join(repo, 'infra/postgres/postgres.cjs')) as {
    ensurePostgres(options: { database: string }): Promise<{ url: string }>;
  };
  const { ensureKafka } = require(join(repo, 'infra/kafka/kafka.cjs')) as { ensureKafka(): Promise<{ brokers: string }> };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { url } = await ensurePostgres({ database: 'golden_loop_bench' });
  const { brokers } = await ensureKafka();

  const suffix = randomBytes(4).toString('hex');
  const schema = `plan_bench_${suffix}`;
  const topic = `bench-plan-${suffix}`;
  // A token issuer of the bench's own; the rate limit out of the way (a bench drives one clinician far past it).
  const issuer = createTestIssuer();
  const bearerOf = clinicianBearers(issuer);
  Object.assign(process.env, {
    DATABASE_URL: url,
    ...issuerEnvironment(issuer),
    RATE_LIMIT_PER_MINUTE: '100000000',
    PLAN_DB_SCHEMA: schema,
    KAFKA_BROKERS: brokers,
    KAFKA_CLIENT_ID: `plan-bench-${suffix}`,
    PLAN_EVENTS_TOPIC: topic,
    PORT: '0',
    LOG_LEVEL: 'warn',
  });
  // Loaded only now: the plan module reads its configuration from process.env.
  const { createPlanApp } = await import('../src/app');

  const db = new Pool({ connectionString: url, max: 2 });
  const kafka = new Kafka({ clientId: `plan-bench-admin-${suffix}`, brokers: brokers.split(','), logLevel: logLevel.ERROR });
  const logs = new CollectingLog();
  redirectLogs(logs);
  let app: INestApplication | undefined;
  const failures: string[] = [];

  try {
    app = await createPlanApp();
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;

    // 1. The plans, opened over HTTP a few at a time.
    const plans: BenchPlan[] = Array.from({ length: planCount + 1 }, (_, i) => ({
      planId: randomUUID(),
      clinicianId: randomUUID(),
      level: levels[i % levels.length],
    }));
    const hotPlan = plans.pop()!;
    // The long-treatment case: one plan grown to LONG_PLAN_EVENTS, against fresh plans (one new plan per slice).
    const longPlan: BenchPlan = { planId: randomUUID(), clinicianId: randomUUID(), level: levels[0] };
    const freshPlans: BenchPlan[] = Array.from({ length: 8 }, (_, i) => ({ planId: randomUUID(), clinicianId: randomUUID(), level: levels[i % levels.length] }));
    const openStarted = performance.now();
    let next = 0;
    const open = async (plan: BenchPlan) => {
      const response = await fetch(`${base}/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearerOf(plan.clinicianId) },
        body: JSON.stringify(openPlanBody(plan.planId, plan.clinicianId)),
      });
      if (response.status !== 201) throw new Error(`POST /plans answered ${response.status}: ${await response.text()}`);
    };
    await Promise.all(
      Array.from({ length: openConcurrency }, async () => {
        while (next < plans.length) await open(plans[next++]);
      }),
    );
    await open(hotPlan);
    for (const plan of [longPlan, ...freshPlans]) await open(plan);
    const openSeconds = (performance.now() - openStarted) / 1000;

    // 2. RecordAssessment under load.
    let loadEnded = 0;
    /** `seconds` of load added to `tally`. */
    const run = async (tally: Tally, pick: () => BenchPlan, seconds: number): Promise<void> => {
      const result = await cannon({
        url: base,
        connections: tally.connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            // Called just before the request is written; onResponse for it comes before the connection's next one.
            setupRequest: (request, context) => {
              const plan = pick();
              request.path = `/plans/${plan.planId}/assessments`;
              request.headers = { 'content-type': 'application/json', authorization: bearerOf(plan.clinicianId) };
              request.body = nextAssessment(plan);
              context.sentAt = performance.now();
              return request;
            },
            onResponse: (status, body, context) => {
              tally.latencies.push(performance.now() - (context.sentAt as number));
              tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
              if (status >= 200 && status < 300) {
                if (body.includes('SymptomsChanged')) tally.symptomsChanged += 1;
              } else if (status !== 409 && !tally.samples.has(status)) {
                tally.samples.set(status, body);
              }
            },
          },
        ],
      });
      tally.seconds += result.duration;
      tally.errors += result.errors + result.timeouts;
      loadEnded = performance.now();
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    };

    let cursor = 0;
    const roundRobin = () => plans[cursor++ % plans.length];
    const hotSpot = () => hotPlan;
    const groups = [
      { label: `${planCount} plans, round robin`, pick: roundRobin, connections: [1, 16, 64] },
      { label: 'one plan (hot spot)', pick: hotSpot, connections: [16, 64] },
    ];
    const slices = Math.max(2, Math.round(secondsPerCase / sliceSeconds));
    const rows: Tally[] = [];
    const warmups: Tally[] = [];
    const versions = async (): Promise<number> =>
      (
        await db.query<{ mean: number }>(`SELECT avg(version)::float AS mean FROM "${schema}".streams WHERE stream_id = ANY($1)`, [
          plans.map((plan) => plan.planId),
        ])
      ).rows[0].mean;
    let versionsAfterWarmup = 0;
    for (const { label, pick, connections } of groups) {
      for (const n of connections) {
        warmups.push(newTally(`${label} (warm-up)`, n));
        await run(warmups[warmups.length - 1], pick, warmupSeconds);
      }
      if (pick === roundRobin) versionsAfterWarmup = await versions();
      const tallies = connections.map((n) => newTally(label, n));
      for (let slice = 0; slice < slices; slice += 1) {
        for (const tally of slice % 2 === 0 ? tallies : [...tallies].reverse()) {
          await run(tally, pick, secondsPerCase / slices);
          process.stderr.write('.');
        }
      }
      rows.push(...tallies);
    }
    const versionsAtEnd = await versions();

    // The long plan: grown to LONG_PLAN_EVENTS, then fresh and long alternate, a new fresh plan each slice.
    const versionOf = async (planId: string) =>
      (await db.query<{ version: number }>(`SELECT version::int FROM "${schema}".streams WHERE stream_id = $1`, [planId])).rows[0].version;
    const growth = newTally('long plan (growing it)', 16);
    while ((await versionOf(longPlan.planId)) < longPlanEvents) await run(growth, () => longPlan, 2);
    const longStart = await versionOf(longPlan.planId);
    const freshTally = newTally('one plan, fresh (a new one per slice)', 16);
    const longTally = newTally(`one plan, ${format(longStart)} events`, 16);
    for (let slice = 0; slice < slices; slice += 1) {
      const fresh = freshPlans[slice % freshPlans.length];
      const order = slice % 2 === 0 ? ([[freshTally, () => fresh], [longTally, () => longPlan]] as const) : ([[longTally, () => longPlan], [freshTally, () => fresh]] as const);
      for (const [tally, pick] of order) {
        await run(tally, pick, secondsPerCase / slices);
        process.stderr.write('.');
      }
    }
    rows.push(freshTally, longTally);
    warmups.push(growth);
    process.stderr.write('\n');

    // 3. Everything the commands put in the outbox, acknowledged by Kafka (the relay's position past it).
    const outbox = async () =>
      (
        await db.query<{ total: number; published: number }>(
          `SELECT (SELECT count(*) FROM "${schema}".outbox)::int AS total, (SELECT count(*) ${publishedOutboxRows(schema)})::int AS published`,
        )
      ).rows[0];
    const drained = await waitFor(async () => {
      const { total, published } = await outbox();
      return total === published;
    }, drainTimeoutMs);
    const drainSeconds = (performance.now() - loadEnded) / 1000;
    const { total: outboxRows, published } = await outbox();
    const stored = (
      await db.query<{ assessments: number; changes: number; opened: number; hot_version: number }>(
        `SELECT count(*) FILTER (WHERE event_type = 'AssessmentRecorded')::int AS assessments,
                count(*) FILTER (WHERE event_type = 'SymptomsChanged')::int AS changes,
                count(*) FILTER (WHERE event_type = 'PlanOpened')::int AS opened,
                max(stream_position) FILTER (WHERE stream_id = $1)::int AS hot_version
           FROM "${schema}".events`,
        [hotPlan.planId],
      )
    ).rows[0];
    const admin = kafka.admin();
    await admin.connect();
    let onTopic = 0;
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      onTopic = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    } finally {
      await admin.disconnect();
    }
    const settings = (
      await db.query<{ version: string; sync: string }>(
        `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync`,
      )
    ).rows[0];

    // 4. The report.
    const header = ['case', 'connections', 'requests/s', '2xx/s', 'p50 ms', 'p99 ms', '2xx', '409', 'errors', 'SymptomsChanged'];
    const table = rows.map((tally) => {
      const ok = countOf(tally, (status) => status >= 200 && status < 300);
      const conflicts = countOf(tally, (status) => status === 409);
      const other = countOf(tally, (status) => (status < 200 || status >= 300) && status !== 409) + tally.errors;
      const sorted = [...tally.latencies].sort((a, b) => a - b);
      return [
        tally.label,
        String(tally.connections),
        format(tally.latencies.length / tally.seconds),
        format(ok / tally.seconds),
        ms(percentile(sorted, 50)),
        ms(percentile(sorted, 99)),
        format(ok),
        format(conflicts),
        format(other),
        format(tally.symptomsChanged),
      ];
    });
    const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column].length)));
    const line = (cells: string[]) =>
      `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
    console.log(
      `plan service over HTTP (Nest, express), PostgreSQL ${settings.version} (synchronous_commit=${settings.sync}), Kafka at ${brokers}; ` +
        `${secondsPerCase} s per case in ${slices} alternating slices, after a ${warmupSeconds} s warm-up`,
    );
    console.log(
      `machine: ${cpus().length} CPUs shared by the client (autocannon, in the same Node process and event loop as the service), ` +
        'the service, PostgreSQL and Kafka',
    );
    console.log(`opened ${format(planCount + 1)} plans over HTTP in ${openSeconds.toFixed(1)} s (${openConcurrency} at a time)`);
    console.log(line(header));
    console.log(`|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`);
    for (const row of table) console.log(line(row));
    console.log(
      'POST /plans/:planId/assessments (PHQ-9), no If-Match: commands of one plan queue in the service and a lost race is retried, so 409s should stay at 0 (a 409 here is a retry budget exhausted). ' +
        'Latency counts every response (409s too); errors = other statuses, socket errors and timeouts.',
    );
    console.log(
      `the round-robin plans grew from ${versionsAfterWarmup.toFixed(1)} to ${versionsAtEnd.toFixed(1)} events on average during their cases`,
    );
    const okRate = (tally: Tally) => countOf(tally, (status) => status >= 200 && status < 300) / tally.seconds;
    console.log(
      `long plan: ${format(okRate(longTally))} 2xx/s at ${format(longStart)} events vs ${format(okRate(freshTally))} 2xx/s on fresh plans: ` +
        `${Math.round((100 * okRate(longTally)) / okRate(freshTally))} % (goal ≥ 80 %: a command's cost stays flat as its stream grows)`,
    );
    console.log(
      `stored: ${format(stored.opened)} PlanOpened, ${format(stored.assessments)} AssessmentRecorded, ${format(stored.changes)} SymptomsChanged ` +
        `(warm-ups and requests still in flight when a case stopped included); the hot-spot plan ended at version ${format(stored.hot_version)}`,
    );
    console.log(
      `outbox: ${format(published)} of ${format(outboxRows)} rows published ${drained ? `(drained ${drainSeconds.toFixed(1)} s after the last case)` : `(NOT drained within ${drainTimeoutMs / 1000} s)`}; ` +
        `${format(onTopic)} messages on the topic`,
    );
    // The relay keeps its position, not a time per row: the time from a command to its record on Kafka is the
    // loop bench's "plan relay" part (npm run bench:loop).
    console.log(`total run time ${((performance.now() - started) / 1000).toFixed(0)} s`);

    // 5. What must not happen.
    for (const tally of [...warmups, ...rows]) {
      const serverErrors = countOf(tally, (status) => status >= 500);
      const sample = [...tally.samples].find(([status]) => status >= 500)?.[1];
      if (serverErrors > 0) failures.push(`${tally.label}, ${tally.connections} connections: ${serverErrors} responses 5xx, e.g. ${sample}`);
      for (const [status, body] of tally.samples) {
        if (status < 500) console.log(`note: ${tally.label}, ${tally.connections} connections: a ${status} said ${body}`);
      }
    }
    if (!drained) failures.push(`the outbox did not drain within ${drainTimeoutMs / 1000} s: ${outboxRows - published} rows unpublished`);
    if (outboxRows !== stored.opened + stored.assessments + stored.changes) {
      failures.push(`the outbox holds ${outboxRows} rows for ${stored.opened + stored.assessments + stored.changes} public events stored`);
    }
    if (onTopic < published) failures.push(`${published} rows marked published but only ${onTopic} messages on ${topic}`);
    console.log(`service log (errors and warnings): ${logs.errors.length} errors, ${logs.warnings.length} warnings`);
    for (const entry of [...logs.errors.slice(0, 3), ...logs.warnings.slice(0, 3)]) console.log(`  ${entry.slice(0, 600)}`);
  } finally {
    const cleanUp = cleanUpInto(failures);
    await cleanUp('closing the app', async () => app?.close());
    await cleanUp(`deleting topic ${topic}`, async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        if ((await admin.listTopics()).includes(topic)) await admin.deleteTopics({ topics: [topic] });
      } finally {
        await admin.disconnect();
      }
    });
    await cleanUp(`dropping schema ${schema}`, () => db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    await cleanUp('closing the pool', () => db.end());
  }

  for (const failure of failures) console.error(`FAILED: ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

const watchdog = setTimeout(() => {
  console.error(`plan bench: still running after ${watchdogMs / 1000} s; giving up`);
  process.exit(1);
}, watchdogMs);
watchdog.unref();

runScript(main);
