import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { nestKafkaLogCreator } from './kafka-nest-logger';
import { MessagingConsumers, type ConsumerDefaults } from './messaging-consumers';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { MessagingHealthIndicator } from './messaging-health.indicator';
import { Outbox } from './outbox';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
import { TopicProvisioner, type TopicDeclarations } from './topic-provisioner';

export interface MessagingModuleOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Further kafkajs client settings (ssl, sasl, retry, logLevel, ...). */
  readonly kafka?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
  /** Relay tuning; `false` runs no relay in this process (another deployment of the service does). */
  readonly relay?: Omit<OutboxRelayOptions, 'dataSource' | 'kafka'> | false;
  /** The topics the service owns and consumes: created with the catalogue's layout when missing, before anything starts. */
  readonly topics?: TopicDeclarations;
  /** Settings every consumer of the service gets (a logging context around each message). */
  readonly consumerDefaults?: ConsumerDefaults;
}

export interface MessagingModuleAsyncOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
  /** The @nestjs/typeorm DataSource to use, by name (default: the default DataSource). */
  readonly dataSourceName?: string;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
/** The kafkajs client the module built; inject it for admin tasks or extra producers. */
export const MESSAGING_KAFKA = Symbol('MESSAGING_KAFKA');

@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(MessagingConsumers) private readonly consumers: MessagingConsumers,
    @Inject(TopicProvisioner) private readonly topics: TopicProvisioner,
    @Inject(KafkaHealthIndicator) private readonly kafkaHealth: KafkaHealthIndicator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.topics.provision();
    if (this.options.relay !== false) await this.relay.start();
    await this.consumers.startAll();
  }

  // @nestjs/typeorm destroys the DataSource in onApplicationShutdown, so consumers and relay stop one
  // phase earlier, while their last offsets and marks can still be written.
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumers.stopAll();
    await this.relay.stop();
    await this.kafkaHealth.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
  }
}

/**
 * Outbox, relay and consumers for one service, over the service's TypeORM DataSource. Global: inject
 * `Outbox` in command handlers and `MessagingConsumers` wherever consumers are registered.
 */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    const dataSource = getDataSourceToken(options.dataSourceName);
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: MESSAGING_KAFKA,
          useFactory: (config: MessagingModuleOptions) =>
            new Kafka({
              logLevel: logLevel.WARN,
              logCreator: nestKafkaLogCreator,
              ...config.kafka,
              clientId: config.clientId,
              brokers: [...config.brokers],
            }),
          inject: [MESSAGING_OPTIONS],
        },
        { provide: Outbox, useValue: new Outbox() },
        {
          provide: TopicProvisioner,
          useFactory: (config: MessagingModuleOptions, kafka: Kafka) => new TopicProvisioner(kafka, config.topics ?? {}),
          inject: [MESSAGING_OPTIONS, MESSAGING_KAFKA],
        },
        {
          provide: OutboxRelay,
          useFactory: (config: MessagingModuleOptions, kafka: Kafka, source: DataSource) =>
            new OutboxRelay({ ...(config.relay || {}), kafka, dataSource: source }),
          inject: [MESSAGING_OPTIONS, MESSAGING_KAFKA, dataSource],
        },
        {
          provide: MessagingConsumers,
          useFactory: (config: MessagingModuleOptions, kafka: Kafka, source: DataSource) =>
            new MessagingConsumers(kafka, source, config.consumerDefaults),
          inject: [MESSAGING_OPTIONS, MESSAGING_KAFKA, dataSource],
        },
        {
          provide: MessagingHealthIndicator,
          useFactory: (relay: OutboxRelay, consumers: MessagingConsumers) => new MessagingHealthIndicator(relay, consumers),
          inject: [OutboxRelay, MessagingConsumers],
        },
        { provide: KafkaHealthIndicator, useFactory: (kafka: Kafka) => new KafkaHealthIndicator(kafka), inject: [MESSAGING_KAFKA] },
        MessagingLifecycle,
      ],
      exports: [Outbox, OutboxRelay, MessagingConsumers, MessagingHealthIndicator, KafkaHealthIndicator, TopicProvisioner, MESSAGING_KAFKA, MESSAGING_OPTIONS],
    };
  }
}
