import { randomUUID } from 'node:crypto';
import { fold, type CommandMetadata, type DomainEvent } from '@golden-loop/decider';
import { ConcurrencyError, PostgresEventStore, type NewEvent, type RecordedEvent } from '@golden-loop/event-store';
import { keyLockExpression, Outbox, TransactionGroups, type OutboxMessage } from '@golden-loop/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { ConcurrentModification, VersionConflict } from './errors';
import type { EventStream, StoredEvent } from './event-stream';
import { StreamCache, type CachedFold } from './stream-cache';

interface RunRequestBase<State, Event extends DomainEvent> {
  readonly streamId: string;
  readonly metadata: CommandMetadata;
  /** The version the caller read (If-Match). When the stream has moved on, the command fails with VersionConflict. */
  readonly expectedVersion?: number;
  /**
   * Join this transaction (a Kafka consumer's inbox transaction) instead of opening one: the new events, their
   * outbox rows and the caller's own writes then commit together.
   */
  readonly manager?: EntityManager;
  /**
   * The caller's own writes that must commit with the events (a read-model row, timers): called once the events and
   * their outbox rows are written (or nothing was decided), in the same transaction, before it commits. A lost race
   * rolls them back with the rest and calls it again on the next attempt.
   */
  readonly beforeCommit?: (result: RunResult<State, Event>, manager: EntityManager) => Promise<void>;
}

/** One command of a sequence, with the metadata of what caused it (a consumed event, say). */
export interface SequenceStep<Command> {
  readonly command: Command;
  readonly metadata: CommandMetadata;
}

/**
 * What a command run needs: the stream, the metadata, and either the command, or `commandFor`, which builds it from
 * the state read under the key lock, in the command's transaction (so the caller reads what the decision needs that
 * the stream names — e.g. the credentials of the clinicians a plan names — without reading the stream a second time).
 */
export type RunRequest<Command, State = unknown, Event extends DomainEvent = DomainEvent> = RunRequestBase<State, Event> &
  (
    | { readonly command: Command; readonly commandFor?: undefined }
    | { readonly command?: undefined; readonly commandFor: (loaded: LoadedStream<State>, manager: EntityManager) => Command | Promise<Command> }
  );

export interface RunResult<State, Event extends DomainEvent> {
  readonly streamId: string;
  /** The stream version after the command; unchanged when the command decided nothing. */
  readonly version: number;
  /** The events the command appended, with their ids and positions. */
  readonly events: readonly StoredEvent<Event>[];
  /** The state after the command. */
  readonly state: State;
}

export interface LoadedStream<State> {
  readonly streamId: string;
  readonly state: State;
  /** 0 when the stream does not exist. */
  readonly version: number;
}

export interface StreamHistory<State, Event extends DomainEvent> extends LoadedStream<State> {
  /** Every stored event of the stream (up to `asOf` when given), in order. */
  readonly events: readonly StoredEvent<Event>[];
}

/**
 * Several streams' commands in the caller's transaction (`runEach`): many re-checks due together (a rule-set change,
 * a batch of due timers) in one commit, each stream still under its own key lock.
 */
export interface RunEachRequest<State, Command, Event extends DomainEvent> {
  /** The streams (duplicates count once). Their key locks are taken in sorted order, so two batches never deadlock on them. */
  readonly streamIds: readonly string[];
  /** The caller's transaction: the batch commits or rolls back with it. */
  readonly manager: EntityManager;
  /**
   * `wait` (default) waits for each key lock in turn; `skip` leaves out, in `skipped`, a stream whose key lock another
   * transaction holds — for a caller that already holds rows such a writer may wait for (the timer worker's claimed
   * timers), where waiting could deadlock.
   */
  readonly lock?: 'wait' | 'skip';
  /**
   * The commands of each stream read (`loaded`, in sorted stream id order), one list for each, in one call: the
   * caller looks up what the decisions need in one query for all of them. A stream's commands are decided in order,
   * each on the state the previous left and stored with its own metadata (a consumer's chunk holding several of
   * one plan's messages); an empty list decides nothing.
   */
  readonly commandsFor: (loaded: readonly LoadedStream<State>[], manager: EntityManager) => Promise<readonly (readonly SequenceStep<Command>[])[]>;
  /** The caller's writes that commit with the events (read-model rows, timers), once for the whole batch. */
  readonly beforeCommit?: (results: readonly RunResult<State, Event>[], manager: EntityManager) => Promise<void>;
  /**
   * Given, a stream whose decision throws (a refusal) is told here and left out of the batch (no events, no result);
   * the other streams go on. Without it, the throw fails the batch.
   */
  readonly onRefused?: (streamId: string, error: unknown) => void;
}

