/**
 * npm run bench:loop
 *
 * The whole loop under an open-loop load: the three services as separate processes (startLoopSystem, on the real
 * PostgreSQL and Kafka, topics and schemas of this run's own). Setup opens BENCH_PLANS plans over HTTP (default
 * 10,000; goal, objective, intervention, both signatures and a baseline PHQ-9 of 4 each), shared by
 * BENCH_CLINICIANS clinicians (default 100), BENCH_SETUP_CONCURRENCY at a time (default 16), and waits until the
 * topics are quiet. Then it analyses the run's tables, as autovacuum would on a deployed server (BENCH_ANALYZE=0
 * skips it; docs/loop-performance.md).
 *
 * Then, per rate R of BENCH_RATES (default 100,250,500,1000,2000; after the last one it doubles while the rate is
 * sustained), a generator posts PHQ-9 assessments on a fixed schedule for BENCH_SECONDS (default 10), whatever the
 * answers: request i leaves at start + i/R. Each goes to the next plan of a round robin that has no request in
 * flight, its total alternating 4 and 20 (item 9 at 0), so every one is a SymptomsChanged. At most
 * BENCH_MAX_IN_FLIGHT requests are open (default 1,000): a send due beyond that is dropped and counted. A 3 s
 * warm-up at the first rate comes first and is not counted.
 *
 * Per change, from the request's scheduled send time t0, a kafkajs consumer of the bench (one group over the three
 * topics) times (a) the review task: the ReviewTaskOpened / ReviewTaskTriggerJoined naming the SymptomsChanged, and
 * (b) the readiness check: the AuthorizationCheckCompleted it triggered. The parts (where the time goes): HTTP
 * (t0 → 201; split at the event's time, when the plan service decided: queueing/parsing/auth vs append and answer),
 * plan relay (201 → SymptomsChanged on Kafka, the outbox relay), review consumer (SymptomsChanged seen → review event
 * seen; split at the review event's time: consume and decide vs append and relay), billing likewise. The services'
 * /metrics (CPU seconds, server-side HTTP and append durations) are read before and after every rate.
 *
 * A rate is sustained when at least 95 % of R was accepted (201) and every change's (a) and (b) arrived within
 * BENCH_LAG_SECONDS (default 3) of the rate's end (lag not growing). The run stops at the first rate that is not,
 * after waiting up to BENCH_DRAIN_SECONDS (default 60) for its stragglers. Prints a table and writes the result to
 * tmp/bench-loop.json. Goals (issue): p99 ≤ 250 ms at 500 changes/s; the highest sustained rate ≥ 2,000/s. Missed
 * goals are reported, not failed: exits 0 when the bench ran, 1 when setup failed.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { catalogueEntryOfType, decodeEvent } from '@golden-loop/contracts';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { Pool } from 'pg';
import { aGoalRequest, anInterventionRequest, anObjectiveRequest, anOpenPlanRequest, phq9 } from '../../../services/plan/src/test-support/plan-requests';
import { SERVICES, startLoopSystem, type LoopSystem, type ServiceName } from './loop-system';

const numberOf = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const planCount = Math.floor(numberOf('BENCH_PLANS', 10_000));
const clinicianCount = Math.min(planCount, Math.floor(numberOf('BENCH_CLINICIANS', 100)));
const setupConcurrency = Math.floor(numberOf('BENCH_SETUP_CONCURRENCY', 16));
const secondsPerRate = numberOf('BENCH_SECONDS', 10);
const listedRates = (process.env.BENCH_RATES ?? '100,250,500,1000,2000').split(',').map((r) => Number(r.trim()));
const maxInFlight = Math.floor(numberOf('BENCH_MAX_IN_FLIGHT', 1_000));
const connections = Math.floor(numberOf('BENCH_CONNECTIONS', 64));
const lagLimitSeconds = numberOf('BENCH_LAG_SECONDS', 3);
const drainSeconds = numberOf('BENCH_DRAIN_SECONDS', 60);
const maxRate = numberOf('BENCH_MAX_RATE', 64_000);
const warmupSeconds = 3;
/** How long the three topics must be silent for the system to count as caught up (after setup; half of it between rates). */
const quietMs = 2_000;
const sampleMs = 500;
/** The generator's tick: the sends due since the last one leave together (their lateness counts: t0 is the schedule). */
const tickMs = 5;
const sustainedShare = 0.95;
const goals = { p99Ms: 250, p99AtRate: 500, sustainedRate: 2_000 };

const COMMERCIAL_PAYER = 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a04';
const LOW = 4;
const HIGH = 20;
const resultFile = join(__dirname, '..', '..', '..', 'tmp', 'bench-loop.json');

/** Epoch milliseconds with sub-millisecond resolution: comparable with the events' `time` (same machine, same clock). */
const now = (): number => performance.timeOrigin + performance.now();
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const format = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';

// ---------------------------------------------------------------------------------------------------------
// HTTP: node:http on keep-alive connections (cheaper per request than fetch on a machine the services share).

const agent = new Agent({ keepAlive: true, maxSockets: connections });

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request; `payload` is the JSON body as text. */
const send = (base: URL, method: string, path: string, token: string, payload?: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

const call = (base: URL, method: string, path: string, token: string, body?: unknown): Promise<Answer> =>
  send(base, method, path, token, body === undefined ? undefined : JSON.stringify(body));

// ---------------------------------------------------------------------------------------------------------
// Machine figures: the whole machine's busy share (/proc/stat), and the CPU of every PostgreSQL and Java process.

/** Busy (steal included: a hypervisor's other guests) and total jiffies of the whole machine, and the steal alone. */
const machineTicks = (): { busy: number; total: number; steal: number } => {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
    const ticks = cpu.trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total, steal: ticks[7] ?? 0 };
  } catch {
    return { busy: Number.NaN, total: Number.NaN, steal: Number.NaN };
  }
};

/**
 * CPU ticks of the processes named postgres and java: PostgreSQL and the Kafka broker (and any other JVM). utime and
 * stime, plus the reaped children's (cutime, cstime): the postmaster's count the backends that ended meanwhile.
 * PostgreSQL's also by process: the client backends together (the ended ones through the postmaster), each
 * background process by its title.
 */
