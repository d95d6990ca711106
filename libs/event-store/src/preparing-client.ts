import { createHash } from 'node:crypto';
import { Client, Query, type ClientConfig, type QueryConfig, type QueryResult } from 'pg';

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

/** TypeORM's statement that opens a transaction (`PostgresQueryRunner.startTransaction`). */
const START_TRANSACTION = 'START TRANSACTION';
/** The name it is prepared under, once per connection, when the connection's first transaction opens. */
const BEGIN_STATEMENT = 'gl_begin';

type Callback = (error: Error | null, result?: QueryResult) => void;

/**
 * COMMIT ended a transaction that had already failed: a statement of it raised an error that its caller caught and
 * went on from. PostgreSQL then rolls the whole transaction back and answers the COMMIT with the tag ROLLBACK and no
 * error, so TypeORM (and the command runner's fold cache, on TypeORM's commit event) would take it for a commit.
 * Raised as the COMMIT's error instead: the transaction's caller sees it, and TypeORM reports a rollback
 * (docs/service-kit.md, "Flat command cost").
 */
export class CommitRolledBack extends Error {
  constructor() {
    super('COMMIT rolled the transaction back: one of its statements had failed and the transaction went on');
    this.name = 'CommitRolledBack';
  }
}

/** The part of node-postgres's connection a query writes its messages to. */
interface Wire {
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string }): void;
}

/** Query's own methods that the statement below extends (not in its type declarations). */
const base = Query.prototype as unknown as {
  prepare(this: Query, connection: unknown): void;
  handleCommandComplete(this: Query, message: unknown, connection: unknown): void;
};

/**
 * The first statement of a transaction, with the transaction's start in front of it: the prepared
 * `START TRANSACTION` is bound and executed (no parse, no sync) ahead of the statement's own parse, bind, execute
 * and sync, so both go in one write and are answered before one ReadyForQuery. The server runs them in order, and
 * should the start fail, skips the statement. The first CommandComplete is the start's; the statement's result
 * is the one after it.
 */
class BeginThenQuery extends Query {
  private started = false;

  prepare(connection: unknown): void {
    const wire = connection as Wire;
    wire.bind({ portal: '', statement: BEGIN_STATEMENT, values: [] });
    wire.execute({ portal: '' });
    base.prepare.call(this, connection);
  }

  handleCommandComplete(message: unknown, connection: unknown): void {
    if (!this.started) {
      this.started = true;
      return;
    }
    base.handleCommandComplete.call(this, message, connection);
  }
}

/**
 * Client.query's two ways of answering, for a statement sent by `send`: through the caller's callback (nothing
 * returned), or through the promise returned when there is none.
 */
const answerBy = (callback: unknown, send: (answer: Callback) => void): Promise<QueryResult> | undefined => {
  if (typeof callback === 'function') return void send(callback as Callback);
  return new Promise<QueryResult>((resolve, reject) => send((error, result) => (error ? reject(error) : resolve(result!))));
};

/** An answer that needs no round trip. */
const answered = (result: QueryResult, callback: unknown): Promise<QueryResult> | undefined =>
  answerBy(callback, (answer) => process.nextTick(() => answer(null, result)));

const emptyResult = (command: string): QueryResult => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