export interface RunEachResult<State, Event extends DomainEvent> {
  /** One per stream locked and read, in sorted stream id order (`events` empty where nothing was decided). */
  readonly results: readonly RunResult<State, Event>[];
  /** Streams left out because another transaction held their key lock (`lock: 'skip'`). */
  readonly skipped: readonly string[];
}

export interface CommandRunnerOptions {
  /** Attempts of a command without an expected version that keeps losing races (default 10). */
  readonly maxAttempts?: number;
  /** Told the duration of every append that committed (metrics). */
  readonly onAppend?: (streamType: string, seconds: number, events: number) => void;
  /** Streams whose fold is kept between commands (default 5,000; 0 keeps none). */
  readonly cachedStreams?: number;
  /**
   * Group commit of the commands `run` gets without a caller's transaction (HTTP commands): while `concurrency`
   * transactions of one stream type are open, the commands that arrive wait, and the next transaction takes up to
   * `maxCommands` of them (one per stream) through `runEach`. Alone, a command runs as before. Off unless given;
   * `GROUP_COMMIT` holds the services' values (docs/loop-performance.md, "Group commit").
   */
  readonly groupCommit?: { readonly concurrency: number; readonly maxCommands: number };
}

/**
 * The services' group commit (the one source of these values; ServiceKitModule passes them). Two open transactions
 * rather than four: larger groups, fewer commits, and a lower p99 at 500 changes/s (docs/loop-performance.md, section 15).
 */
export const GROUP_COMMIT = { concurrency: 2, maxCommands: 64 } as const;

/** A command waiting for a group commit, and how to answer its caller. */
interface Grouped<Command, State, Event extends DomainEvent> {
  readonly request: StepsRequest<Command, State, Event> & { readonly steps: readonly [{ readonly command: Command; readonly metadata: CommandMetadata }] };
  readonly resolve: (result: RunResult<State, Event>) => void;
  readonly reject: (error: unknown) => void;
}


interface Folded<State, P> extends CachedFold<State, P> {
  readonly streamId: string;
}

// The key lock of the idempotent consumer, the id of this transaction if it already wrote (so events it wrote
// itself, uncommitted, are never cached), and the stream's version (the event store's streams row; null: no stream).
// When the fold held is at that version the command reads no events at all. The version comes from the statement's
// snapshot, taken before the lock was waited for: a writer that committed during the wait makes it stale, the fold
// at the stale version decides, and the append at that version fails with ConcurrencyError and is read again (the
// lock is then held, so the retry's snapshot is current). It can never make a stale decision commit.
const lockSql = `SELECT pg_advisory_xact_lock(${keyLockExpression('$1')}), pg_current_xact_id_if_assigned()::text AS xid,
                        (SELECT version FROM streams WHERE stream_id = $1) AS version`;

