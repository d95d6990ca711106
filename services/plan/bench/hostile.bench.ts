/**
 * npm run bench:hostile
 *
 * What bad requests cost everyone else (issue 8, docs/input-limits.md). The real plan service (createPlanApp) on a
 * local port over PostgreSQL and Kafka, in a schema and topic of its own; BENCH_PLANS plans (default 64). A steady
 * stream of good requests, RecordAssessment (POST /plans/:planId/assessments, PHQ-9) round robin over the plans at
 * BENCH_GOOD_CONNECTIONS (default 8), runs throughout. Beside it, in some slices, a fixed mix of bad requests
 * (below), cycled in order:
 *   - "quiet": the good stream alone;
 *   - "mix at a rate": the bad mix at BENCH_BAD_RATE requests/s in all (default 100), as a hostile client would
 *     send them;
 *   - "mix, closed loop": the bad mix as fast as BENCH_BAD_CONNECTIONS connections (default 8) get answers, i.e.
 *     as many bad requests in flight as good ones.
 * The three cases alternate in short slices (quiet, rate, closed, then closed, rate, quiet, ...) so that drift (the
 * plans' streams grow, other processes share the machine) falls on each alike; a warm-up per case comes first and
 * is not counted. Each case gets BENCH_SECONDS (default 6). Latency is per request, from its write to its answer.
 *
 * It prints the good requests' p50/p99 per case side by side and the ratio to quiet; the goal is a good p99 with
 * the mix no worse than 2× quiet. Exits non-zero on any 5xx, or when a bad request of the mix is not refused.
 */
import { randomInt, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { cleanUpInto, redirectLogs, runScript } from '@golden-loop/service-kit';
import { clinicianBearers, createTestIssuer, issuerEnvironment } from '@golden-loop/service-testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

const secondsPerCase = Number(process.env.BENCH_SECONDS ?? 6);
const planCount = Number(process.env.BENCH_PLANS ?? 64);
const goodConnections = Number(process.env.BENCH_GOOD_CONNECTIONS ?? 8);
const badRate = Number(process.env.BENCH_BAD_RATE ?? 100);
const badConnections = Number(process.env.BENCH_BAD_CONNECTIONS ?? 8);
const sliceSeconds = 2;
const warmupSeconds = 1;
const pauseMs = 300;
const watchdogMs = 240_000;

// ---------------------------------------------------------------------------------------------------------
// autocannon has no type declarations; the part of its API used here.

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  overallRate?: number;
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
// Requests.

const openPlanBody = (planId: string, clinicianId: string) => ({
  planId,
  clientId: randomUUID(),
  clinicianId,
  payerId: null,
  presentingProblem: 'Low mood and worry since a job loss in the spring; avoiding friends and sleeping badly.',
  strengths: ['close to her sister', 'keeps a daily routine'],
  diagnoses: [{ code: 'F32.1', rank: 'primary', description: 'Major depressive disorder, single episode, moderate' }],
  symptoms: [{ diagnosisCode: 'F32.1', description: 'Depressed mood most of the day, nearly every day' }],
  impairments: [{ diagnosisCode: 'F32.1', description: 'Has stopped seeing friends' }],
  service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
});

/** Nine PHQ-9 item responses 0-3 around a mid-band total (no meaningful change, mostly). */
const phq9 = (): string => {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let left = 10 + randomInt(-2, 3); left > 0; left -= 1) {
    const item = randomInt(8);
    items[item] = Math.min(3, items[item] + 1);
  }
  return JSON.stringify({ instrument: 'PHQ-9', items });
};

interface BadRequest {
  readonly name: string;
  readonly method: string;
  /** The path, given a plan to aim at. */
  readonly path: (planId: string) => string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** The answer it must get. */
  readonly status: number;
}