const processTicks = (): { postgres: number; java: number; postgresBy: Map<string, number> } => {
  const totals = { postgres: 0, java: 0, postgresBy: new Map<string, number>() };
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const comm = stat.slice(stat.indexOf('(') + 1, close);
        if (comm !== 'postgres' && comm !== 'java') continue;
        const fields = stat.slice(close + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
        totals[comm] += ticks;
        if (comm === 'postgres') {
          const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
          // The postmaster's own ticks are few; its children's are those of ended backends (a pool's idle ones closing).
          const kind = /\(\d+\)|\[local\]/.test(title) || !title.startsWith('postgres:') ? 'client backends' : title.replace(/^postgres:\s*(\d+\/\w+:\s*)?/, '').split(/\s+/).slice(0, 2).join(' ');
          totals.postgresBy.set(kind, (totals.postgresBy.get(kind) ?? 0) + ticks);
        }
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return { postgres: Number.NaN, java: Number.NaN, postgresBy: new Map() };
  }
  return totals;
};
const TICKS_PER_SECOND = 100;

// ---------------------------------------------------------------------------------------------------------
// The services' own figures from /metrics (Prometheus text): CPU seconds, server-side HTTP and append durations.

type Scrape = Record<ServiceName, Map<string, number>>;

const parseMetrics = (text: string): Map<string, number> => {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    values.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return values;
};

const scrape = async (system: LoopSystem): Promise<Scrape> => {
  const entries = await Promise.all(
    SERVICES.map(async (service) => {
      try {
        const response = await call(new URL(system.urls[service]), 'GET', '/metrics', '');
        return [service, parseMetrics(response.body)] as const;
      } catch {
        return [service, new Map<string, number>()] as const;
      }
    }),
  );
  return Object.fromEntries(entries) as Scrape;
};

/** The sum of every series whose name is `name` and whose labels contain each of `labels`. */
const metric = (values: Map<string, number>, name: string, labels: readonly string[] = []): number => {
  let sum = 0;
  for (const [series, value] of values) {
    const brace = series.indexOf('{');
    const seriesName = brace === -1 ? series : series.slice(0, brace);
    if (seriesName === name && labels.every((label) => series.includes(label))) sum += value;
  }
  return sum;
};

interface ServiceFigures {
  /** CPU milliseconds of the service process per change of the rate. */
  cpuMsPerChange: number;
  /** Share of one core the service process used during the rate. */
  coreShare: number;
  /** Mean event-store append (with its outbox rows) as the service timed it, ms; and how many appends. */
  appendMeanMs: number;
  appends: number;
}

const serviceFigures = (before: Scrape, after: Scrape, changes: number, seconds: number): Record<ServiceName, ServiceFigures> =>
  Object.fromEntries(
    SERVICES.map((service) => {
      const delta = (name: string, labels: readonly string[] = []) => metric(after[service], name, labels) - metric(before[service], name, labels);
      const cpu = delta('process_cpu_seconds_total');
      const appends = delta('event_store_append_duration_seconds_count');
      return [
        service,
        {
          cpuMsPerChange: (cpu * 1000) / changes,
          coreShare: cpu / seconds,
          appendMeanMs: (delta('event_store_append_duration_seconds_sum') * 1000) / appends,
          appends,
        },
      ];
    }),
  ) as Record<ServiceName, ServiceFigures>;

const serverHttpMeanMs = (before: Scrape, after: Scrape): number => {
  const labels = ['method="POST"', 'route="/plans/:planId/assessments"', 'status="201"'];
  const d = (name: string) => metric(after.plan, name, labels) - metric(before.plan, name, labels);
  return (d('http_request_duration_seconds_sum') * 1000) / d('http_request_duration_seconds_count');
};

// ---------------------------------------------------------------------------------------------------------
// Percentiles

interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const percentiles = (values: number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]);
  const round = (v: number) => Math.round(v * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(at(1)) };
};

// ---------------------------------------------------------------------------------------------------------
// The load: plans, the changes made, and what the bench's consumer saw.

interface Plan {
  readonly planId: string;
  readonly token: string;
  lastTotal: number;
  busy: boolean;
}

interface RateStats {
  readonly rate: number;
  readonly warmup: boolean;
  sent: number;
  dropped: number;
  accepted: number;
  errors: number;
  readonly statuses: Record<string, number>;
  notChanges: number;
  changes: number;
  complete: number;
  inFlight: number;
  readonly httpMs: number[];
  /** How late each request left after its scheduled time (the bench's own event loop). */
  readonly lateMs: number[];
  readonly records: Change[];
  readonly backlog: { t: number; inFlight: number; waiting: number }[];
}

interface Change {
  readonly stats: RateStats;
  readonly assessmentId: string;
  /** Scheduled send time, the 201, and the event's own time (when the plan service decided). */
  readonly t0: number;
  readonly t1: number;
  eventId?: string;
  decided?: number;
  /** SymptomsChanged seen on Kafka by the bench. */
  t2?: number;
  reviewDecided?: number;
  t3?: number;
  checkDecided?: number;
  t4?: number;
  done: boolean;
}

interface Seen {
  readonly at: number;
  readonly decided: number;
}

class Tracker {
  private readonly byAssessment = new Map<string, Change>();
  private readonly byEvent = new Map<string, Change>();
  private readonly symptoms = new Map<string, Seen & { eventId: string }>();
  private readonly reviews = new Map<string, Seen>();
  private readonly checks = new Map<string, Seen>();
  messages = 0;
  decoded = 0;
  violations = 0;
  /** Times kafkajs restarted the bench's consumer after a failure (a broker restart, say): that period's figures are suspect. */
  restarts = 0;
  lastMessageAt = now();

  accepted(change: Change): void {
    this.byAssessment.set(change.assessmentId, change);
    this.link(change);
  }

