import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { IdempotentConsumer, type IdempotentConsumerOptions } from './idempotent-consumer';

export type ConsumerRegistration<T> = Omit<IdempotentConsumerOptions<T>, 'kafka' | 'dataSource'>;

/** Applied to every consumer of the service unless its registration gives its own (the kit's logging context, fetch and session settings). */
export type ConsumerDefaults = Pick<IdempotentConsumerOptions<unknown>, 'around' | 'consumerConfig'>;

/**
 * The consumers of one service. Register them in `onModuleInit`; MessagingModule starts them all on
 * application bootstrap and stops them before the DataSource closes. A consumer registered later starts
 * at once.
 */
export class MessagingConsumers {
  private readonly consumers: Array<IdempotentConsumer<unknown>> = [];
  private readonly logger = new Logger(MessagingConsumers.name);
  private started = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly defaults: ConsumerDefaults = {},
  ) {}

  register<T>(registration: ConsumerRegistration<T>): IdempotentConsumer<T> {
    const consumer = new IdempotentConsumer<T>({ ...this.defaults, ...registration, kafka: this.kafka, dataSource: this.dataSource });
    this.consumers.push(consumer as unknown as IdempotentConsumer<unknown>);
    if (this.started) {
      consumer.start().catch((error: unknown) => this.logger.error(`consumer ${consumer.groupId} did not start: ${String(error)}`));
    }
    return consumer;
  }

  all(): ReadonlyArray<IdempotentConsumer<unknown>> {
    return this.consumers;
  }

  async startAll(): Promise<void> {
    this.started = true;
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
  }

  async stopAll(): Promise<void> {
    this.started = false;
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }
}
