import { eventStoreDataSourceOptions } from './data-source-options';
import { PreparingClient } from './preparing-client';

describe('eventStoreDataSourceOptions', () => {
  it('sets the idle-in-transaction timeout on every pooled connection, 30 s unless told', () => {
    expect(eventStoreDataSourceOptions({ type: 'postgres', url: 'postgres://db/app' }).extra).toEqual({
      idle_in_transaction_session_timeout: 30_000,
      Client: PreparingClient,
    });
    expect(
      eventStoreDataSourceOptions({ type: 'postgres' }, { idleInTransactionSessionTimeoutMs: 5_000, statementTimeoutMs: 60_000 }).extra,
    ).toEqual({ idle_in_transaction_session_timeout: 5_000, statement_timeout: 60_000, Client: PreparingClient });
  });

  it("points search_path at the DataSource's schema, since the store's tables are unqualified", () => {
    expect(eventStoreDataSourceOptions({ type: 'postgres', schema: 'plan', extra: { max: 20 } }).extra).toEqual({
      max: 20,
      options: '-c search_path="plan"',
      idle_in_transaction_session_timeout: 30_000,
      Client: PreparingClient,
    });
  });

  it('keeps a search_path the caller already set and the rest of the options', () => {
    const options = { type: 'postgres' as const, url: 'postgres://db/app', schema: 'plan', extra: { options: '-c search_path="plan",public' } };
    expect(eventStoreDataSourceOptions(options)).toEqual({
      ...options,
      extra: { options: '-c search_path="plan",public', idle_in_transaction_session_timeout: 30_000, Client: PreparingClient },
    });
  });

  it("prepares every connection's statements unless told not to, or given a client of the caller's", () => {
    class Theirs {}
    expect(eventStoreDataSourceOptions({ type: 'postgres' }, { prepareStatements: false }).extra).not.toHaveProperty('Client');
    expect(eventStoreDataSourceOptions({ type: 'postgres', extra: { Client: Theirs } }).extra.Client).toBe(Theirs);
  });
});