const badMix = (): BadRequest[] => {
  const base = openPlanBody(randomUUID(), randomUUID());
  const json = (value: unknown) => JSON.stringify(value);
  const plans = () => '/plans';
  const unknownKeys = Object.fromEntries(Array.from({ length: 1_900 }, (_, i) => [`k${i}`, i]));
  const invalidDiagnoses = Array.from({ length: 25 }, () => ({ code: 1, rank: [], description: {} }));
  const invalidSymptoms = Array.from({ length: 50 }, () => ({ id: 'x', diagnosisCode: 2, description: 3 }));
  return [
    { name: '10,000 {} (30 kB)', method: 'POST', path: plans, body: json({ ...base, diagnoses: new Array(10_000).fill({}) }), status: 400 },
    { name: 'nested 1,500 deep', method: 'POST', path: plans, body: json(base).replace('"strengths":[', `"strengths":[${'['.repeat(1500)}${']'.repeat(1500)},`), status: 400 },
    { name: 'nested 45,000 deep (90 kB)', method: 'POST', path: plans, body: `${'['.repeat(45_000)}${']'.repeat(45_000)}`, status: 400 },
    { name: 'a 90,000-character string', method: 'POST', path: plans, body: json({ ...base, presentingProblem: 'x'.repeat(90_000) }), status: 400 },
    { name: '200 {} where 25 are allowed', method: 'POST', path: plans, body: json({ ...base, diagnoses: new Array(200).fill({}) }), status: 400 },
    { name: '1,900 unknown fields', method: 'POST', path: plans, body: json({ ...base, ...unknownKeys }), status: 400 },
    { name: '75 invalid items, 225 problems', method: 'POST', path: plans, body: json({ ...base, diagnoses: invalidDiagnoses, symptoms: invalidSymptoms }), status: 400 },
    { name: 'text with NUL', method: 'POST', path: plans, body: json({ ...base, presentingProblem: 'a\u0000b' }), status: 400 },
    { name: 'a gzip bomb (2 MB inflated)', method: 'POST', path: plans, headers: { 'content-encoding': 'gzip' }, body: gzipSync(`{"a":"${' '.repeat(2_000_000)}"}`), status: 413 },
    { name: '90 kB of malformed JSON', method: 'POST', path: plans, body: `{"a":"${'x'.repeat(90_000)}`, status: 400 },
    { name: '200 item responses, to a real plan', method: 'POST', path: (planId) => `/plans/${planId}/assessments`, body: json({ instrument: 'PHQ-9', items: new Array(200).fill(1) }), status: 400 },
    { name: 'revision 1e0 in the path', method: 'POST', path: (planId) => `/plans/${planId}/revisions/1e0/signatures`, body: json({ signerRole: 'client', signerId: randomUUID(), method: 'electronic' }), status: 400 },
  ];
};

// ---------------------------------------------------------------------------------------------------------

class CollectingLog {
  readonly errors: string[] = [];
  write(line: string): void {
    if ((JSON.parse(line) as { level: number }).level >= 50) this.errors.push(line);
  }
}

interface Tally {
  readonly latencies: number[];
  readonly statuses: Map<number, number>;
  seconds: number;
  errors: number;
}

const newTally = (): Tally => ({ latencies: [], statuses: new Map(), seconds: 0, errors: 0 });
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const ms = (value: number) => (value < 10 ? value.toFixed(1) : String(Math.round(value)));
const count = (tally: Tally, matches: (status: number) => boolean) => [...tally.statuses].filter(([status]) => matches(status)).reduce((sum, [, n]) => sum + n, 0);

