import { randomUUID } from 'node:crypto';
import { fold, type CommandMetadata, type DomainEvent } from '@golden-loop/decider';
import { ConcurrencyError, PostgresEventStore, type RecordedEvent } from '@golden-loop/event-store';
import { keyLockExpression, Outbox, type OutboxMessage } from '@golden-loop/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { ConcurrentModification, VersionConflict } from './errors';
import type { EventStream, StoredEvent } from './event-stream';
import { StreamCache, type CachedFold } from './stream-cache';

export interface RunRequest<Command> {
  readonly streamId: string;
  readonly command: Command;
  readonly metadata: CommandMetadata;
  /** The version the caller read (If-Match). When the stream has moved on, the command fails with VersionConflict. */
  readonly expectedVersion?: number;
  /**
   * Join this transaction (a Kafka consumer's inbox transaction) instead of opening one: the new events, their
   * outbox rows and the caller's own writes then commit together.
   */
  readonly manager?: EntityManager;
}

/** One command of a sequence, with the metadata of what caused it (a consumed event, say). */
export interface SequenceStep<Command> {
  readonly command: Command;
  readonly metadata: CommandMetadata;
}

export interface SequenceRequest<Command> {
  readonly streamId: string;
  /** Decided in order, each on the state the previous ones left: one read, one append, one outbox insert. */
  readonly steps: readonly SequenceStep<Command>[];
  /** As in RunRequest: join this transaction instead of opening one. */
  readonly manager?: EntityManager;
}

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

export interface CommandRunnerOptions {
  /** Attempts of a command without an expected version that keeps losing races (default 10). */
  readonly maxAttempts?: number;
  /** Told the duration of every append that committed (metrics). */
  readonly onAppend?: (streamType: string, seconds: number, events: number) => void;
  /** Streams whose fold is kept between commands (default 5,000; 0 keeps none). */
  readonly cachedStreams?: number;
}

interface Folded<State, P> extends CachedFold<State, P> {
  readonly streamId: string;
}

// The key lock of the idempotent consumer, and the id of this transaction if it already wrote (so events it wrote
// itself, uncommitted, are never cached).
const lockSql = `SELECT pg_advisory_xact_lock(${keyLockExpression('$1')}), pg_current_xact_id_if_assigned()::text AS xid`;

const storedOf = <Event extends DomainEvent>(recorded: RecordedEvent): StoredEvent<Event> => ({
  eventId: recorded.eventId,
  streamPosition: recorded.streamPosition,
  event: { type: recorded.type, data: recorded.data } as Event,
});

