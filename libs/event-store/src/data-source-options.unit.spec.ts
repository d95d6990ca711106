import { eventStoreDataSourceOptions } from './data-source-options';

describe('eventStoreDataSourceOptions', () => {
  it('sets the idle-in-transaction timeout on every pooled connection, 30 s unless told', () => {
    expect(eventStoreDataSourceOptions({ type: 'postgres', url: 'postgres://db/app' }).extra).toEqual({
      idle_in_transaction_session_timeout: 30_000,
    });
    expect(
      eventStoreDataSourceOptions({ type: 'postgres' }, { idleInTransactionSessionTimeoutMs: 5_000, statementTimeoutMs: 60_000 }).extra,
    ).toEqual({ idle_in_transaction_session_timeout: 5_000, statement_timeout: 60_000 });
  });

  it("points search_path at the DataSource's schema, since the store's tables are unqualified", () => {
    expect(eventStoreDataSourceOptions({ type: 'postgres', schema: 'plan', extra: { max: 20 } }).extra).toEqual({
      max: 20,
      options: '-c search_path="plan"',
      idle_in_transaction_session_timeout: 30_000,
    });
  });

  it('keeps a search_path the caller already set and the rest of the options', () => {
    const options = { type: 'postgres' as const, url: 'postgres://db/app', schema: 'plan', extra: { options: '-c search_path="plan",public' } };
    expect(eventStoreDataSourceOptions(options)).toEqual({
      ...options,
      extra: { options: '-c search_path="plan",public', idle_in_transaction_session_timeout: 30_000 },
    });
  });
});
