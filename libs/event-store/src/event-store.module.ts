import { type DynamicModule, type FactoryProvider, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventStoreOptions } from './event-store.types';
import { PostgresEventStore } from './postgres-event-store';

export const EVENT_STORE_OPTIONS = Symbol('EVENT_STORE_OPTIONS');

interface EventStoreModuleCommon {
  /** Name of the @nestjs/typeorm DataSource to use; the default DataSource when omitted. */
  readonly dataSourceName?: string;
  readonly global?: boolean;
}

export interface EventStoreModuleOptions extends EventStoreOptions, EventStoreModuleCommon {}

export interface EventStoreModuleAsyncOptions extends EventStoreModuleCommon {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: (...args: never[]) => EventStoreOptions | Promise<EventStoreOptions>;
}

/**
 * Provides `PostgresEventStore` on the DataSource that `TypeOrmModule.forRoot` registered. The service adds
 * `eventStoreMigrations` to that DataSource's `migrations`. Subscriptions stop when the module is destroyed,
 * before TypeORM closes the pool.
 */
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions = {}): DynamicModule {
    const { dataSourceName, global, ...storeOptions } = options;
    return EventStoreModule.build({ dataSourceName, global }, [], {
      provide: EVENT_STORE_OPTIONS,
      useValue: storeOptions,
    });
  }

  static forRootAsync(options: EventStoreModuleAsyncOptions): DynamicModule {
    return EventStoreModule.build(options, options.imports ?? [], {
      provide: EVENT_STORE_OPTIONS,
      inject: options.inject ?? [],
      useFactory: options.useFactory,
    });
  }

  private static build(
    common: EventStoreModuleCommon,
    imports: NonNullable<ModuleMetadata['imports']>,
    optionsProvider: Provider,
  ): DynamicModule {
    return {
      module: EventStoreModule,
      global: common.global ?? false,
      imports,
      providers: [
        optionsProvider,
        {
          provide: PostgresEventStore,
          inject: [getDataSourceToken(common.dataSourceName), EVENT_STORE_OPTIONS],
          useFactory: (dataSource: DataSource, storeOptions: EventStoreOptions) =>
            new PostgresEventStore(dataSource, storeOptions),
        },
      ],
      exports: [PostgresEventStore],
    };
  }
}