const commandTypeOf = (command: unknown): string | undefined => {
  const type = (command as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
};

/**
 * The one way a command changes a stream, in every service (docs/service-kit.md): load the stream, fold it with
 * `evolve`, `decide`, append the new events at the version read and enqueue their public messages in the same
 * transaction — the caller's when one is given, its own otherwise. A command either leaves both the events and
 * their outbox rows or neither (ARCHITECTURE.md, delivery guarantee 1); nothing reaches Kafka from here.
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

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    private readonly outbox: Outbox,
    private readonly options: CommandRunnerOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.cache = new StreamCache(options.cachedStreams ?? 5_000);
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
    request: RunRequest<Command>,
  ): Promise<RunResult<State, Event>> {
    return this.runSteps(stream, request.streamId, [{ command: request.command, metadata: request.metadata }], request.expectedVersion, request.manager);
  }

  /**
   * Several commands on one stream in one read, one append and one outbox insert, each decided on the state the
   * previous left and stored with its own metadata (a consumer applying a batch of one plan's messages).
   */
  runSequence<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: SequenceRequest<Command>,
  ): Promise<RunResult<State, Event>> {
    return this.runSteps(stream, request.streamId, request.steps, undefined, request.manager);
  }

  private runSteps<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streamId: string,
    steps: readonly SequenceStep<Command>[],
    expectedVersion: number | undefined,
    manager: EntityManager | undefined,
  ): Promise<RunResult<State, Event>> {
    const request = { streamId, steps, expectedVersion };
    if (manager) return this.withRetry(stream, request, manager);
    const key = cacheKey(stream, streamId);
    const run = (this.queues.get(key) ?? Promise.resolve()).then(() =>
      this.withRetry(stream, request, undefined),
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

  private async withRetry<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: StepsRequest<Command>,
    manager: EntityManager | undefined,
  ): Promise<RunResult<State, Event>> {
    // A caller that named a version gets the conflict. One that did not asked for "as it is now": after losing a
    // race we read again and decide again, against the state that won, with a little jitter so racers part.
    const attempts = request.expectedVersion === undefined ? this.maxAttempts : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (manager) return (await this.attempt(stream, request, manager)).result;
        const { result, after } = await this.dataSource.transaction((own) => this.attempt(stream, request, own));
        // Committed: the fold after the command is a prefix of the stream from now on.
        if (after) this.cache.set(cacheKey(stream, request.streamId), after);
        return result;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        this.cache.forget(cacheKey(stream, request.streamId));
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
    request: StepsRequest<Command>,
    manager: EntityManager,
  ): Promise<{ result: RunResult<State, Event>; after?: CachedFold<State, P | undefined> }> {
    const { streamId, steps } = request;
    const [{ xid }] = await manager.query<{ xid: string | null }[]>(lockSql, [streamId]);
    const loaded = await this.foldTail(stream, streamId, manager, xid);
    if (request.expectedVersion !== undefined && request.expectedVersion !== loaded.version) {
      throw new VersionConflict(streamId, request.expectedVersion, loaded.version);
    }
    let state = loaded.state;
    const decided: { readonly event: Event; readonly step: SequenceStep<Command> }[] = [];
    for (const step of steps) {
      const events = stream.decider.decide(step.command, state);
      state = fold(stream.decider, events, state);
      for (const event of events) decided.push({ event, step });
    }
    if (decided.length === 0) return { result: { streamId, version: loaded.version, events: [], state: loaded.state } };

    const stored = decided.map(({ event }, i) => ({ eventId: randomUUID(), streamPosition: loaded.version + i + 1, event }));
    const { messages, publication } = this.messagesOf(
      stream,
      loaded.publication,
      stored,
      decided.map(({ step }) => step.metadata),
    );
    const started = process.hrtime.bigint();
    const appended = await this.store.append(
      streamId,
      stream.streamType,
      stored.map(({ eventId, event }, i) => ({ eventId, type: event.type, data: event.data, metadata: eventMetadataOf(decided[i].step) })),
      { expectedVersion: loaded.version === 0 ? 'no_stream' : loaded.version, manager },
    );
    await this.outbox.enqueue(manager, messages);
    this.options.onAppend?.(stream.streamType, Number(process.hrtime.bigint() - started) / 1e9, stored.length);
    return {
      result: { streamId, version: appended.nextExpectedVersion, events: stored, state },
      after: { version: appended.nextExpectedVersion, state, publication },
    };
  }

  /**
   * The cached fold of the stream with the events after it read and folded on. What is cached again is the longest
   * committed prefix read: events this transaction wrote itself (`ownTransactionId`) are folded but never cached.
   */
  private async foldTail<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streamId: string,
    manager: EntityManager | undefined,
    ownTransactionId: string | null,
  ): Promise<Folded<State, P | undefined>> {
    const key = cacheKey(stream, streamId);
    const publication = stream.publication;
    const cached = this.cache.get<State, P | undefined>(key);
    let folded: Folded<State, P | undefined> = cached
      ? { streamId, ...cached }
      : { streamId, version: 0, state: stream.decider.initialState(), publication: publication?.initialState() };
    const tail = await this.store.readStream(streamId, { fromVersion: folded.version + 1, manager });
    let committed: CachedFold<State, P | undefined> | undefined;
    let ownSeen = false;
    for (const recorded of tail) {
      const stored = storedOf<Event>(recorded);
      folded = {
        streamId,
        version: stored.streamPosition,
        state: stream.decider.evolve(folded.state, stored.event),
        publication: publication ? publication.evolve(folded.publication as P, stored) : undefined,
      };
      ownSeen ||= recorded.transactionId === ownTransactionId;
      if (!ownSeen) committed = folded;
    }
    if (committed) this.cache.set(key, committed);
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

interface StepsRequest<Command> {
  readonly streamId: string;
  readonly steps: readonly SequenceStep<Command>[];
  readonly expectedVersion?: number;
}

const eventMetadataOf = <Command>({ command, metadata }: SequenceStep<Command>) => ({
  correlationId: metadata.correlationId,
  ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
  ...(metadata.userId === undefined ? {} : { userId: metadata.userId }),
  ...(commandTypeOf(command) === undefined ? {} : { commandType: commandTypeOf(command) }),
});

const cacheKey = (stream: { streamType: string }, streamId: string): string => `${stream.streamType}/${streamId}`;
