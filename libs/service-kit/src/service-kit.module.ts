import { existsSync } from 'node:fs';
import { CommandRunner, GROUP_COMMIT } from '@golden-loop/command-runner';
import { eventStoreDataSourceOptions, eventStoreMigrations, EventStoreModule, PostgresEventStore } from '@golden-loop/event-store';
import {
  MessagingConsumers,
  messagingMigrations,
  MessagingModule,
  Outbox,
  OutboxRelay,
  type OutboxRelayOptions,
  type TopicDeclarations,
} from '@golden-loop/messaging';
import { CLOCK, processClock, schedulingMigrations, Timers, TimerWorker, type Clock } from '@golden-loop/scheduling';
import { type BeforeApplicationShutdown, type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard, CaseloadDirectory, TokenVerifier, type KeySource } from '@golden-loop/http-api';
import { CaseloadInterceptor } from './access/caseload.interceptor';
import { StreamCaseloads } from './access/stream-caseloads';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { JSONWebKeySet } from 'jose';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { auditMigrations } from './audit/audit.migration';
import { AuditTrail } from './audit/audit-trail';
import { RateLimitGuard } from './rate-limit.guard';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { loggerParams } from './logging';
import { ServiceMetrics } from './metrics';
import { OperationsController } from './operations.controller';
import { brokersOf, loadConfig, type ServiceConfig } from './service-config';
import { SERVICE_CONFIG, SERVICE_NAME } from './tokens';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Migration = Function;

export interface ServiceKitOptions<C extends ServiceConfig> {
  /** As in logs, metrics and the default Kafka client id: `plan`, `review-scheduler`, `billing-readiness`. */
  readonly service: string;
  /** The service's configuration class; validated once, when the module is defined. */
  readonly config: new () => C;
  /** The service's own PostgreSQL schema and its own migrations (the store's and messaging's come first). */
  readonly database: (config: C) => { readonly schema: string; readonly migrations?: MixedList<Migration> };
  /** The topics the service owns and consumes (created with the catalogue's layout when missing). */
  readonly topics: (config: C) => TopicDeclarations;
  /** The Kafka client id; `golden-loop-<service>` by default. */
  readonly kafkaClientId?: (config: C) => string;
  readonly relay?: (config: C) => Omit<OutboxRelayOptions, 'dataSource' | 'kafka'> | false;
  /**
   * The service's answer for a plan it does not know (its own 404 error): routes marked @PlanScoped give it to callers
   * outside the plan's caseload too, read from the plan's stream in this service's store (docs/security.md).
   */
  readonly unknownPlan?: () => Error;
}

/** Migrations need their schema to exist; creating it is idempotent and safe for several instances at once. */
const createDataSource = async (options: DataSourceOptions & { schema?: string; url?: string }): Promise<DataSource> => {
  const client = new Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  } catch (error) {
    // Two instances starting together: the loser of the race sees a unique violation on the catalog.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await client.end();
  }
  return new DataSource(options).initialize();
};

/** Where the issuer's keys come from: its JWKS URL, inline JSON (tests), or the development issuer's file. */
const keySourceOf = (config: ServiceConfig): KeySource => {
  if (config.AUTH_JWKS_URL) return { url: config.AUTH_JWKS_URL };
  if (config.AUTH_JWKS) return { jwks: JSON.parse(config.AUTH_JWKS) as JSONWebKeySet };
  if (!existsSync(config.AUTH_JWKS_FILE)) {
    throw new Error(
      `No keys to verify bearer tokens with: AUTH_JWKS_FILE ${config.AUTH_JWKS_FILE} does not exist. Set AUTH_JWKS_URL to the issuer's JWKS, or run \`npm run token -- --role admin\` once to make the development issuer's keys.`,
    );
  }
  return { file: config.AUTH_JWKS_FILE };
};

/** Starts the timer worker once every feature registered its handlers, and stops it before the pool closes. */
@Injectable()
class TimerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(TimerWorker) private readonly worker: TimerWorker) {}

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}

