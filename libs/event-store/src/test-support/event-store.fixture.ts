import { randomUUID } from 'node:crypto';
import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { eventStoreDataSourceOptions } from '../data-source-options';
import type { EventStoreOptions, NewEvent } from '../event-store.types';
import { eventStoreMigrations } from '../migrations/event-store-schema.migration';
import { PostgresEventStore } from '../postgres-event-store';

export interface EventStoreFixture {
  readonly db: TestDatabase;
  readonly dataSource: DataSource;
  readonly store: PostgresEventStore;
  /** Another DataSource on the same schema (own pool size, application name); closed by `close()`. */
  openDataSource(options?: { poolSize?: number; applicationName?: string }): Promise<DataSource>;
  close(): Promise<void>;
}

/** A schema of its own with the store's migrations applied, through the DataSource options the store recommends. */
export const eventStoreFixture = async (prefix: string, options: EventStoreOptions = {}): Promise<EventStoreFixture> => {
  const db = await testDatabase(prefix);
  const opened: DataSource[] = [];
  const openDataSource = async (extra: { poolSize?: number; applicationName?: string } = {}) => {
    const dataSource = new DataSource({
      ...eventStoreDataSourceOptions(db.typeorm),
      migrations: eventStoreMigrations,
      poolSize: extra.poolSize ?? 10,
      applicationName: extra.applicationName,
    });
    await dataSource.initialize();
    opened.push(dataSource);
    return dataSource;
  };
  const dataSource = await openDataSource();
  await dataSource.runMigrations();
  const store = new PostgresEventStore(dataSource, options);
  return {
    db,
    dataSource,
    store,
    openDataSource,
    close: async () => {
      await store.close();
      await Promise.all(opened.filter((source) => source.isInitialized).map((source) => source.destroy()));
      await db.drop();
    },
  };
};

export const uniqueStreamId = (prefix = 'plan'): string => `${prefix}-${randomUUID()}`;

/** Builder for an event to append: `anEvent('GoalAdded', { goal: 'sleep through the night' })`. */
export const anEvent = <Data>(type = 'GoalAdded', data?: Data, overrides: Partial<NewEvent<Data>> = {}): NewEvent<Data> => ({
  eventId: randomUUID(),
  type,
  data: (data ?? { goal: 'walk to the shop without a panic attack' }) as Data,
  metadata: { correlationId: randomUUID() },
  ...overrides,
});

export const someEvents = (count: number, type = 'GoalAdded'): NewEvent[] =>
  Array.from({ length: count }, (_, index) => anEvent(type, { goal: `goal ${index + 1}` }));

/** Resolves once `condition` holds, checking every `everyMs`; the jest test timeout bounds the wait. */
export const eventually = async (condition: () => Promise<boolean>, everyMs = 10): Promise<void> => {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, everyMs));
};

/**
 * Fills the store's tables of `pool`'s schema with `count` streams (`plan-1` …) of two events each, at version 2, and
 * analyses them: a table as large as a network's, for tests and benches of how a statement reads it.
 */
export const seedStreams = async (pool: Pick<Pool, 'query'>, count: number): Promise<void> => {
  await pool.query(
    `INSERT INTO streams (stream_id, stream_type, version, created_at, updated_at)
     SELECT 'plan-' || n, 'treatment-plan', 2, now(), now() FROM generate_series(1, $1::int) AS n`,
    [count],
  );
  await pool.query(
    `INSERT INTO events (stream_id, stream_position, event_id, event_type, data)
     SELECT 'plan-' || n, p, gen_random_uuid(), 'GoalAdded', '{}' FROM generate_series(1, $1::int) AS n, generate_series(1, 2) AS p`,
    [count],
  );
  await pool.query('ANALYZE streams; ANALYZE events');
};