  /** One Kafka record, seen at `at`: only the three kinds the bench times are decoded (and validated). */
  observe(message: KafkaMessage, at: number): void {
    this.messages += 1;
    this.lastMessageAt = at;
    const type = message.headers?.ce_type?.toString();
    const name = type === undefined ? undefined : catalogueEntryOfType(type)?.name;
    if (name !== 'SymptomsChanged' && name !== 'ReviewTaskOpened' && name !== 'ReviewTaskTriggerJoined' && name !== 'AuthorizationCheckCompleted') return;
    let event: ReturnType<typeof decodeEvent>;
    try {
      event = decodeEvent(message);
    } catch {
      this.violations += 1;
      return;
    }
    this.decoded += 1;
    const decided = Date.parse(event.envelope.time);
    switch (event.name) {
      case 'SymptomsChanged': {
        this.symptoms.set(event.payload.assessmentId, { at, decided, eventId: event.envelope.id });
        const change = this.byAssessment.get(event.payload.assessmentId);
        if (change) this.link(change);
        return;
      }
      case 'ReviewTaskOpened':
        for (const id of event.payload.triggeredBy) this.saw(this.reviews, id, { at, decided });
        return;
      case 'ReviewTaskTriggerJoined':
        if (event.payload.joinedBy !== null) this.saw(this.reviews, event.payload.joinedBy, { at, decided });
        return;
      case 'AuthorizationCheckCompleted':
        if (event.payload.triggeredBy !== null && event.payload.triggeredBy !== undefined) this.saw(this.checks, event.payload.triggeredBy, { at, decided });
        return;
      default:
        return;
    }
  }

  /** Forgets what no change of this run claimed within a minute (checks caused by AssessmentRecorded and the like). */
  prune(): void {
    const cutoff = now() - 60_000;
    for (const map of [this.symptoms, this.reviews, this.checks] as Map<string, Seen>[]) {
      for (const [key, seen] of map) if (seen.at < cutoff) map.delete(key);
    }
  }

  private saw(map: Map<string, Seen>, eventId: string, seen: Seen): void {
    if (map.has(eventId)) return;
    const change = this.byEvent.get(eventId);
    if (change && (map === this.reviews ? change.t3 : change.t4) !== undefined) return;
    map.set(eventId, seen);
    if (change) this.link(change);
  }

  private link(change: Change): void {
    if (change.eventId === undefined) {
      const seen = this.symptoms.get(change.assessmentId);
      if (!seen) return;
      this.symptoms.delete(change.assessmentId);
      change.eventId = seen.eventId;
      change.decided = seen.decided;
      change.t2 = seen.at;
      this.byEvent.set(seen.eventId, change);
    }
    const review = change.t3 === undefined ? this.reviews.get(change.eventId) : undefined;
    if (review) {
      this.reviews.delete(change.eventId);
      change.t3 = review.at;
      change.reviewDecided = review.decided;
    }
    const check = change.t4 === undefined ? this.checks.get(change.eventId) : undefined;
    if (check) {
      this.checks.delete(change.eventId);
      change.t4 = check.at;
      change.checkDecided = check.decided;
    }
    if (!change.done && change.t3 !== undefined && change.t4 !== undefined) {
      change.done = true;
      change.stats.complete += 1;
      this.byAssessment.delete(change.assessmentId);
      this.byEvent.delete(change.eventId);
    }
  }
}

const newStats = (rate: number, warmup: boolean): RateStats => ({
  rate,
  warmup,
  sent: 0,
  dropped: 0,
  accepted: 0,
  errors: 0,
  statuses: {},
  notChanges: 0,
  changes: 0,
  complete: 0,
  inFlight: 0,
  httpMs: [],
  lateMs: [],
  records: [],
  backlog: [],
});

// ---------------------------------------------------------------------------------------------------------

interface RateResult {
  rate: number;
  seconds: number;
  sent: number;
  dropped: number;
  accepted: number;
  acceptedPerSecond: number;
  errors: number;
  statuses: Record<string, number>;
  notChanges: number;
  changes: number;
  complete: number;
  missing: number;
  /** Seconds after the rate's end until every change's (a) and (b) had arrived; null when they did not within the drain timeout. */
  drainedAfterSeconds: number | null;
  backlogAtEnd: number;
  consumerRestarts: number;
  sustained: boolean;
  why: string | null;
  taskMs: Percentiles;
  checkMs: Percentiles;
  parts: Record<string, Percentiles>;
  server: {
    planHttpMeanMs: number;
    services: Record<ServiceName, ServiceFigures>;
    benchCpuMsPerChange: number;
    /** The bench's event-loop delay, p99 (ms): how late it could notice a response or a record. */
    benchLoopDelayP99Ms: number;
    postgresCoreShare: number;
    javaCoreShare: number;
    postgresCpuMsPerChange: number;
    /** PostgreSQL's CPU ms per change by process (client backends; each background process). */
    postgresCpuMsPerChangeBy: Record<string, number>;
    javaCpuMsPerChange: number;
    /** The CPU of the three services, the bench, PostgreSQL and the JVMs per change; and the rate the cores could carry at that cost. */
    totalCpuMsPerChange: number;
    cpuCeilingPerSecond: number;
    machineBusy: number;
    /** Of the machine's time, the share the hypervisor gave to others (steal). */
    machineSteal: number;
    /** Of the machine's time, the busy share none of the processes above account for: everyone else's work (and the kernel's). */
    othersShare: number;
    loadavg: number[];
  };
  backlog: RateStats['backlog'];
  statements: StatementProfile;
}

// ---------------------------------------------------------------------------------------------------------
// Which statements PostgreSQL spent the rate on: pg_stat_statements, when the server loads it (the machine's does
// not; a server started with shared_preload_libraries=pg_stat_statements does, see docs/loop-performance.md). Reset
// before each rate, read after its drain; every service's statements in this database, the pollers' included.

interface StatementFigure {
  query: string;
  callsPerChange: number;
  execUsPerChange: number;
  /** Planning (0 unless the server sets pg_stat_statements.track_planning). */
  planUsPerChange: number;
  rowsPerCall: number;
}
interface StatementProfile {
  available: boolean;
  top: StatementFigure[];
  callsPerChange: number;
  execUsPerChange: number;
  planUsPerChange: number;
}