async function main(): Promise<number> {
  const started = performance.now();
  const repo = join(__dirname, '..', '..', '..');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ensurePostgres } = require(join(repo, 'infra/postgres/postgres.cjs')) as { ensurePostgres(options: { database: string }): Promise<{ url: string }> };
  const { ensureKafka } = require(join(repo, 'infra/kafka/kafka.cjs')) as { ensureKafka(): Promise<{ brokers: string }> };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { url } = await ensurePostgres({ database: 'golden_loop_bench' });
  const { brokers } = await ensureKafka();

  const suffix = randomBytes(4).toString('hex');
  const schema = `plan_hostile_bench_${suffix}`;
  const topic = `bench-plan-hostile-${suffix}`;
  // A token issuer of the bench's own; the rate limit out of the way (a bench drives one clinician far past it).
  const issuer = createTestIssuer();
  const bearerOf = clinicianBearers(issuer);
  Object.assign(process.env, {
    DATABASE_URL: url,
    ...issuerEnvironment(issuer),
    RATE_LIMIT_PER_MINUTE: '100000000',
    PLAN_DB_SCHEMA: schema,
    KAFKA_BROKERS: brokers,
    KAFKA_CLIENT_ID: `plan-hostile-bench-${suffix}`,
    PLAN_EVENTS_TOPIC: topic,
    PORT: '0',
    LOG_LEVEL: 'error',
  });
  const { createPlanApp } = await import('../src/app');
  const db = new Pool({ connectionString: url, max: 1 });
  const kafka = new Kafka({ clientId: `plan-hostile-bench-admin-${suffix}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const logs = new CollectingLog();
  redirectLogs(logs);
  let app: INestApplication | undefined;
  const failures: string[] = [];

  try {
    app = await createPlanApp();
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const plans = Array.from({ length: planCount }, () => ({ planId: randomUUID(), clinicianId: randomUUID() }));
    for (const plan of plans) {
      const response = await fetch(`${base}/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearerOf(plan.clinicianId) },
        body: JSON.stringify(openPlanBody(plan.planId, plan.clinicianId)),
      });
      if (response.status !== 201) throw new Error(`POST /plans answered ${response.status}: ${await response.text()}`);
    }

    let cursor = 0;
    const nextPlan = () => plans[cursor++ % plans.length];
    const good = (tally: Tally, seconds: number) =>
      cannon({
        url: base,
        connections: goodConnections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (request, context) => {
              const plan = nextPlan();
              context.sentAt = performance.now();
              return { ...request, path: `/plans/${plan.planId}/assessments`, headers: { 'content-type': 'application/json', authorization: bearerOf(plan.clinicianId) }, body: phq9() };
            },
            onResponse: (status, _body, context) => {
              tally.latencies.push(performance.now() - (context.sentAt as number));
              tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
            },
          },
        ],
      }).then((result) => {
        tally.seconds += result.duration;
        tally.errors += result.errors + result.timeouts;
      });

    const mix = badMix();
    let badCursor = 0;
    const unexpected = new Map<string, string>();
    const byKind = new Map<string, number[]>();
    const bad = (tally: Tally, seconds: number, mode: 'rate' | 'closed') =>
      cannon({
        url: base,
        connections: badConnections,
        duration: seconds,
        timeout: 10,
        ...(mode === 'rate' ? { overallRate: badRate } : {}),
        requests: [
          {
            method: 'POST',
            setupRequest: (request, context) => {
              const which = mix[badCursor++ % mix.length];
              const plan = nextPlan();
              context.sentAt = performance.now();
              context.which = which;
              return {
                ...request,
                method: which.method,
                path: which.path(plan.planId),
                headers: { 'content-type': 'application/json', authorization: bearerOf(plan.clinicianId), ...which.headers },
                ...(which.body === undefined ? {} : { body: which.body }),
              };
            },
            onResponse: (status, body, context) => {
              const which = context.which as BadRequest;
              const latency = performance.now() - (context.sentAt as number);
              tally.latencies.push(latency);
              byKind.set(which.name, [...(byKind.get(which.name) ?? []), latency]);
              tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
              if (status !== which.status && !unexpected.has(which.name)) unexpected.set(which.name, `${status} ${body.slice(0, 300)}`);
            },
          },
        ],
      }).then((result) => {
        tally.seconds += result.duration;
        tally.errors += result.errors + result.timeouts;
      });

    // What each request costs alone: one at a time, nothing else running; the median latency of 40, and the CPU
    // this process spent per request (the service and the fetch client; PostgreSQL's share is not in it).
    const alone = async (name: string, status: number, send: () => Promise<Response>): Promise<{ latency: number; cpu: number }> => {
      const times: number[] = [];
      const cpuBefore = process.cpuUsage();
      for (let i = 0; i < 40; i += 1) {
        const start = performance.now();
        const response = await send();
        const text = await response.text();
        times.push(performance.now() - start);
        if (response.status !== status) failures.push(`alone, ${name}: answered ${response.status} ${text.slice(0, 300)}`);
      }
      const cpu = process.cpuUsage(cpuBefore);
      return { latency: percentile(times.sort((a, b) => a - b), 50), cpu: (cpu.user + cpu.system) / 1000 / 40 };
    };
    const costAlone: [string, { latency: number; cpu: number }][] = [];
    costAlone.push([
      'good: a PHQ-9',
      await alone('a PHQ-9', 201, () => {
        const plan = nextPlan();
        return fetch(`${base}/plans/${plan.planId}/assessments`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: bearerOf(plan.clinicianId) }, body: phq9() });
      }),
    ]);
    // The largest body a client may send: every list of OpenPlan full (what a bad body is compared with).
    const largest = () => {
      const clinicianId = randomUUID();
      const codes = Array.from({ length: 25 }, (_, i) => `F${40 + i}.${i % 10}`);
      return fetch(`${base}/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearerOf(clinicianId) },
        body: JSON.stringify({
          ...openPlanBody(randomUUID(), clinicianId),
          strengths: Array.from({ length: 20 }, (_, i) => `strength ${i}`),
          diagnoses: codes.map((code, i) => ({ code, rank: i === 0 ? 'primary' : 'secondary', description: `diagnosis ${i}` })),
          symptoms: Array.from({ length: 50 }, (_, i) => ({ diagnosisCode: codes[i % 25], description: `symptom ${i}` })),
          impairments: Array.from({ length: 50 }, (_, i) => ({ diagnosisCode: codes[i % 25], description: `impairment ${i}` })),
        }),
      });
    };
    costAlone.push(['good: the largest OpenPlan', await alone('the largest OpenPlan', 201, largest)]);
    for (const which of mix) {
      const plan = nextPlan();
      costAlone.push([
        which.name,
        await alone(which.name, which.status, () =>
          fetch(`${base}${which.path(plan.planId)}`, {
            method: which.method,
            headers: { 'content-type': 'application/json', authorization: bearerOf(plan.clinicianId), ...which.headers },
            ...(which.body === undefined ? {} : { body: which.body }),
          }),
        ),
      ]);
    }

    type Case = 'quiet' | 'rate' | 'closed';
    const cases: Case[] = ['quiet', 'rate', 'closed'];
    const goodTallies: Record<Case, Tally> = { quiet: newTally(), rate: newTally(), closed: newTally() };
    const badTallies: Record<Exclude<Case, 'quiet'>, Tally> = { rate: newTally(), closed: newTally() };
    const runCase = async (which: Case, seconds: number, goodTally: Tally, badTally?: Tally) => {
      await Promise.all([good(goodTally, seconds), which === 'quiet' ? Promise.resolve() : bad(badTally!, seconds, which)]);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    };
    for (const which of cases) await runCase(which, warmupSeconds, newTally(), newTally());
    const slices = Math.max(2, Math.round(secondsPerCase / sliceSeconds));
    for (let slice = 0; slice < slices; slice += 1) {
      for (const which of slice % 2 === 0 ? cases : [...cases].reverse()) {
        await runCase(which, secondsPerCase / slices, goodTallies[which], which === 'quiet' ? undefined : badTallies[which]);
        process.stderr.write('.');
      }
    }
    process.stderr.write('\n');

    // The report.
    const quiet = [...goodTallies.quiet.latencies].sort((a, b) => a - b);
    const row = (label: string, tally: Tally, badTally?: Tally) => {
      const sorted = [...tally.latencies].sort((a, b) => a - b);
      const badSorted = badTally ? [...badTally.latencies].sort((a, b) => a - b) : [];
      return [
        label,
        String(Math.round(tally.latencies.length / tally.seconds)),
        ms(percentile(sorted, 50)),
        ms(percentile(sorted, 99)),
        `${(percentile(sorted, 50) / percentile(quiet, 50)).toFixed(2)}×`,
        `${(percentile(sorted, 99) / percentile(quiet, 99)).toFixed(2)}×`,
        badTally ? String(Math.round(badTally.latencies.length / badTally.seconds)) : '–',
        badTally ? ms(percentile(badSorted, 50)) : '–',
        badTally ? ms(percentile(badSorted, 99)) : '–',
      ];
    };
    const header = ['case', 'good req/s', 'good p50 ms', 'good p99 ms', 'p50 vs quiet', 'p99 vs quiet', 'bad req/s', 'bad p50 ms', 'bad p99 ms'];
    const table = [
      row('quiet (good stream alone)', goodTallies.quiet),
      row(`mix at ${badRate} bad req/s`, goodTallies.rate, badTallies.rate),
      row(`mix, closed loop (${badConnections} connections)`, goodTallies.closed, badTallies.closed),
    ];
    const widths = header.map((title, column) => Math.max(title.length, ...table.map((cells) => cells[column].length)));
    const line = (cells: string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
    console.log(
      `plan service over HTTP, PostgreSQL and Kafka at ${brokers}; ${planCount} plans; good: POST /plans/:id/assessments at ${goodConnections} connections; ` +
        `${secondsPerCase} s per case in ${slices} alternating slices after a ${warmupSeconds} s warm-up; ${cpus().length} CPUs shared by autocannon (same process), the service, PostgreSQL and Kafka`,
    );
    console.log(`bad mix, cycled: ${mix.map((request) => request.name).join('; ')}`);
    console.log(line(header));
    console.log(`|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`);
    for (const cells of table) console.log(line(cells));
    console.log('each request alone, one at a time: median latency and CPU of this process (service + client) per request, ms');
    for (const [name, cost] of costAlone) console.log(`  ${name.padEnd(36)} ${ms(cost.latency).padStart(5)}  ${cost.cpu.toFixed(2).padStart(6)}`);
    console.log(
      `bad requests, p50 ms by kind (all mixed slices): ${[...byKind]
        .map(([name, latencies]) => `${name} ${ms(percentile([...latencies].sort((a, b) => a - b), 50))}`)
        .join('; ')}`,
    );
    const worst = Math.max(percentile([...goodTallies.rate.latencies].sort((a, b) => a - b), 99), percentile([...goodTallies.closed.latencies].sort((a, b) => a - b), 99));
    console.log(`goal: good p99 with the mix ≤ 2× quiet (${ms(2 * percentile(quiet, 99))} ms): ${worst <= 2 * percentile(quiet, 99) ? 'met' : 'NOT met'} (worst ${ms(worst)} ms)`);
    console.log(`total run time ${((performance.now() - started) / 1000).toFixed(0)} s`);

    for (const [label, tally] of [...Object.entries(goodTallies), ...Object.entries(badTallies)]) {
      if (count(tally, (status) => status >= 500) > 0) failures.push(`${label}: ${count(tally, (status) => status >= 500)} answers 5xx`);
    }
    for (const [label, tally] of Object.entries(goodTallies)) {
      const refused = count(tally, (status) => status >= 400);
      if (refused > 0) failures.push(`${label}: ${refused} good requests refused`);
    }
    for (const [name, answer] of unexpected) failures.push(`bad request "${name}" answered ${answer}`);
    if (logs.errors.length > 0) failures.push(`${logs.errors.length} errors logged, e.g. ${logs.errors[0].slice(0, 400)}`);
  } finally {
    const cleanUp = cleanUpInto(failures);
    await cleanUp('closing the app', async () => app?.close());
    await cleanUp(`deleting topic ${topic}`, async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const topics = await admin.listTopics();
        const ours = [topic, `${topic}.dlq`].filter((name) => topics.includes(name));
        if (ours.length > 0) await admin.deleteTopics({ topics: ours });
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
  console.error(`hostile bench: still running after ${watchdogMs / 1000} s; giving up`);
  process.exit(1);
}, watchdogMs);
watchdog.unref();

runScript(main);
