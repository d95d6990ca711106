import { createHash } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';

/**
 * How many statements one connection prepares at most. The services have a few dozen distinct statements; a text
 * built with a varying number of placeholders would otherwise fill the server's memory one plan at a time. Beyond
 * the cap, a new text runs unnamed as before.
 */
export const PREPARED_STATEMENTS_PER_CONNECTION = 200;

/** Names already computed, by statement text (bounded the same way; beyond it a name is hashed per call). */
const names = new Map<string, string>();
const nameOf = (text: string): string => {
  let name = names.get(text);
  if (name === undefined) {
    name = `gl_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    if (names.size < PREPARED_STATEMENTS_PER_CONNECTION * 4) names.set(text, name);
  }
  return name;
};

/**
 * The session plans a prepared statement once, for any parameters (`plan_cache_mode = force_generic_plan`; it
 * concerns prepared statements alone). Left to itself, PostgreSQL plans the first five runs for their parameters and
 * keeps doing so whenever the generic plan's estimate looks dearer, which for a statement over `unnest($1::text[])`
 * it always does: half the planning stayed (docs/loop-performance.md). The services' statements are key and index
 * lookups, the same plan for every parameter.
 */
const withGenericPlans = (config?: string | ClientConfig): ClientConfig => {
  const base: ClientConfig = typeof config === 'string' ? { connectionString: config } : { ...config };
  return { ...base, options: `${base.options ?? ''} -c plan_cache_mode=force_generic_plan`.trim() };
};

/**
 * A node-postgres client that prepares every statement it is given with parameters: the statement is named after
 * the hash of its text, so the server parses, analyses and plans it once per connection and then runs it from the
 * connection's cache (docs/loop-performance.md, "Planning the same statements again and again"). TypeORM's
 * `query(text, parameters)` reaches the server this way for every caller without a change at the call site. A
 * statement without parameters (BEGIN, COMMIT, DDL) and one already named (the event store's) go as they are.
 *
 * PostgreSQL re-plans a prepared statement by itself when a table it reads changes (a migration), as long as the
 * statement's result columns stay the same: a `SELECT *` of a table that gained a column fails on a connection that
 * prepared it before ("cached plan must not change result type"). Name the columns you read.
 */
export class PreparingClient extends Client {
  private readonly prepared = new Set<string>();

  constructor(config?: string | ClientConfig) {
    super(withGenericPlans(config));
    // Client's own query, looked up at each call (so a spy on Client.prototype sees what is sent).
    const query = (...args: unknown[]): unknown => (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    // Assigned, not overridden: Client's query has overloads a method override would have to restate.
    this.query = ((config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        const name = nameOf(config);
        if (this.prepared.has(name) || this.prepared.size < PREPARED_STATEMENTS_PER_CONNECTION) {
          this.prepared.add(name);
          return query({ name, text: config, values }, callback);
        }
      }
      return query(config, values, callback);
    }) as Client['query'];
  }

  /** Statements this connection prepared (for tests and diagnostics). */
  get preparedCount(): number {
    return this.prepared.size;
  }
}