const statementProfiler = async (databaseUrl: string) => {
  const db = new Pool({ connectionString: databaseUrl, max: 1 });
  const available = await db
    .query(`SELECT 1 FROM pg_stat_statements LIMIT 1`)
    .then(() => true)
    .catch(() => false);
  return {
    available,
    reset: async () => {
      if (available) await db.query('SELECT pg_stat_statements_reset()');
    },
    read: async (changes: number): Promise<StatementProfile> => {
      if (!available) return { available, top: [], callsPerChange: 0, execUsPerChange: 0, planUsPerChange: 0 };
      const { rows } = await db.query<{ query: string; calls: string; total: number; plan: number; rows: string }>(
        `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, total_exec_time AS total, total_plan_time AS plan, rows FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
          ORDER BY total_exec_time + total_plan_time DESC`,
      );
      const figures = rows.map((r) => ({
        query: r.query.slice(0, 160),
        callsPerChange: Number(r.calls) / changes,
        execUsPerChange: (r.total * 1000) / changes,
        planUsPerChange: (r.plan * 1000) / changes,
        rowsPerCall: Number(r.rows) / Math.max(1, Number(r.calls)),
      }));
      return {
        available,
        top: figures.slice(0, 25),
        callsPerChange: figures.reduce((sum, f) => sum + f.callsPerChange, 0),
        execUsPerChange: figures.reduce((sum, f) => sum + f.execUsPerChange, 0),
        planUsPerChange: figures.reduce((sum, f) => sum + f.planUsPerChange, 0),
      };
    },
    end: () => db.end().catch(() => undefined),
  };
};

