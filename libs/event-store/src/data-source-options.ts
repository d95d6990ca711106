import { PreparingClient } from './preparing-client';

export interface EventStoreSessionSettings {
  /**
   * PostgreSQL ends a session that stays idle inside an open transaction this long (default 30 s). One such
   * transaction holds the read watermark back for every reader of every store on the server (docs/event-store.md §2).
   */
  readonly idleInTransactionSessionTimeoutMs?: number;
  /** Optional cap on any single statement; off unless given (migrations and rebuilds can be long). */
  readonly statementTimeoutMs?: number;
  /**
   * Every statement with parameters prepared once per connection (`PreparingClient`, default true). Off, every
   * statement but the event store's is parsed and planned on every call.
   */
  readonly prepareStatements?: boolean;
  /**
   * TypeORM's START TRANSACTION sent with the transaction's first statement, one round trip fewer per transaction
   * (`PreparingClient`, default true). Off, it goes on its own round trip, as node-postgres sends it.
   */
  readonly joinTransactionStart?: boolean;
}

interface PostgresDataSourceOptionsLike {
  readonly type: 'postgres';
  readonly schema?: string;
  readonly extra?: object;
}

/**
 * The DataSource options the store expects, on top of a service's own: every pooled connection starts with
 * `idle_in_transaction_session_timeout` set (node-postgres sends it as a startup parameter, so it holds for
 * every session of the pool without a per-session SET), and, when `schema` is given, with `search_path`
 * pointing at it, since the store's tables are unqualified; and its connections prepare the statements they run
 * (`PreparingClient`).
 */
export const eventStoreDataSourceOptions = <T extends PostgresDataSourceOptionsLike>(
  options: T,
  settings: EventStoreSessionSettings = {},
): T & { extra: Record<string, unknown> } => {
  const extra: Record<string, unknown> = { ...(options.extra as Record<string, unknown> | undefined) };
  extra.idle_in_transaction_session_timeout = settings.idleInTransactionSessionTimeoutMs ?? 30_000;
  if (settings.statementTimeoutMs !== undefined) extra.statement_timeout = settings.statementTimeoutMs;
  if ((settings.prepareStatements ?? true) && extra.Client === undefined) extra.Client = PreparingClient;
  if (settings.joinTransactionStart === false) extra.joinTransactionStart = false;
  const startupOptions = typeof extra.options === 'string' ? extra.options : '';
  if (options.schema && !startupOptions.includes('search_path')) {
    extra.options = `${startupOptions} -c search_path="${options.schema}"`.trim();
  }
  return { ...options, extra };
};
