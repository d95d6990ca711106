import { dlqTopicOf, TOPIC_LAYOUT, topicOfProducer, type Producer } from '@golden-loop/contracts';
import { Logger } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';

/**
 * A topic a service uses, named by the catalogue: the producer's topic (or a test's override of it). A service
 * declares the topics it owns (publishes to) and those it consumes; both are created with the catalogue's
 * layout when missing, each with its `.dlq`, so the start order of services does not matter and a broker's
 * auto-creation (one partition) never decides the layout.
 */
export interface TopicDeclaration {
  readonly producer: Producer;
  /** Replaces the catalogue's name (tests use one topic per file). */
  readonly topic?: string;
}

export interface TopicDeclarations {
  readonly owned?: readonly TopicDeclaration[];
  readonly consumed?: readonly TopicDeclaration[];
}

export interface ProvisionedTopic {
  readonly topic: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

/** A topic exists with a layout other than the catalogue's: starting would break per-plan order. */
export class TopicLayoutMismatch extends Error {
  readonly code = 'topic_layout_mismatch';
  constructor(
    readonly topic: string,
    readonly expectedPartitions: number,
    readonly actualPartitions: number,
  ) {
    super(
      `Topic ${topic} has ${actualPartitions} partitions where the catalogue says ${expectedPartitions}: ` +
        'a plan key would land on another partition than its earlier events. Recreate the topic or fix the catalogue.',
    );
    this.name = 'TopicLayoutMismatch';
  }
}

/** Every topic of the declarations with its `.dlq`, once each, with the catalogue's layout. */
export const topicsOf = (declarations: TopicDeclarations): ProvisionedTopic[] => {
  const names = [...(declarations.owned ?? []), ...(declarations.consumed ?? [])].flatMap((declaration) => {
    const topic = topicOfProducer(declaration.producer, declaration.topic === undefined ? {} : { [declaration.producer]: declaration.topic });
    return [topic, dlqTopicOf(topic)];
  });
  return [...new Set(names)].map((topic) => ({ topic, partitions: TOPIC_LAYOUT.partitions, retentionMs: TOPIC_LAYOUT.retentionMs }));
};

/**
 * Creates the missing topics of a service and checks the partition count of those that exist. Safe with several
 * instances starting at once (a topic created by another instance meanwhile is fine).
 */
/** How often provisioning tries through retriable broker answers (about 20 s in all). */
export const PROVISION_ATTEMPTS = 14;

export class TopicProvisioner {
  private readonly logger = new Logger(TopicProvisioner.name);

  constructor(
    private readonly kafka: Kafka,
    private readonly declarations: TopicDeclarations,
  ) {}

  async provision(): Promise<ProvisionedTopic[]> {
    const wanted = topicsOf(this.declarations);
    if (wanted.length === 0) return [];
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await this.withRetries(() => this.provisionWith(admin, wanted));
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Services starting together race for the same new topics: the broker can answer "does not host this
   * topic-partition" while a topic another instance just created spreads through its metadata. Such errors are
   * retriable (kafkajs marks them); anything else, a layout mismatch included, fails at once.
   */
  private async withRetries<T>(attempt: () => Promise<T>, attempts = PROVISION_ATTEMPTS): Promise<T> {
    for (let tried = 1; ; tried++) {
      try {
        return await attempt();
      } catch (error) {
        if (tried >= attempts || (error as { retriable?: boolean }).retriable !== true) throw error;
        this.logger.warn(`topics not ready yet (${(error as Error).message}); trying again (${tried} of ${attempts})`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** tried)));
      }
    }
  }

  private async provisionWith(admin: Admin, wanted: readonly ProvisionedTopic[]): Promise<ProvisionedTopic[]> {
    // kafkajs logs an error for a topic that already exists, so ask first.
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(({ topic, partitions, retentionMs }) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: -1,
          configEntries: [{ name: 'retention.ms', value: String(retentionMs) }],
        })),
      });
      this.logger.log(`created topics ${missing.map(({ topic }) => topic).join(', ')}`);
    }
    await this.check(admin, wanted);
    return [...wanted];
  }

  private async check(admin: Admin, wanted: readonly ProvisionedTopic[]): Promise<void> {
    const { topics } = await admin.fetchTopicMetadata({ topics: wanted.map(({ topic }) => topic) });
    for (const { name, partitions } of topics) {
      const expected = wanted.find(({ topic }) => topic === name)!;
      if (partitions.length !== expected.partitions) throw new TopicLayoutMismatch(name, expected.partitions, partitions.length);
    }
  }
}
