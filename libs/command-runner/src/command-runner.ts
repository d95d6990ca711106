import { randomUUID } from 'node:crypto';
import { fold, type CommandMetadata, type DomainEvent } from '@golden-loop/decider';
import { ConcurrencyError, PostgresEventStore, type RecordedEvent } from '@golden-loop/event-store';
import { keyLock, Outbox } from '@golden-loop/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { ConcurrentModification, VersionConflict } from './errors';
import type { EventStream, StoredEvent } from './event-stream';

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

/** One command of a sequence, with the metadata of what caused it (each consumed message its own). */
export interface SequenceStep<Command> {
  readonly command: Command;
  readonly metadata: CommandMetadata;
}

export interface SequenceRequest<Command> {
  readonly streamId: string;
  /** Decided in order, each on the state the previous ones left. */
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

export interface LoadedStream<State, Event extends DomainEvent> {
  readonly streamId: string;
  readonly state: State;
  /** 0 when the stream does not exist. */
  readonly version: number;
  readonly events: readonly StoredEvent<Event>[];
}

export interface CommandRunnerOptions {
  /** Attempts of a command without an expected version that keeps losing races (default 10). */
  readonly maxAttempts?: number;
  /** Told the duration of every append that committed (metrics). */
  readonly onAppend?: (streamType: string, seconds: number, events: number) => void;
}

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

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    private readonly outbox: Outbox,
    private readonly options: CommandRunnerOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
  }

  /** The stream folded to its current state (or as it was at `asOf`); version 0 and the initial state when it does not exist. */
  async load<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streamId: string,
    options: { asOf?: Date; manager?: EntityManager } = {},
  ): Promise<LoadedStream<State, Event>> {
    const events = (await this.store.readStream(streamId, options)).map((recorded) => storedOf<Event>(recorded));
    const state = fold(
      stream.decider,
      events.map(({ event }) => event),
    );
    return { streamId, state, version: events.at(-1)?.streamPosition ?? 0, events };
  }

  run<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: RunRequest<Command>,
  ): Promise<RunResult<State, Event>> {
    return this.queued(stream, request.streamId, request.manager, (manager) =>
      this.withRetry(stream, request.streamId, [{ command: request.command, metadata: request.metadata }], request.expectedVersion, manager),
    );
  }

  /**
   * Several commands on one stream in one go, as a consumer applying a batch of one plan's messages does: one read,
   * each command decided on the state the previous ones left, one append and one outbox insert for them all. Each
   * step's events carry its own metadata (correlation, causation) to the store and to their messages. No expected
   * version: a lost race is read and decided again, as for `run` without one.
   */
  runSequence<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    request: SequenceRequest<Command>,
  ): Promise<RunResult<State, Event>> {
    return this.queued(stream, request.streamId, request.manager, (manager) => this.withRetry(stream, request.streamId, request.steps, undefined, manager));
  }

  private queued<T>(
    stream: { readonly streamType: string },
    streamId: string,
    manager: EntityManager | undefined,
    work: (manager: EntityManager | undefined) => Promise<T>,
  ): Promise<T> {
    if (manager) return work(manager);
    const key = `${stream.streamType}/${streamId}`;
    const run = (this.queues.get(key) ?? Promise.resolve()).then(() => work(undefined));
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
    streamId: string,
    steps: readonly SequenceStep<Command>[],
    expectedVersion: number | undefined,
    manager: EntityManager | undefined,
  ): Promise<RunResult<State, Event>> {
    // A caller that named a version gets the conflict. One that did not asked for "as it is now": after losing a
    // race we read again and decide again, against the state that won, with a little jitter so racers part.
    const attempts = expectedVersion === undefined ? this.maxAttempts : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return manager
          ? await this.attempt(stream, streamId, steps, expectedVersion, manager)
          : await this.dataSource.transaction((own) => this.attempt(stream, streamId, steps, expectedVersion, own));
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (expectedVersion !== undefined) {
          throw new VersionConflict(streamId, expectedVersion, error.actualVersion ?? 0);
        }
        if (attempt >= attempts) throw new ConcurrentModification(streamId, attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  private async attempt<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    streamId: string,
    steps: readonly SequenceStep<Command>[],
    expectedVersion: number | undefined,
    manager: EntityManager,
  ): Promise<RunResult<State, Event>> {
    await manager.query(keyLock.sql, [streamId]);
    const loaded = await this.load(stream, streamId, { manager });
    if (expectedVersion !== undefined && expectedVersion !== loaded.version) {
      throw new VersionConflict(streamId, expectedVersion, loaded.version);
    }
    let state = loaded.state;
    const decided: { readonly event: Event; readonly step: SequenceStep<Command> }[] = [];
    for (const step of steps) {
      const events = stream.decider.decide(step.command, state);
      state = fold(stream.decider, events, state);
      for (const event of events) decided.push({ event, step });
    }
    if (decided.length === 0) return { streamId, version: loaded.version, events: [], state: loaded.state };

    const stored = decided.map(({ event }, i) => ({ eventId: randomUUID(), streamPosition: loaded.version + i + 1, event }));
    const eventMetadataOf = ({ command, metadata }: SequenceStep<Command>) => ({
      correlationId: metadata.correlationId,
      ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
      ...(metadata.userId === undefined ? {} : { userId: metadata.userId }),
      ...(commandTypeOf(command) === undefined ? {} : { commandType: commandTypeOf(command) }),
    });
    const messages = this.messagesOf(
      stream,
      loaded.events,
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
    return { streamId, version: appended.nextExpectedVersion, events: stored, state };
  }

  private messagesOf<State, Command, Event extends DomainEvent, P>(
    stream: EventStream<State, Command, Event, P>,
    history: readonly StoredEvent<Event>[],
    stored: readonly StoredEvent<Event>[],
    metadataOf: readonly CommandMetadata[],
  ) {
    const publication = stream.publication;
    if (!publication) return [];
    let state = history.reduce(publication.evolve, publication.initialState());
    return stored.flatMap((event, i) => {
      state = publication.evolve(state, event);
      return publication.messagesOf(event, state, metadataOf[i]);
    });
  }
}
