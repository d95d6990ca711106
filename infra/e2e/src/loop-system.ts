import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestIssuer, issuerEnvironment, type TestIssuer } from '@golden-loop/service-testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

// The three services as separate Node processes on the real PostgreSQL and Kafka, each on a schema, topics and
// consumer groups of this run's own, trusting one token issuer: what the load (bench:loop) and fault (test:faults)
// runs drive over HTTP and kill. A service killed with SIGKILL is restarted with the same environment.

const repo = join(__dirname, '..', '..', '..');
/* eslint-disable @typescript-eslint/no-require-imports */
const { ensurePostgres } = require(join(repo, 'infra/postgres/postgres.cjs')) as { ensurePostgres(options: { database: string }): Promise<{ url: string }> };
const kafkaScripts = require(join(repo, 'infra/kafka/kafka.cjs')) as {
  ensureKafka(options?: { log?: (line: string) => void }): Promise<{ brokers: string }>;
  kafkaStatus(): Promise<{ pid: number | null; answering: boolean }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const SERVICES = ['plan', 'review-scheduler', 'billing-readiness'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface LoopSystem {
  readonly urls: Readonly<Record<ServiceName, string>>;
  readonly topics: Readonly<Record<'plan' | 'review' | 'billing', string>>;
  /** The services' database schemas, this run's own like the topics. */
  readonly schemas: Readonly<Record<'plan' | 'review' | 'billing', string>>;
  readonly brokers: string;
  readonly databaseUrl: string;
  readonly issuer: TestIssuer;
  /** SIGKILL a service (a crash), then start it again with the same environment and wait until it is ready. */
  crash(service: ServiceName): Promise<{ downMs: number }>;
  /** SIGKILL the broker, if this machine's broker is ours to kill, and start it again. */
  crashBroker(): Promise<{ downMs: number } | { skipped: string }>;
  /** Lines the services wrote to stderr (their crashes, if any). */
  readonly errors: string[];
  stop(): Promise<void>;
  /** After `stop`: drops the run's schemas and deletes its topics (each with its `.dlq`). */
  remove(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const waitReady = async (url: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
};

export const startLoopSystem = async (options: { name: string; env?: Readonly<Record<string, string>>; readyTimeoutMs?: number }): Promise<LoopSystem> => {
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const { url: databaseUrl } = await ensurePostgres({ database: 'golden_loop_bench' });
  const { brokers } = await kafkaScripts.ensureKafka({ log: () => undefined });
  const suffix = `${options.name}_${randomBytes(3).toString('hex')}`;
  const topics = { plan: `loop-plan-${suffix}`, review: `loop-review-${suffix}`, billing: `loop-billing-${suffix}` };
  const schemas = { plan: `plan_${suffix}`, review: `review_${suffix}`, billing: `billing_${suffix}` };
  const issuer = createTestIssuer();
  const errors: string[] = [];
  const shared = {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers,
    PLAN_EVENTS_TOPIC: topics.plan,
    REVIEW_EVENTS_TOPIC: topics.review,
    BILLING_EVENTS_TOPIC: topics.billing,
    ...issuerEnvironment(issuer),
    // A load run drives a few clinicians far past any per-user limit a person would reach.
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_MS: '20',
    ...options.env,
  };
  const envs: Record<ServiceName, Record<string, string>> = {
    plan: { PLAN_DB_SCHEMA: schemas.plan, KAFKA_CLIENT_ID: `loop-plan-${suffix}` },
    'review-scheduler': { REVIEW_DB_SCHEMA: schemas.review, KAFKA_CLIENT_ID: `loop-review-${suffix}`, REVIEW_CONSUMER_GROUP: `loop-review-${suffix}` },
    'billing-readiness': { BILLING_DB_SCHEMA: schemas.billing, KAFKA_CLIENT_ID: `loop-billing-${suffix}` },
  };
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const))) as Record<ServiceName, number>;
  const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${ports[s]}`])) as Record<ServiceName, string>;
  const children = new Map<ServiceName, ChildProcess>();

  const launch = (service: ServiceName): ChildProcess => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join('services', service, 'src', 'main.ts')], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...shared, ...envs[service], PORT: String(ports[service]), HOST: '127.0.0.1' },
    });
    child.stderr?.on('data', (chunk: Buffer) => errors.push(`${service}: ${chunk.toString().trim()}`));
    children.set(service, child);
    return child;
  };
  const killed = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  // Never leave a service behind: when this process ends, however it ends, its services end with it.
  process.once('exit', () => {
    for (const child of children.values()) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

  // The plan service first: it creates the plan topic the others consume.
  try {
    launch('plan');
    await waitReady(urls.plan, readyTimeoutMs);
    for (const service of ['review-scheduler', 'billing-readiness'] as const) launch(service);
    await Promise.all([waitReady(urls['review-scheduler'], readyTimeoutMs), waitReady(urls['billing-readiness'], readyTimeoutMs)]);
  } catch (error) {
    for (const child of children.values()) child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; the services said:\n${errors.slice(-30).join('\n')}`);
  }

  return {
    urls,
    topics,
    schemas,
    brokers,
    databaseUrl,
    issuer,
    errors,
    crash: async (service) => {
      const began = Date.now();
      const child = children.get(service)!;
      child.kill('SIGKILL');
      await killed(child);
      launch(service);
      await waitReady(urls[service], readyTimeoutMs);
      return { downMs: Date.now() - began };
    },
    crashBroker: async () => {
      const { pid } = await kafkaScripts.kafkaStatus();
      if (!pid) return { skipped: 'the broker that answers is not this checkout’s (infra/kafka): not ours to kill' };
      const began = Date.now();
      process.kill(pid, 'SIGKILL');
      while (await kafkaScripts.kafkaStatus().then((s) => s.answering)) await new Promise((resolve) => setTimeout(resolve, 100));
      await kafkaScripts.ensureKafka({ log: () => undefined });
      await Promise.all(SERVICES.map((service) => waitReady(urls[service], readyTimeoutMs)));
      return { downMs: Date.now() - began };
    },
    stop: async () => {
      for (const child of children.values()) child.kill('SIGTERM');
      await Promise.all([...children.values()].map(killed));
    },
    remove: async () => {
      const db = new Pool({ connectionString: databaseUrl, max: 1 });
      for (const schema of Object.values(schemas)) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await db.end().catch(() => undefined);
      const admin = new Kafka({ clientId: `loop-remove-${suffix}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
      await admin.connect().catch(() => undefined);
      await admin.deleteTopics({ topics: Object.values(topics).flatMap((topic) => [topic, `${topic}.dlq`]) }).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  };
};
