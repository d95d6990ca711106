import { TOPIC_LAYOUT } from '@golden-loop/contracts';
import { testKafka, uniqueName } from '@golden-loop/testing';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { TopicLayoutMismatch, TopicProvisioner, topicsOf } from './topic-provisioner';

const { kafka, brokers, createTopics } = testKafka('topics');

const describeTopics = async (topics: string[]) => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics });
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: 2, name, configNames: ['retention.ms'] })) });
    return topics.map((name) => ({
      name,
      partitions: metadata.topics.find((t) => t.name === name)?.partitions.length,
      retentionMs: configs.resources.find((r) => r.resourceName === name)?.configEntries.find((c) => c.configName === 'retention.ms')?.configValue,
    }));
  } finally {
    await admin.disconnect();
  }
};

describe('topic provisioning from the catalogue', () => {
  test('services starting together on the same new topics all come up (the broker’s metadata race is retried)', async () => {
    // As `npm start` does: the plan service owns the plan topic, two services consume it, all at the same moment.
    const plan = uniqueName('plan-events');
    const review = uniqueName('review-events');
    const billing = uniqueName('billing-events');
    const services = [
      { owned: [{ producer: 'plan' as const, topic: plan }] },
      { owned: [{ producer: 'review' as const, topic: review }], consumed: [{ producer: 'plan' as const, topic: plan }] },
      { owned: [{ producer: 'billing' as const, topic: billing }], consumed: [{ producer: 'plan' as const, topic: plan }, { producer: 'review' as const, topic: review }] },
    ];
    const clients = services.map((_, i) => new Kafka({ clientId: uniqueName(`together-${i}`), brokers, logLevel: logLevel.NOTHING }));
    await Promise.all(services.map((declarations, i) => new TopicProvisioner(clients[i], declarations).provision()));
    expect((await describeTopics([plan, review, billing])).map(({ partitions }) => partitions)).toEqual([TOPIC_LAYOUT.partitions, TOPIC_LAYOUT.partitions, TOPIC_LAYOUT.partitions]);
  });

  test('a service’s owned and consumed topics and their .dlq are created with the catalogue’s layout', async () => {
    const plan = uniqueName('plan-events');
    const review = uniqueName('review-events');
    const declarations = { owned: [{ producer: 'review' as const, topic: review }], consumed: [{ producer: 'plan' as const, topic: plan }] };
    expect(topicsOf(declarations).map(({ topic }) => topic)).toEqual([review, `${review}.dlq`, plan, `${plan}.dlq`]);

    await new TopicProvisioner(kafka, declarations).provision();
    // A second instance starting later finds them and changes nothing.
    await new TopicProvisioner(kafka, declarations).provision();

    expect(await describeTopics([review, `${review}.dlq`, plan, `${plan}.dlq`])).toEqual(
      [review, `${review}.dlq`, plan, `${plan}.dlq`].map((name) => ({ name, partitions: TOPIC_LAYOUT.partitions, retentionMs: String(TOPIC_LAYOUT.retentionMs) })),
    );
  });

  test('a topic that exists with another partition count stops the start with a clear error', async () => {
    const plan = uniqueName('plan-events');
    await createTopics([plan], 1);
    await expect(new TopicProvisioner(kafka, { owned: [{ producer: 'plan', topic: plan }] }).provision()).rejects.toThrow(TopicLayoutMismatch);
    await expect(new TopicProvisioner(kafka, { owned: [{ producer: 'plan', topic: plan }] }).provision()).rejects.toThrow(
      `Topic ${plan} has 1 partitions where the catalogue says ${TOPIC_LAYOUT.partitions}`,
    );
  });
});

describe('the broker readiness check', () => {
  test('is up against the real broker', async () => {
    const indicator = new KafkaHealthIndicator(kafka);
    try {
      expect(await indicator.check('kafka')).toEqual({ kafka: { status: 'up', brokers: 1 } });
    } finally {
      await indicator.close();
    }
  });

  test('is down, within its timeout, when nothing answers at the broker address', async () => {
    const nowhere = new Kafka({ clientId: uniqueName('nowhere'), brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const indicator = new KafkaHealthIndicator(nowhere);
    const started = Date.now();
    const result = await indicator.check('kafka', 1_000);
    expect(result.kafka.status).toBe('down');
    expect(Date.now() - started).toBeLessThan(5_000);
    await indicator.close();
  });
});