/** A statement with parameters, as text or as a plain config (not a cursor or a stream). */
const parameterised = (config: unknown, values: unknown): config is string | QueryConfig =>
  (typeof config === 'string' && Array.isArray(values) && values.length > 0) ||
  (typeof config === 'object' &&
    config !== null &&
    typeof (config as { submit?: unknown }).submit !== 'function' &&
    Array.isArray((config as QueryConfig).values) &&
    (config as QueryConfig).values!.length > 0);

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
 * statement without parameters (COMMIT, DDL) and one already named (the event store's) go as they are.
 *
 * A COMMIT that PostgreSQL answers with ROLLBACK (the transaction had failed) fails with `CommitRolledBack`.
 *
 * TypeORM's `START TRANSACTION` is answered at once and held: it reaches the server with the transaction's first
 * statement, in the same write and the same round trip (`BeginThenQuery`), so a transaction costs one round trip
 * fewer; one that ends before any statement sends nothing. When the first statement has no parameters (SET
 * TRANSACTION) or is a stream, the start goes first on its own, as before (docs/loop-performance.md, "The
 * transaction's start with its first statement").
 *
 * PostgreSQL re-plans a prepared statement by itself when a table it reads changes (a migration), as long as the
 * statement's result columns stay the same: a `SELECT *` of a table that gained a column fails on a connection that
 * prepared it before ("cached plan must not change result type"). Name the columns you read.
 */
export class PreparingClient extends Client {
  private readonly prepared = new Set<string>();
  /** `START TRANSACTION` is prepared on this connection (it ran once as `BEGIN_STATEMENT`). */
  private beginPrepared = false;
  /** TypeORM opened a transaction that has not reached the server yet: it goes with the next statement. */
  private beginHeld = false;
  private joinedStarts = 0;

  constructor(config?: string | (ClientConfig & { readonly joinTransactionStart?: boolean })) {
    super(withGenericPlans(config));
    const joinStart = typeof config !== 'object' || config.joinTransactionStart !== false;
    // The pool gives each user of a connection its own `release`: a start a previous user held and never followed
    // with a statement did nothing on the server, and is not carried over to the next one.
    let release: unknown;
    Object.defineProperty(this, 'release', {
      configurable: true,
      get: () => release,
      set: (value: unknown) => {
        this.beginHeld = false;
        release = value;
      },
    });
    // Client's own query, looked up at each call (so a spy on Client.prototype sees what is sent).
    const query = (...args: unknown[]): unknown => (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
    const named = (config: unknown, values?: unknown): unknown => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        const name = nameOf(config);
        if (this.prepared.has(name) || this.prepared.size < PREPARED_STATEMENTS_PER_CONNECTION) {
          this.prepared.add(name);
          return { name, text: config, values };
        }
        return { text: config, values };
      }
      return config;
    };
    // The start on its own round trip, as TypeORM sent it (prepared under its name the first time).
    const start = (callback?: unknown): Promise<QueryResult> | undefined =>
      answerBy(callback, (answer) =>
        query({ name: BEGIN_STATEMENT, text: START_TRANSACTION }, (error: Error | null, result: QueryResult) => {
          if (!error) this.beginPrepared = true;
          answer(error, result);
        }),
      );
    // Assigned, not overridden: Client's query has overloads a method override would have to restate.
    this.query = ((config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof values === 'function') [values, callback] = [undefined, values];
      if (this.beginHeld) {
        this.beginHeld = false;
        // The transaction did nothing: there is nothing to end.
        if (config === 'COMMIT' || config === 'ROLLBACK') return answered(emptyResult(config), callback);
        if (parameterised(config, values)) {
          return answerBy(callback, (answer) => query(new BeginThenQuery(named(config, values) as QueryConfig, undefined, answer as never)));
        }
        // Anything else (SET TRANSACTION, a stream): the start first, on its own, as TypeORM sent it.
        if (typeof (config as { submit?: unknown } | null)?.submit === 'function') {
          start()!.catch(() => undefined);
          return query(config, values, callback);
        }
        return start()!.then(() => query(named(config, values), undefined, callback));
      }
      if (config === 'COMMIT' && (values === undefined || (Array.isArray(values) && values.length === 0))) {
        return answerBy(callback, (answer) =>
          query('COMMIT', (error: Error | null, result: QueryResult) => answer(error ?? (result?.command === 'ROLLBACK' ? new CommitRolledBack() : null), result)),
        );
      }
      if (joinStart && config === START_TRANSACTION && values === undefined) {
        if (!this.beginPrepared) return start(callback);
        this.beginHeld = true;
        this.joinedStarts += 1;
        return answered(emptyResult('START'), callback);
      }
      return query(named(config, values), undefined, callback);
    }) as Client['query'];
  }

  /** Statements this connection prepared (for tests and diagnostics). */
  get preparedCount(): number {
    return this.prepared.size;
  }

  /** Transactions whose start went to the server with their first statement, or not at all (for tests). */
  get startsJoined(): number {
    return this.joinedStarts;
  }
}
