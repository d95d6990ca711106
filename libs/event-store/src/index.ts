export { PostgresEventStore } from './postgres-event-store';
export { EventStoreModule, EVENT_STORE_OPTIONS } from './event-store.module';
export type { EventStoreModuleOptions, EventStoreModuleAsyncOptions } from './event-store.module';
export { EventStoreSchema1764200000000, eventStoreMigrations } from './migrations/event-store-schema.migration';
export { eventStoreDataSourceOptions } from './data-source-options';
export { CommitRolledBack, PreparingClient, PREPARED_STATEMENTS_PER_CONNECTION } from './preparing-client';
export type { EventStoreSessionSettings } from './data-source-options';
export {
  EventStoreError,
  ConcurrencyError,
  DuplicateEventError,
  InvalidAppendError,
  InvalidUpcasterError,
  PositionOverflowError,
  SubscriptionDrainTimeout,
} from './errors';
export type { EventStoreErrorCode } from './errors';
export { upcast } from './upcasting';
export type {
  AppendOptions,
  AppendResult,
  Checkpoint,
  EventMetadata,
  EventStoreOptions,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionHandle,
  SubscriptionHandler,
  SubscriptionLag,
  UpcastResult,
  Upcaster,
  Upcasters,
} from './event-store.types';
