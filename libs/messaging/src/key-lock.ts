/**
 * The lock that serialises every writer of one record key in this database: a transaction-scoped advisory lock
 * on the key's hash. IdempotentConsumer takes it before its inbox row, the command runner before it reads a
 * stream, so the outbox rows of one key are ordered by transaction id exactly as they were applied (see Outbox).
 * It must be the first lock a writer of the key takes in its transaction, and taken before the transaction's
 * first write (which gives it its id).
 */
export const keyLockExpression = (keyParameter: string): string =>
  `hashtextextended('golden-loop/key/' || ${keyParameter}::text, 0)`;

export const keyLock = {
  /** `$1`: the key. */
  sql: `SELECT pg_advisory_xact_lock(${keyLockExpression('$1')})`,
} as const;
