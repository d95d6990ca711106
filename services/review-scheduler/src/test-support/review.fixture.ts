import type { DecodedEvent } from '@golden-loop/contracts';
import { PostgresEventStore } from '@golden-loop/event-store';
import { startService, waitUntil, type ServiceFixture } from '@golden-loop/service-testing';
import { testKafka, uniqueName } from '@golden-loop/testing';
import type { Kafka } from 'kafkajs';
import { planRecord, type PlanEventRecord } from './plan-events';

/** The real review scheduler on a schema and topics of its own, recording what it publishes (libs/service-testing). */
export interface ReviewFixture extends ServiceFixture {
  /** Publishes plan events on this fixture's plan topic, in order, and waits until the service consumed every one. */
  send(...records: PlanEventRecord[]): Promise<void>;
  /** The events of a plan's review stream. */
  reviewEvents(planId: string): Promise<{ type: string; data: Record<string, unknown> }[]>;
  /** Brings the review_tasks read model up to date. */
  drain(): Promise<void>;
  /** The decoded records published for a plan, once the outbox holds nothing unpublished for it. */
  settledFor(planId: string): Promise<DecodedEvent[]>;
}

/**
 * Waits until the consumer group has committed every record on the topic: each one applied, dead-lettered, or
 * acknowledged without an inbox row because the service does not react to it (docs/service-kit.md, "Events a
 * consumer does not react to"), so counting inbox rows would never see those.
 */
export const waitForConsumed = async (kafka: Kafka, groupId: string, topic: string, timeoutMs = 30_000): Promise<void> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitUntil(
      async () => {
        const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
        const at = new Map((committed?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]));
        return ends.every(({ partition, high }) => BigInt(high) === 0n || (at.get(partition) ?? -1n) >= BigInt(high));
      },
      (done) => done,
      timeoutMs,
      `group ${groupId} to commit every record of ${topic}`,
    );
  } finally {
    await admin.disconnect();
  }
};

export const startReviewScheduler = async (name: string, env: Readonly<Record<string, string>> = {}): Promise<ReviewFixture> => {
  const groupId = env['REVIEW_CONSUMER_GROUP'] ?? uniqueName(`${name}-group`);
  const kafka = testKafka(name);
  const fixture = await startService({
    name,
    schemaVariable: 'REVIEW_DB_SCHEMA',
    // Imported after the environment is set: the service reads its configuration once, at module load.
    createApp: async () => (await import('../app')).createReviewApp(),
    observe: ['review'],
    env: { ...env, REVIEW_CONSUMER_GROUP: groupId },
  });
  const store = fixture.app.get(PostgresEventStore);
  const { ReviewTasksProjection } = await import('../read-models/review-tasks.projection');
  return {
    ...fixture,
    send: async (...records) => {
      await fixture.produce('plan', records.map((record) => planRecord(record, fixture.topics.plan)));
      await waitForConsumed(kafka.kafka, groupId, fixture.topics.plan);
    },
    reviewEvents: async (planId) => (await store.readStream(planId)).map(({ type, data }) => ({ type, data: data as Record<string, unknown> })),
    drain: async () => {
      await fixture.app.get(ReviewTasksProjection).drain();
    },
  };
};