// The key locks of several streams, in the order given (sorted by the caller of the statement), in one statement,
// each with its stream's version. The versions come from the statement's snapshot, taken before any lock. With
// `wait`, a lock is tried first and waited for only when another transaction holds it, and such a row says `waited`:
// then no version of the statement is used (a writer that held the awaited lock may have written any of the
// streams, those locked after it too), and the tails are read in a statement after the locks. Without a wait, a
// version is current but for a writer that released its lock in the instant between the snapshot and the try: the
// stale fold decides and the batch's append at that version fails (ConcurrencyError; the caller rolls back, the
// commit group runs its commands one by one). With `skip`, a lock another transaction holds is not waited for and
// its row says so (`locked` false).
const lockEachSql = (mode: 'wait' | 'skip'): string => {
  const key = keyLockExpression('k.stream_id');
  const lock =
    mode === 'wait'
      ? `true AS locked, CASE WHEN pg_try_advisory_xact_lock(${key}) THEN false ELSE pg_advisory_xact_lock(${key}) IS NOT NULL END AS waited`
      : `pg_try_advisory_xact_lock(${key}) AS locked, false AS waited`;
  return `SELECT k.stream_id, ${lock}, pg_current_xact_id_if_assigned()::text AS xid,
                 (SELECT s.version FROM streams s WHERE s.stream_id = k.stream_id) AS version
            FROM unnest($1::text[]) WITH ORDINALITY AS k (stream_id, n) ORDER BY k.n`;
};

/**
 * What the key lock statement said of a stream: this transaction's id (null before it wrote) and the stream's version
 * (0: no stream yet; undefined: not read).
 */
interface Locked {
  readonly xid: string | null;
  readonly version?: number;
}

const lockedOf = (row: { xid: string | null; version?: string | number | null }): Locked =>
  row.version === undefined ? { xid: row.xid } : { xid: row.xid, version: Number(row.version ?? 0) };

const storedOf = <Event extends DomainEvent>(recorded: RecordedEvent): StoredEvent<Event> => ({
  eventId: recorded.eventId,
  streamPosition: recorded.streamPosition,
  event: { type: recorded.type, data: recorded.data } as Event,
});

