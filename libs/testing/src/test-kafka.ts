import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface TestKafka {
  readonly brokers: string[];
  /** A client with a client id unique to this file. */
  readonly kafka: Kafka;
  /** Creates the topics (idempotent) and waits until they have leaders. */
  createTopics(topics: string[], numPartitions?: number): Promise<void>;
}

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;

/** Fails, never skips, when the run has no broker. */
export const kafkaBrokers = (): string[] => {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    throw new Error('KAFKA_BROKERS is not set: the jest global setup (libs/testing) did not find or start Kafka');
  }
  return brokers.split(',').map((b) => b.trim());
};

export const testKafka = (clientPrefix = 'test'): TestKafka => {
  const brokers = kafkaBrokers();
  const kafka = new Kafka({ clientId: uniqueName(clientPrefix), brokers, logLevel: logLevel.NOTHING });
  return {
    brokers,
    kafka,
    createTopics: async (topics, numPartitions = 1) => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        // A busy broker can answer the leader wait with "does not host this topic-partition" while a new topic's
        // metadata spreads: creating is idempotent, so try again, then wait until every partition has a leader.
        for (let attempt = 1; ; attempt++) {
          try {
            await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })) });
            break;
          } catch (error) {
            if (attempt >= 10) throw error;
            await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          }
        }
        for (let attempt = 1; ; attempt++) {
          try {
            const { topics: described } = await admin.fetchTopicMetadata({ topics });
            if (described.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0))) return;
          } catch (error) {
            if (attempt >= 50) throw error;
          }
          if (attempt >= 50) throw new Error(`topics ${topics.join(', ')} have no leaders after 50 tries`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await admin.disconnect();
      }
    },
  };
};