const cpuFigures = (m: {
  planHttpMeanMs: number;
  services: Record<ServiceName, ServiceFigures>;
  benchCpuMs: number;
  benchLoopDelayP99Ms: number;
  postgresCpuMs: number;
  postgresCpuMsBy: Record<string, number>;
  javaCpuMs: number;
  machineBusy: number;
  machineSteal: number;
  changes: number;
  windowSeconds: number;
}): RateResult['server'] => {
  const perChange = (ms: number) => ms / m.changes;
  const total =
    SERVICES.reduce((sum, service) => sum + m.services[service].cpuMsPerChange, 0) + perChange(m.benchCpuMs) + perChange(m.postgresCpuMs) + perChange(m.javaCpuMs);
  return {
    planHttpMeanMs: m.planHttpMeanMs,
    services: m.services,
    benchCpuMsPerChange: perChange(m.benchCpuMs),
    benchLoopDelayP99Ms: m.benchLoopDelayP99Ms,
    postgresCoreShare: m.postgresCpuMs / 1000 / m.windowSeconds,
    javaCoreShare: m.javaCpuMs / 1000 / m.windowSeconds,
    postgresCpuMsPerChange: perChange(m.postgresCpuMs),
    postgresCpuMsPerChangeBy: Object.fromEntries(Object.entries(m.postgresCpuMsBy).map(([kind, ms]) => [kind, perChange(ms)])),
    javaCpuMsPerChange: perChange(m.javaCpuMs),
    totalCpuMsPerChange: total,
    cpuCeilingPerSecond: (cpus().length * 1000) / total,
    machineBusy: m.machineBusy,
    machineSteal: m.machineSteal,
    othersShare: m.machineBusy - (total * m.changes) / 1000 / m.windowSeconds / cpus().length,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
};

/**
 * What autovacuum does on a deployed server, once, after setup: statistics for the run's tables. The services
 * prepare their statements with generic plans; made while a table was empty, a plan stays a sequential scan until
 * the table is analysed, which on a server without autovacuum (this machine's) never happens.
 */
const analyzeRun = async (system: LoopSystem): Promise<{ tables: number; ms: number; autovacuum: string }> => {
  const db = new Pool({ connectionString: system.databaseUrl, max: 1 });
  try {
    const began = now();
    const { rows } = await db.query<{ schemaname: string; tablename: string }>('SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY($1)', [Object.values(system.schemas)]);
    for (const { schemaname, tablename } of rows) await db.query(`ANALYZE "${schemaname}"."${tablename}"`);
    const { rows: setting } = await db.query<{ autovacuum: string }>('SHOW autovacuum');
    return { tables: rows.length, ms: now() - began, autovacuum: setting[0].autovacuum };
  } finally {
    await db.end().catch(() => undefined);
  }
};

const main = async (): Promise<number> => {
  const runStarted = now();
  const machineAtStart = machineTicks();
  const cpuAtStart = process.cpuUsage();
  console.log(
    `loop bench: ${format(planCount)} plans of ${format(clinicianCount)} clinicians, rates ${listedRates.join(', ')}/s (then ×2 while sustained), ` +
      `${secondsPerRate} s each, ≤ ${format(maxInFlight)} requests in flight on ${connections} connections; ` +
      `${cpus().length} cores, load average ${loadavg().map((l) => format(l, 2)).join(' ')}, Node.js ${process.version}`,
  );

  let system: LoopSystem;
  try {
    system = await startLoopSystem({ name: 'bench' });
  } catch (error) {
    console.error('setup failed: the loop system did not start', error);
    return 1;
  }
  const kafka = new Kafka({ clientId: `bench-loop-${randomUUID().slice(0, 8)}`, brokers: system.brokers.split(','), logLevel: logLevel.NOTHING });
  const groupId = `bench-loop-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const tracker = new Tracker();
  let consumerError: unknown;
  const pruner = setInterval(() => tracker.prune(), 10_000);
  const plan = new URL(system.urls.plan);

  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    clearInterval(pruner);
    await consumer.disconnect().catch(() => undefined);
    await system.stop().catch(() => undefined);
    agent.destroy();
    if (process.env.BENCH_KEEP === '1') return;
    await system.remove();
    const admin = kafka.admin();
    await admin.connect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  };

  // ----- setup: the consumer first (the topics are new: from the beginning means from now), then the plans.
  const setupStarted = now();
  const plans: Plan[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: Object.values(system.topics), fromBeginning: true });
    // kafkajs restarts the consumer after a retriable failure (the broker gone for a while): counted, and the run goes on.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) tracker.restarts += 1;
      else consumerError = payload.error;
    });
    await consumer.run({
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 3,
      eachBatch: ({ batch }) => {
        const at = now();
        for (const message of batch.messages) tracker.observe(message, at);
        return Promise.resolve();
      },
    });

    const clinicians = Array.from({ length: clinicianCount }, () => {
      const clinicianId = randomUUID();
      return { clinicianId, token: system.issuer.mint({ sub: clinicianId, roles: ['clinician'] }) };
    });
    const targetDate = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
    const must = async (path: string, token: string, body: unknown): Promise<{ planId: string; id?: string }> => {
      const answer = await call(plan, 'POST', path, token, body);
      if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
      return JSON.parse(answer.body) as { planId: string; id?: string };
    };
    const openPlan = async (index: number): Promise<Plan> => {
      const { clinicianId, token } = clinicians[index % clinicianCount];
      const clientId = randomUUID();
      const { planId } = await must('/plans', token, anOpenPlanRequest({ clientId, clinicianId, payerId: COMMERCIAL_PAYER }));
      const goal = await must(`/plans/${planId}/draft/goals`, token, aGoalRequest());
      const objective = await must(`/plans/${planId}/draft/objectives`, token, anObjectiveRequest(goal.id!, { targetDate }));
      await must(`/plans/${planId}/draft/interventions`, token, anInterventionRequest(objective.id!));
      await must(`/plans/${planId}/revisions/1/signatures`, token, { signerRole: 'client', signerId: clientId, method: 'verbal_attested' });
      await must(`/plans/${planId}/revisions/1/signatures`, token, { signerRole: 'clinician', signerId: clinicianId, method: 'electronic' });
      // The baseline: the first assessment of a plan is never a change.
      await must(`/plans/${planId}/assessments`, token, { instrument: 'PHQ-9', items: phq9(LOW) });
      return { planId, token, lastTotal: LOW, busy: false };
    };
    let next = 0;
    let lastReport = now();
    await Promise.all(
      Array.from({ length: setupConcurrency }, async () => {
        while (next < planCount) {
          const index = next++;
          plans.push(await openPlan(index));
          if (now() - lastReport > 15_000) {
            lastReport = now();
            console.log(`  setup: ${format(plans.length)} of ${format(planCount)} plans open after ${format((lastReport - setupStarted) / 1000, 1)} s`);
          }
        }
      }),
    );
    const opened = now();
    // Until the relays and consumers have caught up with the setup (no record for quietMs, at most two minutes).
    while (now() - tracker.lastMessageAt < quietMs && now() - opened < 120_000) await sleep(100);
    if (consumerError !== undefined) throw asError(consumerError);
    const setupSeconds = (now() - setupStarted) / 1000;
    console.log(
      `setup: ${format(planCount)} plans opened (7 requests each, ${setupConcurrency} at a time) in ${format((opened - setupStarted) / 1000, 1)} s ` +
        `(${format((planCount * 7) / ((opened - setupStarted) / 1000))} requests/s); topics quiet (${quietMs / 1000} s without a record) after ${format(setupSeconds, 1)} s; ` +
        `${format(tracker.messages)} records seen on the three topics`,
    );
    if (process.env.BENCH_ANALYZE !== '0') {
      const analyzed = await analyzeRun(system);
      console.log(
        `statistics: ANALYZE of the run's ${analyzed.tables} tables in ${format(analyzed.ms)} ms (the server's autovacuum is ${analyzed.autovacuum}; ` +
          'docs/loop-performance.md, "Plans made on empty tables"; BENCH_ANALYZE=0 skips it)',
      );
    }
    const code = await load(system, plans, tracker, () => consumerError, { setupSeconds, runStarted, machineAtStart, cpuAtStart });
    await cleanup();
    return code;
  } catch (error) {
    console.error(`failed after ${format((now() - setupStarted) / 1000, 1)} s (${format(plans.length)} plans open):`, error);
    if (system.errors.length > 0) console.error(`the services wrote:\n${system.errors.slice(0, 20).join('\n')}`);
    await cleanup();
    return 1;
  }
};

const load = async (
  system: LoopSystem,
  plans: Plan[],
  tracker: Tracker,
  consumerError: () => unknown,
  run: { setupSeconds: number; runStarted: number; machineAtStart: ReturnType<typeof machineTicks>; cpuAtStart: NodeJS.CpuUsage },
): Promise<number> => {
  const planUrl = new URL(system.urls.plan);
  let cursor = 0;
  const bodies = { [LOW]: JSON.stringify({ instrument: 'PHQ-9', items: phq9(LOW) }), [HIGH]: JSON.stringify({ instrument: 'PHQ-9', items: phq9(HIGH) }) };
  const inFlightAll = { n: 0 };

  /** The next plan of the round robin with no request in flight (so each plan's totals alternate in order). */
  const nextPlan = (): Plan | undefined => {
    for (let tries = 0; tries < 256; tries++) {
      const candidate = plans[cursor];
      cursor = (cursor + 1) % plans.length;
      if (!candidate.busy) return candidate;
    }
    return undefined;
  };

  const fire = (t0: number, stats: RateStats): void => {
    stats.sent += 1;
    const target = inFlightAll.n < maxInFlight ? nextPlan() : undefined;
    if (!target) {
      stats.dropped += 1;
      return;
    }
    const total = target.lastTotal === LOW ? HIGH : LOW;
    stats.lateMs.push(now() - t0);
    target.busy = true;
    inFlightAll.n += 1;
    stats.inFlight += 1;
    const settle = () => {
      target.busy = false;
      inFlightAll.n -= 1;
      stats.inFlight -= 1;
    };
    send(planUrl, 'POST', `/plans/${target.planId}/assessments`, target.token, bodies[total]).then(
      (answer) => {
        const t1 = now();
        settle();
        stats.statuses[answer.status] = (stats.statuses[answer.status] ?? 0) + 1;
        if (answer.status !== 201) {
          stats.errors += 1;
          return;
        }
        stats.accepted += 1;
        stats.httpMs.push(t1 - t0);
        target.lastTotal = total;
        const body = JSON.parse(answer.body) as { id: string; events: string[] };
        if (!body.events.includes('SymptomsChanged')) {
          stats.notChanges += 1;
          return;
        }
        stats.changes += 1;
        const change: Change = { stats, assessmentId: body.id, t0, t1, done: false };
        stats.records.push(change);
        tracker.accepted(change);
      },
      (error: NodeJS.ErrnoException) => {
        settle();
        stats.errors += 1;
        const code = error.code ?? 'network';
        stats.statuses[code] = (stats.statuses[code] ?? 0) + 1;
      },
    );
  };

  /** Sends at `rate` for `seconds` on a fixed schedule; resolves at the end of the window. */
  const generate = (rate: number, seconds: number, stats: RateStats): Promise<number> =>
    new Promise((resolve) => {
      const start = now() + 5;
      const count = Math.round(rate * seconds);
      let sent = 0;
      let nextSample = start;
      const timer = setInterval(() => {
        const t = now();
        while (sent < count && start + (sent * 1000) / rate <= t) {
          fire(start + (sent * 1000) / rate, stats);
          sent += 1;
        }
        if (t >= nextSample) {
          nextSample += sampleMs;
          stats.backlog.push({ t: Math.round(t - start) / 1000, inFlight: stats.inFlight, waiting: stats.changes - stats.complete });
        }
        if (sent >= count) {
          clearInterval(timer);
          resolve(start + seconds * 1000);
        }
      }, tickMs);
    });

  const waitQuiet = async (timeoutMs: number) => {
    const began = now();
    while (now() - tracker.lastMessageAt < quietMs / 2 && now() - began < timeoutMs) await sleep(50);
  };

  // ----- warm-up at the first rate, not counted.
  const warm = newStats(listedRates[0], true);
  await generate(listedRates[0], warmupSeconds, warm);
  const warmDeadline = now() + drainSeconds * 1000;
  while ((warm.inFlight > 0 || warm.complete < warm.changes) && now() < warmDeadline) await sleep(20);
  await waitQuiet(10_000);
  console.log(`warm-up: ${warm.sent} assessments at ${listedRates[0]}/s, ${warm.complete} of ${warm.changes} changes through the loop`);
  if (warm.changes === 0) throw new Error(`the warm-up recorded no SymptomsChanged (answers: ${JSON.stringify(warm.statuses)})`);

  const results: RateResult[] = [];
  const rates = [...listedRates];
  const profiler = await statementProfiler(system.databaseUrl);
  for (let i = 0; i < rates.length; i++) {
    const rate = rates[i];
    const stats = newStats(rate, false);
    const before = await scrape(system);
    const restartsBefore = tracker.restarts;
    const machineBefore = machineTicks();
    const procBefore = processTicks();
    const cpuBefore = process.cpuUsage();
    await profiler.reset();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const began = now();
    const end = await generate(rate, secondsPerRate, stats);
    // Until every accepted change has its (a) and (b), or the drain timeout.
    const deadline = end + drainSeconds * 1000;
    let drainedAt = Number.NaN;
    while (now() < deadline) {
      if (stats.inFlight === 0 && stats.complete >= stats.changes) {
        drainedAt = now();
        break;
      }
      await sleep(10);
    }
    loopDelay.disable();
    const windowSeconds = (now() - began) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const procAfter = processTicks();
    const machineAfter = machineTicks();
    const after = await scrape(system);
    const statements = await profiler.read(Math.max(1, stats.changes));
    const atEnd = stats.backlog[stats.backlog.length - 1];

    const done = stats.records.filter((c) => c.done);
    const d = (pick: (c: Change) => number) => percentiles(done.map(pick));
    const drainedAfter = Number.isNaN(drainedAt) ? null : Math.max(0, (drainedAt - end) / 1000);
    const acceptedPerSecond = stats.accepted / secondsPerRate;
    const reasons: string[] = [];
    if (acceptedPerSecond < sustainedShare * rate) reasons.push(`accepted ${format(acceptedPerSecond)}/s < ${sustainedShare * 100} % of ${rate}/s`);
    if (drainedAfter === null) reasons.push(`${stats.changes - stats.complete} changes still missing ${drainSeconds} s after the end`);
    else if (drainedAfter > lagLimitSeconds) reasons.push(`lag grew: the last changes arrived ${format(drainedAfter, 1)} s after the end (> ${lagLimitSeconds} s)`);
    const result: RateResult = {
      rate,
      seconds: secondsPerRate,
      sent: stats.sent,
      dropped: stats.dropped,
      accepted: stats.accepted,
      acceptedPerSecond,
      errors: stats.errors,
      statuses: stats.statuses,
      notChanges: stats.notChanges,
      changes: stats.changes,
      complete: stats.complete,
      missing: stats.changes - stats.complete,
      drainedAfterSeconds: drainedAfter === null ? null : Math.round(drainedAfter * 1000) / 1000,
      backlogAtEnd: atEnd ? atEnd.inFlight + atEnd.waiting : 0,
      consumerRestarts: tracker.restarts - restartsBefore,
      sustained: reasons.length === 0,
      why: reasons.length === 0 ? null : reasons.join('; '),
      taskMs: d((c) => c.t3! - c.t0),
      checkMs: d((c) => c.t4! - c.t0),
      parts: {
        late: percentiles(stats.lateMs),
        http: percentiles(stats.httpMs),
        httpToDecision: d((c) => c.decided! - c.t0),
        httpDecisionTo201: d((c) => c.t1 - c.decided!),
        planRelay: d((c) => c.t2! - c.t1),
        reviewConsumer: d((c) => c.t3! - c.t2!),
        reviewToDecision: d((c) => c.reviewDecided! - c.t2!),
        reviewDecisionToSeen: d((c) => c.t3! - c.reviewDecided!),
        billingConsumer: d((c) => c.t4! - c.t2!),
        billingToDecision: d((c) => c.checkDecided! - c.t2!),
        billingDecisionToSeen: d((c) => c.t4! - c.checkDecided!),
      },
      server: cpuFigures({
        planHttpMeanMs: serverHttpMeanMs(before, after),
        services: serviceFigures(before, after, Math.max(1, stats.changes), windowSeconds),
        benchCpuMs: (cpu.user + cpu.system) / 1000,
        benchLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        postgresCpuMs: ((procAfter.postgres - procBefore.postgres) / TICKS_PER_SECOND) * 1000,
        postgresCpuMsBy: Object.fromEntries([...procAfter.postgresBy].map(([kind, ticks]) => [kind, ((ticks - (procBefore.postgresBy.get(kind) ?? 0)) / TICKS_PER_SECOND) * 1000])),
        javaCpuMs: ((procAfter.java - procBefore.java) / TICKS_PER_SECOND) * 1000,
        machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
        machineSteal: (machineAfter.steal - machineBefore.steal) / (machineAfter.total - machineBefore.total),
        changes: Math.max(1, stats.changes),
        windowSeconds,
      }),
      backlog: stats.backlog,
      statements,
    };
    results.push(result);
    console.log(
      `  ${rate}/s: ${format(acceptedPerSecond)}/s accepted, ${format(stats.complete)}/${format(stats.changes)} changes through, ` +
        `(a) p99 ${format(result.taskMs.p99)} ms, (b) p99 ${format(result.checkMs.p99)} ms, ` +
        `drained ${drainedAfter === null ? 'not' : `${format(drainedAfter, 2)} s`} after the end: ${result.sustained ? 'sustained' : `NOT sustained (${result.why})`}` +
        `${result.consumerRestarts > 0 ? ` [the bench's consumer was restarted ${result.consumerRestarts} times meanwhile]` : ''}`,
    );
    if (consumerError() !== undefined) throw asError(consumerError());
    if (!result.sustained) break;
    if (i === rates.length - 1 && rate * 2 <= maxRate) rates.push(rate * 2);
    await waitQuiet(10_000);
  }

  // ----- the report
  const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const trio = (p: Percentiles) => `${format(p.p50)} / ${format(p.p95)} / ${format(p.p99)}`;
  console.log('\n(a) = assessment request → review task event seen on Kafka; (b) = → readiness check event seen; ms p50 / p95 / p99');
  console.log(row(['rate /s', 'sent', 'dropped', 'accepted /s', 'errors', 'changes', '(a) task ms', '(b) check ms', 'missing', 'drained after end', 'sustained']));
  console.log(row(Array<string>(11).fill('---:')));
  for (const r of results) {
    console.log(
      row([
        format(r.rate),
        format(r.sent),
        format(r.dropped),
        format(r.acceptedPerSecond),
        r.errors === 0 ? '0' : `${format(r.errors)} (${Object.entries(r.statuses).filter(([status]) => status !== '201').map(([status, n]) => `${status}: ${n}`).join(', ')})`,
        format(r.changes),
        trio(r.taskMs),
        trio(r.checkMs),
        format(r.missing),
        r.drainedAfterSeconds === null ? `> ${drainSeconds} s` : `${format(r.drainedAfterSeconds, 2)} s`,
        r.sustained ? 'yes' : 'NO',
      ]),
    );
  }

  const partNames: [keyof RateResult['parts'], string][] = [
    ['late', 'bench: scheduled → sent (its own event loop)'],
    ['http', 'HTTP: scheduled → 201'],
    ['httpToDecision', '  of which → command made (event time: after auth, access check)'],
    ['httpDecisionTo201', '  of which → 201 (load, decide, append, commit, answer)'],
    ['planRelay', 'plan relay: 201 → SymptomsChanged seen'],
    ['reviewConsumer', 'review: SymptomsChanged → task event seen'],
    ['reviewToDecision', '  of which → review decided (consume, inbox, decide)'],
    ['reviewDecisionToSeen', '  of which decided → seen (append, relay)'],
    ['billingConsumer', 'billing: SymptomsChanged → check seen'],
    ['billingToDecision', '  of which → check decided (consume, inbox, check)'],
    ['billingDecisionToSeen', '  of which decided → seen (append, relay)'],
  ];
  console.log('\nWhere the time goes, per change, ms p50 / p95 / p99 (event times have 1 ms resolution)');
  console.log(row(['part', ...results.map((r) => `${format(r.rate)}/s`)]));
  console.log(row(['---', ...results.map(() => '---:')]));
  for (const [key, label] of partNames) console.log(row([label, ...results.map((r) => trio(r.parts[key]))]));

  console.log(
    '\nCPU ms per change (share of one core) over the rate and its drain, as each process counted it; ceiling = the rate ' +
      `the ${cpus().length} cores could carry at that cost; postgres and java: every such process on the machine`,
  );
  console.log(
    row(['rate /s', 'plan', 'review', 'billing', 'bench', 'postgres', 'java (Kafka)', 'sum', 'ceiling /s', 'machine busy', 'of it others', 'bench loop delay p99', 'plan HTTP mean (server)', 'append mean plan / review / billing', 'load avg']),
  );
  console.log(row(Array<string>(15).fill('---:')));
  for (const r of results) {
    const s = r.server.services;
    const svc = (f: ServiceFigures) => `${format(f.cpuMsPerChange, 2)} (${format(f.coreShare * 100)} %)`;
    console.log(
      row([
        format(r.rate),
        svc(s.plan),
        svc(s['review-scheduler']),
        svc(s['billing-readiness']),
        format(r.server.benchCpuMsPerChange, 2),
        `${format(r.server.postgresCpuMsPerChange, 2)} (${format(r.server.postgresCoreShare * 100)} %)`,
        `${format(r.server.javaCpuMsPerChange, 2)} (${format(r.server.javaCoreShare * 100)} %)`,
        format(r.server.totalCpuMsPerChange, 1),
        format(r.server.cpuCeilingPerSecond),
        `${format(r.server.machineBusy * 100)} % (steal ${format(r.server.machineSteal * 100)} %)`,
        `${format(r.server.othersShare * 100)} %`,
        `${format(r.server.benchLoopDelayP99Ms)} ms`,
        `${format(r.server.planHttpMeanMs, 1)} ms`,
        `${format(s.plan.appendMeanMs, 1)} / ${format(s['review-scheduler'].appendMeanMs, 1)} / ${format(s['billing-readiness'].appendMeanMs, 1)} ms`,
        r.server.loadavg.map((l) => format(l, 2)).join(' '),
      ]),
    );
  }
  const saturated = results.filter((r) => r.server.machineBusy >= 0.95).map((r) => `${format(r.rate)}/s`);
  if (saturated.length > 0) {
    // Every loop of the system is work-conserving: a busy machine is the machine's time, not the code's need.
    console.log(
      `(the machine was at least 95 % busy at ${saturated.join(', ')}: there the sum is the machine's busy time over the rate and the ceiling follows ` +
        `from it, whatever the code needs; compare changes by the latencies, alternated; docs/loop-performance.md, "What the CPU per change says at saturation")`,
    );
  }

  await profiler.end();
  console.log('\nPostgreSQL CPU ms per change by process');
  for (const r of results) {
    const by = Object.entries(r.server.postgresCpuMsPerChangeBy).filter(([, ms]) => ms > 0.005).sort((a, b) => b[1] - a[1]);
    console.log(`  ${format(r.rate)}/s: ${by.map(([kind, ms]) => `${kind} ${format(ms, 2)}`).join(', ')}`);
  }
  if (profiler.available) {
    for (const r of results) {
      const st = r.statements;
      console.log(
        `\nPostgreSQL statements at ${format(r.rate)}/s (pg_stat_statements, all services): ${format(st.callsPerChange, 1)} calls and ` +
          `${format(st.execUsPerChange)} µs of execution and ${format(st.planUsPerChange)} µs of planning per change; the most expensive:`,
      );
      console.log(row(['exec µs per change', 'plan µs per change', 'calls per change', 'rows per call', 'statement']));
      console.log(row(['---:', '---:', '---:', '---:', '---']));
      for (const f of st.top) console.log(row([format(f.execUsPerChange), format(f.planUsPerChange), format(f.callsPerChange, 2), format(f.rowsPerCall, 1), `\`${f.query.replace(/\|/g, '\\|')}\``]));
    }
  } else {
    console.log('\n(PostgreSQL statements: pg_stat_statements is not loaded by this server; see docs/loop-performance.md to see them)');
  }

  const sustained = results.filter((r) => r.sustained);
  const highest = sustained.length === 0 ? null : Math.max(...sustained.map((r) => r.rate));
  const broke = results.find((r) => !r.sustained) ?? null;
  const atGoalRate = results.find((r) => r.rate === goals.p99AtRate);
  const p99AtGoal = atGoalRate ? Math.max(atGoalRate.taskMs.p99, atGoalRate.checkMs.p99) : null;
  const machineEnd = machineTicks();
  const cpuRun = process.cpuUsage(run.cpuAtStart);
  const machineBusy = (machineEnd.busy - run.machineAtStart.busy) / (machineEnd.total - run.machineAtStart.total);
  console.log(
    `\nhighest sustained rate: ${highest === null ? 'none' : `${format(highest)}/s`}` +
      `${broke ? `; broke at ${format(broke.rate)}/s (${broke.why})` : '; none broke'} (goal ≥ ${format(goals.sustainedRate)}/s: ${highest !== null && highest >= goals.sustainedRate ? 'met' : 'NOT met'})`,
  );
  console.log(
    `p99 at ${goals.p99AtRate}/s: ${p99AtGoal === null ? 'not run' : `(a) ${format(atGoalRate!.taskMs.p99)} ms, (b) ${format(atGoalRate!.checkMs.p99)} ms`} ` +
      `(goal ≤ ${goals.p99Ms} ms: ${p99AtGoal !== null && p99AtGoal <= goals.p99Ms && atGoalRate!.missing === 0 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `machine: ${cpus().length} cores, ${format(machineBusy * 100)} % busy over the whole run (setup included; everyone's work); load average now ${loadavg()
      .map((l) => format(l, 2))
      .join(' ')}; the bench process used ${format((cpuRun.user + cpuRun.system) / 1e6, 1)} s CPU; its consumer saw ${format(tracker.messages)} records, decoded ${format(tracker.decoded)} (${tracker.violations} broke the contract); ` +
      `it was restarted ${tracker.restarts} times after a failure${tracker.restarts > 0 ? ' (the broker went away: the figures around then are not representative)' : ''}`,
  );
  if (system.errors.length > 0) console.log(`the services wrote ${system.errors.length} stderr chunks, the first: ${system.errors.slice(0, 3).join(' | ').slice(0, 1000)}`);

  mkdirSync(join(resultFile, '..'), { recursive: true });
  const json = {
    bench: 'loop',
    at: new Date().toISOString(),
    config: { plans: planCount, clinicians: clinicianCount, secondsPerRate, rates: listedRates, maxInFlight, connections, lagLimitSeconds, drainSeconds, warmupSeconds },
    machine: { cores: cpus().length, node: process.version, busyOverRun: machineBusy, loadavgAtEnd: loadavg() },
    setupSeconds: run.setupSeconds,
    runSeconds: (now() - run.runStarted) / 1000,
    goals: {
      ...goals,
      p99AtGoalRateMs: p99AtGoal,
      p99Met: p99AtGoal !== null && p99AtGoal <= goals.p99Ms && atGoalRate!.missing === 0,
      highestSustainedRate: highest,
      sustainedMet: highest !== null && highest >= goals.sustainedRate,
      brokeAt: broke?.rate ?? null,
      brokeBecause: broke?.why ?? null,
    },
    rates: results,
    serviceErrors: system.errors.slice(0, 50),
  };
  writeFileSync(resultFile, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`result written to ${resultFile}`);
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
