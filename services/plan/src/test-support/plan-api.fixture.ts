import { randomUUID } from 'node:crypto';
import { decodeEvent, type DecodedEvent } from '@golden-loop/contracts';
import { testDatabase, testKafka, uniqueName, type TestDatabase } from '@golden-loop/testing';
import type { INestApplication } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';

/**
 * The real plan service on a schema and a topic of its own, with a consumer that records every event the
 * service publishes to Kafka (decoded through the public contract, as any consumer would).
 */
export interface PlanApiFixture {
  readonly app: INestApplication;
  readonly db: TestDatabase;
  readonly topic: string;
  readonly userId: string;
  readonly published: DecodedEvent[];
  http(): ReturnType<typeof request>;
  /** Waits (bounded) until the plan's published events satisfy `done`, and returns them. */
  publishedFor(planId: string, done: (events: DecodedEvent[]) => boolean, timeoutMs?: number): Promise<DecodedEvent[]>;
  /** The plan's published events once the outbox has nothing unpublished left for it. */
  settledFor(planId: string): Promise<DecodedEvent[]>;
  close(): Promise<void>;
}

const waitUntil = async <T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

export const startPlanApi = async (name: string): Promise<PlanApiFixture> => {
  const db = await testDatabase(name);
  const kafka = testKafka(name);
  const topic = uniqueName(`plan-events-${name}`);
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    PLAN_DB_SCHEMA: db.schema,
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_CLIENT_ID: uniqueName('plan-test'),
    PLAN_EVENTS_TOPIC: topic,
    OUTBOX_POLL_MS: '20',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  });
  // Imported after the environment is set: the service reads its configuration once, at module load.
  const { createPlanApp } = await import('../app');
  const app = await createPlanApp();
  await app.init();

  const published: DecodedEvent[] = [];
  const consumer: Consumer = kafka.kafka.consumer({ groupId: uniqueName(`${name}-observer`) });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void published.push(decodeEvent(message)) });

  const dataSource = app.get<DataSource>(getDataSourceToken());
  const unpublished = async (planId: string) =>
    (await dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1 AND published_at IS NULL', [planId]))[0].n;
  const eventsOf = (planId: string) => published.filter((event) => event.envelope.subject === planId);
  const userId = randomUUID();

  const fixture: PlanApiFixture = {
    app,
    db,
    topic,
    userId,
    published,
    http: () => request(app.getHttpServer()),
    publishedFor: (planId, done, timeoutMs = 20_000) => waitUntil(() => eventsOf(planId), done, timeoutMs, `events of plan ${planId}`),
    settledFor: async (planId) => {
      await waitUntil(() => unpublished(planId), (n) => n === 0, 20_000, 'the outbox to drain');
      const stored = (await dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [planId]))[0].n;
      return waitUntil(() => eventsOf(planId), (events) => events.length >= stored, 20_000, `${stored} events of plan ${planId} on Kafka`);
    },
    close: async () => {
      await consumer.disconnect();
      await app.close();
      await db.drop();
    },
  };
  return fixture;
};
