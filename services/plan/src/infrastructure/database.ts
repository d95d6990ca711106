import { eventStoreDataSourceOptions, eventStoreMigrations } from '@golden-loop/event-store';
import { messagingMigrations } from '@golden-loop/messaging';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PlanConfig } from '../config';
import { planReadModelMigrations } from './read-model.migration';

/** The plan service's DataSource: its own schema, the store's, the outbox's and its read models' tables. */
export const planDataSourceOptions = (config: PlanConfig): DataSourceOptions =>
  eventStoreDataSourceOptions({
    type: 'postgres' as const,
    url: config.DATABASE_URL,
    schema: config.PLAN_DB_SCHEMA,
    migrations: [...eventStoreMigrations, ...messagingMigrations, ...planReadModelMigrations],
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    extra: { max: 20 },
  });

/** Migrations need their schema to exist; creating it is idempotent and safe for several instances at once. */
export const createPlanDataSource = async (options: DataSourceOptions & { schema?: string; url?: string }): Promise<DataSource> => {
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