const commandTypeOf = (command: unknown): string | undefined => {
  const type = (command as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
};

/** What every new event's metadata carries: the correlation, the cause, the acting user, the command's type. */
const eventMetadataOf = (command: unknown, metadata: CommandMetadata): Record<string, string> => ({
  correlationId: metadata.correlationId,
  ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
  ...(metadata.userId === undefined ? {} : { userId: metadata.userId }),
  ...(commandTypeOf(command) === undefined ? {} : { commandType: commandTypeOf(command)! }),
});

/**
 * The one way a command changes a stream, in every service (docs/service-kit.md): load the stream, fold it with
 * `evolve`, `decide`, append the new events at the version read and enqueue their public messages in the same
 * transaction — the caller's when one is given, its own otherwise. A command either leaves both the events and
 * their outbox rows or neither (docs/architecture.md, delivery guarantee 1); nothing reaches Kafka from here.
 *
 * Before reading, the transaction takes the per-key lock the idempotent consumer takes (`keyLock`, key = stream
 * id = record key), so HTTP commands and consumers writing one stream are serialised and their outbox rows are
 * ordered by transaction id as they were applied. A command that loses a race anyway (another instance) reads
 * and decides again, bounded, unless it named the version it read.
 */
export class CommandRunner {
  private readonly maxAttempts: number;
  /** Commands of one stream run one at a time in this process; racing each other would only waste reads. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly cache: StreamCache;
  /**
   * Per caller's transaction (its EntityManager, gone with it), the folds that include the transaction's own
   * uncommitted events: the next command of that transaction on the stream (an import's history, a consumer's chunk)
   * starts from it instead of re-reading what the transaction wrote. Used only while the stream's version under the
   * key lock is the fold's, so a fold a rolled-back attempt left is never used. When the transaction commits, they
   * are committed prefixes of their streams and go into the cache (`ownFoldsCommitted`); a rollback drops them.
   */
  private readonly ownFolds = new WeakMap<EntityManager, Map<string, Folded<unknown, unknown>>>();
  /** Per stream type, the group commit's open transactions and waiting commands. */
  private readonly groups = new Map<string, TransactionGroups<Grouped<never, never, never>>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    private readonly outbox: Outbox,
    private readonly options: CommandRunnerOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.cache = new StreamCache(options.cachedStreams ?? 5_000);
    // TypeORM tells every subscriber of the data source when a transaction (or a savepoint) commits or rolls back.
    dataSource.subscribers.push({
      afterTransactionCommit: ({ queryRunner }) => {
        if (!queryRunner.isTransactionActive) this.ownFoldsCommitted(queryRunner.manager);
      },
      afterTransactionRollback: ({ queryRunner }) => {
        this.ownFolds.delete(queryRunner.manager);
      },
    });
  }

  /**
   * The caller's transaction committed: the folds of its own writes are committed prefixes of their streams from now
   * on, cached as any fold read would be. So a consumer's next chunk on a plan reads nothing of what the previous
   * one wrote (docs/service-kit.md, "Flat command cost").
   */
  private ownFoldsCommitted(manager: EntityManager): void {
    const folds = this.ownFolds.get(manager);
    if (folds === undefined) return;
    this.ownFolds.delete(manager);
    for (const [key, { version, state, publication }] of folds) this.cache.set(key, { version, state, publication });
  }

  /**
   * The stream folded to its current state, from the cached fold and the events after it (the cost does not grow
   * with the stream); as it was at `asOf` from a full read. Version 0 and the initial state when it does not exist.
   */
  async load<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streamId: string,
    options: { asOf?: Date; manager?: EntityManager } = {},
  ): Promise<LoadedStream<State>> {
    if (options.asOf !== undefined) {
      const { state, version } = await this.history(stream, streamId, options);
      return { streamId, state, version };
    }
    const { state, version } = await this.foldTail(stream, streamId, options.manager, null);
    return { streamId, state, version };
  }

  /** Every event of the stream (up to `asOf`) and their fold: for history views; a full read. */
  async history<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streamId: string,
    options: { asOf?: Date; manager?: EntityManager } = {},
  ): Promise<StreamHistory<State, Event>> {
    const events = (await this.store.readStream(streamId, options)).map((recorded) => storedOf<Event>(recorded));
    const state = fold(
      stream.decider,
      events.map(({ event }) => event),
    );
    return { streamId, state, version: events.at(-1)?.streamPosition ?? 0, events };
  }

  /** How the fold cache is doing (metrics, tests). */
  cacheStats(): { size: number; hits: number; misses: number } {
    return this.cache.stats();
  }

  run<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: RunRequest<Command, State, Event>,
  ): Promise<RunResult<State, Event>> {
    const step = (request.commandFor === undefined
      ? { command: request.command, metadata: request.metadata }
      : { commandFor: request.commandFor, metadata: request.metadata }) as Step<Command, State>;
    return this.runSteps(stream, { streamId: request.streamId, steps: [step], expectedVersion: request.expectedVersion, beforeCommit: request.beforeCommit }, request.manager);
  }

  private runSteps<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: StepsRequest<Command, State, Event>,
    manager: EntityManager | undefined,
  ): Promise<RunResult<State, Event>> {
    const { streamId } = request;
    if (manager) return this.withRetry(stream, request, manager);
    const key = cacheKey(stream, streamId);
    // After the stream's previous command in this process: a group never holds two commands of one stream.
    const run = (this.queues.get(key) ?? Promise.resolve()).then(() =>
      this.options.groupCommit && isGroupable(request) ? this.grouped(stream, request) : this.withRetry(stream, request, undefined),
    );
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  /**
   * The commands of several streams in the caller's transaction (`manager`), with one round trip per step for all of
   * them rather than per stream: the key locks (in sorted stream id order) with the streams' versions, the tails
   * after the cached folds (none read when every fold held is at its stream's version), the caller's `commandsFor`,
   * then every decision appended at the version read in one statement (`PostgresEventStore.appendEach`), every
   * outbox row in one insert, and the caller's `beforeCommit`. Under the key locks no other writer moves these
   * streams, so there is no retry: a stream that moved anyway (a writer that skipped the key lock, or one that
   * committed while the lock was waited for) fails the batch with the event store's ConcurrencyError, with the other
   * streams' events written in the transaction, so the caller rolls it back (and may run the streams one by one with
   * `run`). As with `run` in a caller's transaction, the folds after the batch's own writes are cached when that
   * transaction commits.
   */
  async runEach<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: RunEachRequest<State, Command, Event>,
  ): Promise<RunEachResult<State, Event>> {
    const { manager } = request;
    const ids = [...new Set(request.streamIds)].sort();
    if (ids.length === 0) return { results: [], skipped: [] };
    const rows = await manager.query<{ stream_id: string; locked: boolean; waited: boolean; xid: string | null; version: string | null }[]>(lockEachSql(request.lock ?? 'wait'), [ids]);
    // After a wait the snapshot is older than the locks: no version of it is used, every tail is read (lockEachSql).
    const locks = rows.some((row) => row.waited) ? rows.map((row) => ({ ...row, version: undefined })) : rows;
    const held = locks.filter((row) => request.lock !== 'skip' || row.locked);
    const locked = held.map((row) => row.stream_id);
    const skipped = request.lock === 'skip' ? locks.filter((row) => !row.locked).map((row) => row.stream_id) : [];
    // One stream (a timer firing alone, the usual case): the one-stream statements, cheaper than their batch forms.
    const folds =
      held.length === 1
        ? [await this.foldTail(stream, locked[0], manager, lockedOf(held[0]))]
        : await this.foldTails(stream, held.map((row) => ({ streamId: row.stream_id, ...lockedOf(row) })), manager);
    const commands = locked.length === 0 ? [] : await request.commandsFor(folds.map(({ streamId, state, version }) => ({ streamId, state, version })), manager);
    if (commands.length !== folds.length) throw new TypeError(`commandsFor gave ${commands.length} command lists for ${folds.length} streams`);

    const results: RunResult<State, Event>[] = [];
    const messages: OutboxMessage[] = [];
    const after: Folded<State, P | undefined>[] = [];
    const appends: { streamId: string; streamType: string; events: NewEvent[]; expectedVersion: number | 'no_stream' }[] = [];
    for (const [i, loaded] of folds.entries()) {
      let state = loaded.state;
      const decided: { readonly event: Event; readonly command: Command; readonly metadata: CommandMetadata }[] = [];
      try {
        for (const { command, metadata } of commands[i]) {
          const events = stream.decider.decide(command, state);
          state = fold(stream.decider, events, state);
          for (const event of events) decided.push({ event, command, metadata });
        }
      } catch (error) {
        if (request.onRefused === undefined) throw error;
        request.onRefused(loaded.streamId, error);
        continue;
      }
      if (decided.length === 0) {
        results.push({ streamId: loaded.streamId, version: loaded.version, events: [], state: loaded.state });
        continue;
      }
      const stored = decided.map(({ event }, n) => ({ eventId: randomUUID(), streamPosition: loaded.version + n + 1, event }));
      const published = this.messagesOf(stream, loaded.publication, stored, decided.map(({ metadata }) => metadata));
      messages.push(...published.messages);
      after.push({ streamId: loaded.streamId, version: loaded.version + stored.length, state, publication: published.publication });
      appends.push({
        streamId: loaded.streamId,
        streamType: stream.streamType,
        events: stored.map(({ eventId, event }, n) => ({ eventId, type: event.type, data: event.data, metadata: eventMetadataOf(decided[n].command, decided[n].metadata) })),
        expectedVersion: loaded.version === 0 ? 'no_stream' : loaded.version,
      });
      results.push({ streamId: loaded.streamId, version: loaded.version + stored.length, events: stored, state });
    }
    if (appends.length > 0) {
      // One statement for every stream's events (the store checks each stream's version).
      const started = process.hrtime.bigint();
      if (appends.length === 1) await this.store.append(appends[0].streamId, appends[0].streamType, appends[0].events, { expectedVersion: appends[0].expectedVersion, manager });
      else await this.store.appendEach(appends, { manager });
      this.options.onAppend?.(stream.streamType, Number(process.hrtime.bigint() - started) / 1e9, appends.reduce((sum, a) => sum + a.events.length, 0));
      for (const fold of after) this.keepOwn(stream, manager, fold);
    }
    await this.outbox.enqueue(manager, messages);
    await request.beforeCommit?.(results, manager);
    return { results, skipped };
  }

  private grouped<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: Grouped<Command, State, Event>['request'],
  ): Promise<RunResult<State, Event>> {
    const groups = this.groups.get(stream.streamType) ?? this.groupsOf(stream);
    return new Promise<RunResult<State, Event>>((resolve, reject) => groups.add({ request, resolve, reject } as unknown as Grouped<never, never, never>));
  }

  private groupsOf<State, Command, Event extends DomainEvent, P>(stream: EventStream<State, Command, Event, P>): TransactionGroups<Grouped<never, never, never>> {
    const { concurrency, maxCommands } = this.options.groupCommit!;
    const groups = new TransactionGroups<Grouped<never, never, never>>({
      concurrency,
      limit: maxCommands,
      commit: (commands) => this.commitGroup(stream, commands as unknown as readonly Grouped<Command, State, Event>[]),
    });
    this.groups.set(stream.streamType, groups);
    return groups;
  }

  /**
   * One transaction for the commands of several streams: each under its key lock, decided on its own (a refusal or
   * a version conflict answers that command alone), all appended and enqueued together, one commit. A batch that
   * fails otherwise (a lost race with a writer that skipped the lock, a database error) rolls back, and each of its
   * commands then runs alone with the usual retries. One command alone runs as `run` always did.
   */
  private async commitGroup<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    commands: readonly Grouped<Command, State, Event>[],
  ): Promise<void> {
    const alone = (command: Grouped<Command, State, Event>) => this.withRetry(stream, command.request, undefined).then(command.resolve, command.reject);
    if (commands.length === 1) return alone(commands[0]);
    const byStream = new Map(commands.map((command) => [command.request.streamId, command]));
    const answered = new Map<string, unknown>();
    let results: readonly RunResult<State, Event>[];
    try {
      results = await this.dataSource.transaction(async (manager) => {
        const batch = await this.runEach(stream, {
          streamIds: [...byStream.keys()],
          manager,
          commandsFor: (loaded) =>
            Promise.resolve(loaded.map(({ streamId, version }) => {
              const { request } = byStream.get(streamId)!;
              if (request.expectedVersion !== undefined && request.expectedVersion !== version) {
                answered.set(streamId, new VersionConflict(streamId, request.expectedVersion, version));
                return [];
              }
              return request.steps;
            })),
          onRefused: (streamId, error) => answered.set(streamId, error),
        });
        return batch.results;
      });
    } catch {
      await Promise.all(commands.map(alone));
      return;
    }
    // Committed: the folds after the batch went into the cache with the commit (ownFoldsCommitted).
    const byId = new Map(results.map((result) => [result.streamId, result]));
    for (const [streamId, command] of byStream) {
      if (answered.has(streamId)) command.reject(answered.get(streamId));
      else command.resolve(byId.get(streamId)!);
    }
  }

  private async withRetry<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: StepsRequest<Command, State, Event>,
    manager: EntityManager | undefined,
  ): Promise<RunResult<State, Event>> {
    // A caller that named a version gets the conflict. One that did not asked for "as it is now": after losing a
    // race we read again and decide again, against the state that won, with a little jitter so racers part.
    const attempts = request.expectedVersion === undefined ? this.maxAttempts : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (manager) {
          const { result, after } = await this.attempt(stream, request, manager);
          if (after) this.keepOwn(stream, manager, { streamId: request.streamId, ...after });
          return result;
        }
        const { result, after } = await this.dataSource.transaction((own) => this.attempt(stream, request, own));
        // Committed: the fold after the command is a prefix of the stream from now on.
        if (after) this.cache.set(cacheKey(stream, request.streamId), after);
        return result;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        this.cache.forget(cacheKey(stream, request.streamId));
        if (manager) this.ownFolds.get(manager)?.delete(cacheKey(stream, request.streamId));
        if (request.expectedVersion !== undefined) {
          throw new VersionConflict(request.streamId, request.expectedVersion, error.actualVersion ?? 0);
        }
        if (attempt >= attempts) throw new ConcurrentModification(request.streamId, attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  private async attempt<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: StepsRequest<Command, State, Event>,
    manager: EntityManager,
  ): Promise<{ result: RunResult<State, Event>; after?: CachedFold<State, P | undefined> }> {
    const { streamId, steps } = request;
    const [row] = await manager.query<{ xid: string | null; version: string | null }[]>(lockSql, [streamId]);
    const loaded = await this.foldTail(stream, streamId, manager, lockedOf(row));
    if (request.expectedVersion !== undefined && request.expectedVersion !== loaded.version) {
      throw new VersionConflict(streamId, request.expectedVersion, loaded.version);
    }
    let state = loaded.state;
    const decided: { readonly event: Event; readonly command: Command; readonly metadata: CommandMetadata }[] = [];
    for (const step of steps) {
      const command =
        step.commandFor === undefined
          ? step.command
          : await step.commandFor({ streamId, state, version: loaded.version + decided.length }, manager);
      const events = stream.decider.decide(command, state);
      state = fold(stream.decider, events, state);
      for (const event of events) decided.push({ event, command, metadata: step.metadata });
    }
    if (decided.length === 0) {
      const unchanged = { streamId, version: loaded.version, events: [], state: loaded.state };
      await request.beforeCommit?.(unchanged, manager);
      return { result: unchanged };
    }

    const stored = decided.map(({ event }, i) => ({ eventId: randomUUID(), streamPosition: loaded.version + i + 1, event }));
    const { messages, publication } = this.messagesOf(
      stream,
      loaded.publication,
      stored,
      decided.map(({ metadata }) => metadata),
    );
    const started = process.hrtime.bigint();
    const appended = await this.store.append(
      streamId,
      stream.streamType,
      stored.map(({ eventId, event }, i) => ({ eventId, type: event.type, data: event.data, metadata: eventMetadataOf(decided[i].command, decided[i].metadata) })),
      { expectedVersion: loaded.version === 0 ? 'no_stream' : loaded.version, manager },
    );
    await this.outbox.enqueue(manager, messages);
    this.options.onAppend?.(stream.streamType, Number(process.hrtime.bigint() - started) / 1e9, stored.length);
    const result = { streamId, version: appended.nextExpectedVersion, events: stored, state };
    await request.beforeCommit?.(result, manager);
    return { result, after: { version: appended.nextExpectedVersion, state, publication } };
  }

  /**
   * The cached fold of the stream with the events after it read and folded on. What is cached again is the longest
   * committed prefix read: events this transaction wrote itself (`locked.xid`) are folded but never cached. Under the
   * key lock (`locked`), a fold held at the stream's version is the whole stream: no events are read.
   */
  private async foldTail<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streamId: string,
    manager: EntityManager | undefined,
    locked: Locked | null,
  ): Promise<Folded<State, P | undefined>> {
    const start = this.startOf(stream, streamId, manager, locked);
    const tail =
      locked?.version !== undefined && start.version === locked.version ? [] : await this.store.readStream(streamId, { fromVersion: start.version + 1, manager });
    return this.foldOn(stream, start, tail, locked?.xid ?? null);
  }

  /** `foldTail` for several streams at once, under their key locks: one read of the tails not already held. */
  private async foldTails<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streams: readonly ({ readonly streamId: string } & Locked)[],
    manager: EntityManager,
  ): Promise<Folded<State, P | undefined>[]> {
    const starts = streams.map((locked) => ({ locked, start: this.startOf(stream, locked.streamId, manager, locked) }));
    const behind = starts.filter(({ locked, start }) => locked.version === undefined || start.version !== locked.version);
    const tails =
      behind.length === 0
        ? new Map<string, RecordedEvent[]>()
        : await this.store.readStreams(
            behind.map(({ start }) => ({ streamId: start.streamId, fromVersion: start.version + 1 })),
            { manager },
          );
    return starts.map(({ locked, start }) => this.foldOn(stream, start, tails.get(start.streamId) ?? [], locked.xid));
  }

  /**
   * Where a fold of the stream starts: under the key lock, this transaction's own fold (when the lock statement read
   * the version, only at it), else the cached committed fold, else the initial state. Without a savepoint (the
   * services use none) a transaction's own writes cannot vanish before it ends, so an own fold is a prefix of what
   * the transaction reads; the version check covers a retried attempt all the same.
   */
  private startOf<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streamId: string,
    manager: EntityManager | undefined,
    locked: Locked | null,
  ): Folded<State, P | undefined> {
    const key = cacheKey(stream, streamId);
    const own = manager === undefined || locked === null ? undefined : this.ownFolds.get(manager)?.get(key);
    if (own !== undefined && (locked?.version === undefined || own.version === locked.version)) return own as Folded<State, P | undefined>;
    const cached = this.cache.get<State, P | undefined>(key);
    return cached ? { streamId, ...cached } : { streamId, version: 0, state: stream.decider.initialState(), publication: stream.publication?.initialState() };
  }

  /** Remembers, for the rest of the caller's transaction, the fold after its own writes to the stream. */
  private keepOwn<State, Command, Event extends DomainEvent, P>(stream: EventStream<State, Command, Event, P>, manager: EntityManager, fold: Folded<State, P | undefined>): void {
    let folds = this.ownFolds.get(manager);
    if (folds === undefined) this.ownFolds.set(manager, (folds = new Map<string, Folded<unknown, unknown>>()));
    folds.set(cacheKey(stream, fold.streamId), fold);
  }

  /** Folds `tail` onto `start` and caches the longest committed prefix of it (never this transaction's own events). */
  private foldOn<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    start: Folded<State, P | undefined>,
    tail: readonly RecordedEvent[],
    ownTransactionId: string | null,
  ): Folded<State, P | undefined> {
    const publication = stream.publication;
    let folded = start;
    let committed: CachedFold<State, P | undefined> | undefined;
    let ownSeen = false;
    for (const recorded of tail) {
      const stored = storedOf<Event>(recorded);
      folded = {
        streamId: start.streamId,
        version: stored.streamPosition,
        state: stream.decider.evolve(folded.state, stored.event),
        publication: publication ? publication.evolve(folded.publication as P, stored) : undefined,
      };
      ownSeen ||= recorded.transactionId === ownTransactionId;
      if (!ownSeen) committed = folded;
    }
    if (committed) this.cache.set(cacheKey(stream, start.streamId), committed);
    return folded;
  }

  private messagesOf<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    before: P | undefined,
    stored: readonly StoredEvent<Event>[],
    metadataOf: readonly CommandMetadata[],
  ): { messages: OutboxMessage[]; publication: P | undefined } {
    const publication = stream.publication;
    if (!publication) return { messages: [], publication: undefined };
    let state = before as P;
    const messages = stored.flatMap((event, i) => {
      state = publication.evolve(state, event);
      return publication.messagesOf(event, state, metadataOf[i]);
    });
    return { messages, publication: state };
  }
}

/** A step of a run: its command (or how to build it from the state read), and what caused it. */
type Step<Command, State> = { readonly metadata: CommandMetadata } & (
  | { readonly command: Command; readonly commandFor?: undefined }
  | { readonly command?: undefined; readonly commandFor: (loaded: LoadedStream<State>, manager: EntityManager) => Command | Promise<Command> }
);

interface StepsRequest<Command, State, Event extends DomainEvent> {
  readonly streamId: string;
  readonly steps: readonly Step<Command, State>[];
  readonly expectedVersion?: number;
  readonly beforeCommit?: (result: RunResult<State, Event>, manager: EntityManager) => Promise<void>;
}

const cacheKey = (stream: { streamType: string }, streamId: string): string => `${stream.streamType}/${streamId}`;

/** A command the group commit can take: one command given as is, nothing of the caller's to write with it. */
const isGroupable = <Command, State, Event extends DomainEvent>(
  request: StepsRequest<Command, State, Event>,
): request is Grouped<Command, State, Event>['request'] =>
  request.steps.length === 1 && request.steps[0].commandFor === undefined && request.beforeCommit === undefined;
