/**
 * The lock that serialises every writer of one record key in this service's schema: a transaction-scoped advisory
 * lock on the hash of the schema and the key. IdempotentConsumer takes it before its inbox row, the command runner
 * before it reads a stream, so the outbox rows of one key are ordered by transaction id exactly as they were applied
 * (see Outbox). It must be the first lock a writer of the key takes in its transaction, and taken before the
 * transaction's first write (which gives it its id).
 *
 * The schema is part of the lock: advisory locks belong to the whole database, and services that share one (one
 * schema each, as `npm start` and the loop runs have them) must not wait on each other's transactions for a key
 * they both write (the plan id: the plan service's command, the review and billing consumers of its event).
 * docs/architecture.md, "One lock per key and schema".
 */
export const keyLockExpression = (keyParameter: string): string =>
  `hashtextextended('golden-loop/key/' || current_schema() || '/' || ${keyParameter}::text, 0)`;

export const keyLock = {
  /** `$1`: the key. */
  sql: `SELECT pg_advisory_xact_lock(${keyLockExpression('$1')})`,
} as const;
