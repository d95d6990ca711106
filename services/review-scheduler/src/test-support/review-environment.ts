import { decodeEvent, PRODUCERS, type DecodedEvent, type Producer } from '@golden-loop/contracts';
import { readTopic } from '@golden-loop/messaging/src/test-support/read-topic';
import { redirectLogs } from '@golden-loop/service-kit';
import { callersOf, createTestIssuer, issuerEnvironment, topicVariableOf, type Callers } from '@golden-loop/service-testing';
import { testDatabase, testKafka, uniqueName, type TestDatabase, type TestKafka } from '@golden-loop/testing';
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Producer as KafkaProducer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { planRecord, type PlanEventRecord } from './plan-events';
import { waitForConsumed } from './review.fixture';

/**
 * A review scheduler's surroundings — its schema, its topics, its consumer group — that outlive any one instance,
 * for tests that stop and restart the service, run several instances, or run it as a child process. The
 * environment variables are the service's own (REVIEW_DB_SCHEMA, PLAN_EVENTS_TOPIC, ...).
 */
export interface ReviewEnvironment {
  readonly db: TestDatabase;
  readonly kafka: TestKafka;
  readonly topics: Readonly<Record<Producer, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** Bearer-token headers of each role, from the issuer the environment's instances trust. */
  readonly callers: Callers;
  /** A new in-process instance (the environment must be this process's: see `inProcess`). */
  start(): Promise<INestApplication>;
  /** Publishes plan events on the plan topic, in order. */
  publish(...records: PlanEventRecord[]): Promise<void>;
  /** Publishes and waits until the inbox applied every one. */
  send(...records: PlanEventRecord[]): Promise<void>;
  /** A query on the service's schema. */
  query<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /** Every record on the review topic so far, decoded. */
  published(): Promise<DecodedEvent[]>;
  close(): Promise<void>;
}

const producers = Object.keys(PRODUCERS) as Producer[];

export const reviewEnvironment = async (
  name: string,
  options: { readonly inProcess?: boolean; readonly topics?: Readonly<Record<Producer, string>> } = {},
): Promise<ReviewEnvironment> => {
  const db = await testDatabase(name);
  const kafka = testKafka(name);
  const topics = options.topics ?? (Object.fromEntries(producers.map((p) => [p, uniqueName(`${p}-events-${name}`)])) as Record<Producer, string>);
  await kafka.createTopics([topics.plan, `${topics.plan}.dlq`, topics.review, `${topics.review}.dlq`], 6).catch(() => undefined);
  const issuer = createTestIssuer();
  const env: Record<string, string> = {
    ...issuerEnvironment(issuer),
    DATABASE_URL: db.url,
    REVIEW_DB_SCHEMA: db.schema,
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_CLIENT_ID: uniqueName(`${name}-service`),
    REVIEW_CONSUMER_GROUP: uniqueName(`${name}-group`),
    OUTBOX_POLL_MS: '20',
    LOG_LEVEL: 'warn',
    ...Object.fromEntries(producers.map((p) => [topicVariableOf(p), topics[p]])),
  };
  if (options.inProcess ?? true) Object.assign(process.env, env);
  const restoreLogs = redirectLogs({ write: () => undefined });
  let producer: KafkaProducer | undefined;
  const query = async <T>(sql: string, parameters: unknown[]): Promise<T[]> => (await db.pool.query(sql, parameters)).rows as T[];
  const send = async (records: readonly PlanEventRecord[]) => {
    if (!producer) {
      producer = kafka.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
    }
    await producer.send({ topic: topics.plan, acks: -1, messages: records.map((record) => planRecord(record, topics.plan)) });
  };
  return {
    db,
    kafka,
    topics,
    env,
    callers: callersOf(issuer),
    start: async () => {
      // Imported once the environment is set: the module reads its configuration at load.
      const { createReviewApp } = await import('../app');
      const app = await createReviewApp();
      await app.init();
      return app;
    },
    query: (sql, parameters = []) => query(sql, parameters),
    publish: (...records) => send(records),
    send: async (...records) => {
      await send(records);
      await waitForConsumed(kafka.kafka, env.REVIEW_CONSUMER_GROUP, topics.plan, 60_000);
    },
    published: async () => (await readTopic(kafka.kafka, topics.review)).map((record) => decodeEvent(record)),
    close: async () => {
      await producer?.disconnect();
      restoreLogs();
      await db.drop();
    },
  };
};

/** The DataSource of a running instance. */
export const dataSourceOf = (app: INestApplication): DataSource => app.get<DataSource>(getDataSourceToken());