/**
 * One shape for every service (docs/service-kit.md): validated configuration, its own schema with the event
 * store, outbox, inbox and timer tables, Kafka with its topics, the command runner, durable timers and the clock,
 * @nestjs/cqrs, JSON logs, metrics, liveness and readiness. A service imports `ServiceKitModule.forRoot(...)` and adds its features.
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot<C extends ServiceConfig>(options: ServiceKitOptions<C>): DynamicModule {
    const config = loadConfig(options.config);
    const database = options.database(config);
    const tokens = new TokenVerifier({ issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, keys: () => keySourceOf(config), clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS });
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: SERVICE_NAME, useValue: options.service },
      {
        provide: ServiceMetrics,
        inject: [OutboxRelay, MessagingConsumers, PostgresEventStore, TimerWorker],
        useFactory: (relay: OutboxRelay, consumers: MessagingConsumers, store: PostgresEventStore, timers: TimerWorker) =>
          new ServiceMetrics(options.service, { relay, consumers, store, timers, tokens }),
      },
      { provide: CLOCK, useValue: processClock },
      { provide: Timers, useValue: new Timers() },
      {
        provide: TimerWorker,
        inject: [getDataSourceToken(), CLOCK],
        useFactory: (dataSource: DataSource, clock: Clock) => new TimerWorker({ dataSource, clock }),
      },
      TimerLifecycle,
      { provide: TokenVerifier, useValue: tokens },
      { provide: AuditTrail, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new AuditTrail(dataSource) },
      // Guards in this order: who is calling (401/403), then how often (429).
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_GUARD, useClass: RateLimitGuard },
      // Interceptors in this order: the audit trail around the caseload check, so refused looks are recorded too.
      { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      { provide: APP_INTERCEPTOR, useClass: CaseloadInterceptor },
      ...(options.unknownPlan === undefined
        ? []
        : [{ provide: CaseloadDirectory, inject: [getDataSourceToken()], useFactory: (dataSource: DataSource) => new StreamCaseloads(dataSource, options.unknownPlan!) }]),
      {
        provide: CommandRunner,
        inject: [getDataSourceToken(), PostgresEventStore, Outbox, ServiceMetrics],
        useFactory: (dataSource: DataSource, store: PostgresEventStore, outbox: Outbox, metrics: ServiceMetrics) =>
          metrics.watchRunner(
            new CommandRunner(dataSource, store, outbox, {
              cachedStreams: config.COMMAND_CACHE_STREAMS,
              groupCommit: GROUP_COMMIT,
              onAppend: (streamType, seconds) => metrics.observeAppend(streamType, seconds),
            }),
          ),
      },
    ];
    return {
      module: ServiceKitModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ [options.service]: config })] }),
        LoggerModule.forRoot(loggerParams(options.service, config.LOG_LEVEL)),
        TypeOrmModule.forRootAsync({
          useFactory: () =>
            eventStoreDataSourceOptions({
              type: 'postgres' as const,
              url: config.DATABASE_URL,
              schema: database.schema,
              migrations: [...eventStoreMigrations, ...messagingMigrations, ...schedulingMigrations, ...auditMigrations, ...((database.migrations ?? []) as Migration[])],
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              extra: { max: 20 },
            }),
          dataSourceFactory: (dataSourceOptions) => createDataSource(dataSourceOptions!),
        }),
        EventStoreModule.forRoot({ global: true }),
        MessagingModule.forRootAsync({
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) => ({
            brokers: brokersOf(config),
            clientId: options.kafkaClientId?.(config) ?? `golden-loop-${options.service}`,
            relay: options.relay?.(config) ?? { pollIntervalMs: config.OUTBOX_POLL_MS },
            topics: options.topics(config),
            consumerDefaults: {
              consumerConfig: { sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS, heartbeatInterval: Math.floor(config.KAFKA_SESSION_TIMEOUT_MS / 3) },
              // Every log line about a consumed event carries its correlation id and its own id.
              around: (message, source, deliver) =>
                logger.runInContext(deliver, {
                  bindings: {
                    correlationId: message.headers?.ce_correlationid?.toString(),
                    eventId: message.headers?.ce_id?.toString(),
                    topic: source.topic,
                  },
                }),
            },
          }),
        }),
        CqrsModule.forRoot(),
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }] }),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [OperationsController, AuditController],
      providers,
      exports: [SERVICE_CONFIG, SERVICE_NAME, ServiceMetrics, CommandRunner, CLOCK, Timers, TimerWorker, AuditTrail],
    };
  }
}
