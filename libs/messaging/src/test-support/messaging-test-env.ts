import { testDatabase, testKafka, type TestDatabase, type TestKafka } from '@golden-loop/testing';
import { DataSource, type EntityManager } from 'typeorm';
import { messagingMigrations } from '../messaging-schema.migration';
import { Outbox, type OutboxMessage } from '../outbox';
import { unpublishedOutboxRows } from '../outbox-relay';

export interface MessagingTestEnv {
  readonly db: TestDatabase;
  readonly dataSource: DataSource;
  readonly kafka: TestKafka;
  close(): Promise<void>;
}

/** A schema of its own with the messaging tables, a DataSource on it, and a Kafka client. */
export const messagingTestEnv = async (prefix: string): Promise<MessagingTestEnv> => {
  const kafka = testKafka(prefix);
  const db = await testDatabase(prefix);
  const dataSource = await openDataSource(db);
  await dataSource.runMigrations();
  return {
    db,
    dataSource,
    kafka,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
};

/** Another "instance" of the service: a second DataSource (its own pool) on the same schema. */
export const openDataSource = async (db: TestDatabase): Promise<DataSource> =>
  new DataSource({ ...db.typeorm, migrations: messagingMigrations }).initialize();

export interface Eventually {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/** Polls until `probe` returns something other than undefined/false; fails with `what` after the timeout. */
export const eventually = async <T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 60_000, intervalMs = 100 }: Eventually = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

export const enqueueInTransaction = (dataSource: DataSource, messages: OutboxMessage[]): Promise<void> =>
  dataSource.transaction((manager: EntityManager) => new Outbox().enqueue(manager, messages));

export const unpublishedCount = async (dataSource: DataSource): Promise<number> => {
  const [row] = await dataSource.query<Array<{
    n: number;
  }>>(`SELECT count(*)::int AS n ${unpublishedOutboxRows()}`);
  return row?.n ?? 0;
};
