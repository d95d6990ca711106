import { randomUUID } from 'node:crypto';
import { decodeEvent, PRODUCERS, type DecodedEvent, type Producer } from '@golden-loop/contracts';
import { redirectLogs } from '@golden-loop/service-kit';
import { testDatabase, testKafka, uniqueName, type TestDatabase } from '@golden-loop/testing';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Consumer, Message } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { bearer, createTestIssuer, issuerEnvironment, type TestIssuer, type TokenClaims } from './test-issuer';
import { unpublishedOutboxRows } from '@golden-loop/messaging';

const producers = Object.keys(PRODUCERS) as Producer[];

/** The environment variable that names a producer's topic in every service: `PLAN_EVENTS_TOPIC`, ... */
export const topicVariableOf = (producer: Producer): string => `${producer.toUpperCase()}_EVENTS_TOPIC`;

export interface ServiceFixtureOptions {
  /** Names the schema, topics and groups of this test file. */
  readonly name: string;
  /** The service's schema variable, e.g. `PLAN_DB_SCHEMA`. */
  readonly schemaVariable: string;
  /** Loads and creates the app; called after the environment is set (services read their configuration at import). */
  readonly createApp: () => Promise<INestApplication>;
  /** The topics whose records the fixture keeps, decoded through the public contract (default: all three). */
  readonly observe?: readonly Producer[];
  /** More environment for this service. */
  readonly env?: Readonly<Record<string, string>>;
  /** Trust this issuer instead of a new one (several services of one test, one token for all). */
  readonly issuer?: TestIssuer;
  /** Use these topics instead of new ones (several services of one test on the same topics). */
  readonly topics?: Readonly<Record<Producer, string>>;
}

export interface ServiceFixture {
  readonly app: INestApplication;
  readonly db: TestDatabase;
  readonly dataSource: DataSource;
  /** This file's topic for each producer (the service's own and those it consumes). */
  readonly topics: Readonly<Record<Producer, string>>;
  /** Every record seen on the observed topics, decoded. */
  readonly published: DecodedEvent[];
  /** The service's JSON log lines. */
  readonly logs: string[];
  /** The token issuer the service trusts (a key pair of this fixture's own). */
  readonly issuer: TestIssuer;
  /** Headers with a bearer token carrying these claims, for `.set(...)`. */
  auth(claims: TokenClaims): Record<string, string>;
  /** Bearer-token headers of a caller of each role (docs/security.md). */
  readonly callers: Callers;
  /** Requests without credentials (what the 401 tests send). */
  http(): ReturnType<typeof request>;
  /** Sends raw records to a topic (a consumer's input). */
  produce(producer: Producer, messages: Message[]): Promise<void>;
  /** Waits (bounded) until the records of a plan satisfy `done`, and returns them. */
  publishedFor(planId: string, done: (events: DecodedEvent[]) => boolean, timeoutMs?: number): Promise<DecodedEvent[]>;
  /** The plan's records once the service's outbox holds nothing unpublished for it. */
  settledFor(planId: string): Promise<DecodedEvent[]>;
  close(): Promise<void>;
}

/** Headers of one caller of each role, for `.set(...)`: the user id is the token's subject. */
export interface Callers {
  clinician(clinicianId: string): Record<string, string>;
  supervisor(supervises: readonly string[], supervisorId?: string): Record<string, string>;
  client(clientId: string): Record<string, string>;
  billing(userId?: string): Record<string, string>;
  admin(userId?: string): Record<string, string>;
}

export const callersOf = (issuer: TestIssuer): Callers => ({
  clinician: (sub) => bearer(issuer.mint({ sub, roles: ['clinician'] })),
  supervisor: (supervises, sub = randomUUID()) => bearer(issuer.mint({ sub, roles: ['supervisor'], supervises })),
  client: (sub) => bearer(issuer.mint({ sub, roles: ['client'] })),
  billing: (sub = randomUUID()) => bearer(issuer.mint({ sub, roles: ['billing'] })),
  admin: (sub = randomUUID()) => bearer(issuer.mint({ sub, roles: ['admin'] })),
});

export const waitUntil = async <T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/**
 * A real service on a schema of its own and topics of its own, on the real PostgreSQL and Kafka, with an observer
 * that records what is published and a sink that keeps the service's log lines.
 */
export const startService = async (options: ServiceFixtureOptions): Promise<ServiceFixture> => {
  const db = await testDatabase(options.name);
  const kafka = testKafka(options.name);
  const topics = options.topics ?? (Object.fromEntries(producers.map((p) => [p, uniqueName(`${p}-events-${options.name}`)])) as Record<Producer, string>);
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    [options.schemaVariable]: db.schema,
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_CLIENT_ID: uniqueName(`${options.name}-service`),
    OUTBOX_POLL_MS: '20',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...Object.fromEntries(producers.map((p) => [topicVariableOf(p), topics[p]])),
    ...options.env,
  });
  const issuer = options.issuer ?? createTestIssuer();
  Object.assign(process.env, issuerEnvironment(issuer));
  const logs: string[] = [];
  const restoreLogs = redirectLogs({ write: (line: string) => void logs.push(line) });
  const app = await options.createApp();
  await app.init();
  const dataSource = app.get<DataSource>(getDataSourceToken());

  const published: DecodedEvent[] = [];
  const observed = (options.observe ?? producers).map((p) => topics[p]);
  await kafka.createTopics(observed, 6);
  const observer: Consumer = kafka.kafka.consumer({ groupId: uniqueName(`${options.name}-observer`) });
  await observer.connect();
  await observer.subscribe({ topics: observed, fromBeginning: true });
  await observer.run({
    eachMessage: ({ message }) => {
      published.push(decodeEvent(message));
      return Promise.resolve();
    },
  });
  const producer = kafka.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const unpublished = async (planId: string) =>
    (await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n ${unpublishedOutboxRows()} AND o.message_key = $1`, [planId]))[0].n;
  const eventsOf = (planId: string) => published.filter((event) => event.envelope.subject === planId);

  return {
    app,
    db,
    dataSource,
    topics,
    published,
    logs,
    issuer,
    auth: (claims) => bearer(issuer.mint(claims)),
    callers: callersOf(issuer),
    http: () => request(app.getHttpServer() as Parameters<typeof request>[0]),
    produce: async (to, messages) => {
      await producer.send({ topic: topics[to], acks: -1, messages });
    },
    publishedFor: (planId, done, timeoutMs = 20_000) => waitUntil(() => eventsOf(planId), done, timeoutMs, `events of plan ${planId}`),
    settledFor: async (planId) => {
      await waitUntil(() => unpublished(planId), (n) => n === 0, 20_000, 'the outbox to drain');
      const stored = (await dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [planId]))[0].n;
      return waitUntil(() => eventsOf(planId), (events) => events.length >= stored, 20_000, `${stored} events of plan ${planId} on Kafka`);
    },
    close: async () => {
      await producer.disconnect();
      await observer.disconnect();
      await app.close();
      restoreLogs();
      await db.drop();
    },
  };
};
