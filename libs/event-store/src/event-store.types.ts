import type { EntityManager } from 'typeorm';

export type EventMetadata = Record<string, unknown>;

/** An event to append. `eventId` is a UUID chosen by the caller, so a retried command can be recognised. */
export interface NewEvent<Data = unknown> {
  readonly eventId: string;
  readonly type: string;
  /** Version of the `data` shape; 1 when omitted. Upcasters raise older versions on read. */
  readonly schemaVersion?: number;
  readonly data: Data;
  readonly metadata?: EventMetadata;
}

/**
 * A stored event as every read path returns it (already upcasted).
 * Positions are PostgreSQL bigints exposed as JS numbers: exact up to 2^53 - 1, and the store throws
 * rather than round beyond that (9e15 events: 28,000 years at 10,000 events/s).
 * `transactionId` is an xid8 kept as a decimal string: it is opaque and only PostgreSQL compares it.
 */
export interface RecordedEvent<Data = unknown, Metadata extends EventMetadata = EventMetadata> {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: Metadata;
  readonly streamId: string;
  readonly streamType: string;
  /** 1 for the first event of a stream; equals the stream version after that event. */
  readonly streamPosition: number;
  readonly globalPosition: number;
  readonly transactionId: string;
  /** Millisecond precision (stored truncated to the millisecond, so it round-trips through `Date`). */
  readonly recordedAt: Date;
}

/**
 * `number`: the stream must be exactly at this version (0 means the stream must not exist yet, like `no_stream`);
 * `no_stream`: the stream must not exist; `any`: no check (creates the stream when missing).
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
  /** A transaction's manager: the append joins that transaction (events + outbox rows commit together). */
  readonly manager?: EntityManager;
}

export interface AppendResult {
  /** The stream version after the append: pass it as `expectedVersion` to append again. */
  readonly nextExpectedVersion: number;
  /** Global positions of the appended events, in stream order. */
  readonly globalPositions: number[];
}

export interface ReadStreamOptions {
  /** First stream position to return (inclusive). */
  readonly fromVersion?: number;
  /** Last stream position to return (inclusive). */
  readonly toVersion?: number;
  /** Only events recorded at or before this instant: the stream as it was then. */
  readonly asOf?: Date;
  readonly manager?: EntityManager;
}

/** Position of a reader in the global order `(transaction_id, global_position)`. */
export interface Checkpoint {
  readonly transactionId: string;
  readonly globalPosition: number;
}

export interface ReadAllOptions {
  /** Maximum number of events returned; 1000 when omitted. */
  readonly batchSize?: number;
  readonly manager?: EntityManager;
}

export interface ReadAllResult {
  readonly events: RecordedEvent[];
  /** Checkpoint after the last returned event; the `after` argument when nothing was returned. */
  readonly checkpoint: Checkpoint | null;
}

export interface UpcastResult {
  readonly data: unknown;
  readonly schemaVersion: number;
  readonly metadata?: EventMetadata;
}

/**
 * Raises one stored schema version of an event to a later one. Declared through a method so that an
 * upcaster may name the exact shape it reads (`(data: GoalAddedV1) => ...`): method parameters are bivariant.
 */
export type Upcaster = {
  upcast(data: never, metadata: EventMetadata): UpcastResult;
}['upcast'];

/** `{ [eventType]: { [fromSchemaVersion]: upcaster } }`, chained v1 → v2 → v3 on every read path. */
export type Upcasters = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

export interface EventStoreOptions {
  readonly upcasters?: Upcasters;
  /**
   * Use named (server-side prepared) statements for the hot queries: default true.
   * Turn off behind a pooler in transaction mode (PgBouncer), where a prepared statement can land on another server connection.
   */
  readonly preparedStatements?: boolean;
}

export type SubscriptionHandler = (events: RecordedEvent[], manager: EntityManager) => Promise<void>;

export interface SubscribeOptions {
  /** Names the checkpoint row; one id per projection or relay. */
  readonly subscriptionId: string;
  /** Runs in the batch's transaction: write projections through `manager` only. Throwing rolls the batch back. */
  readonly handler: SubscriptionHandler;
  /** Events per transaction; 500 when omitted. */
  readonly batchSize?: number;
  /** Pause when caught up; 100 ms when omitted. */
  readonly pollIntervalMs?: number;
  /** Clears the projection's own tables; `rebuild()` runs it with the checkpoint reset in one transaction. */
  readonly onReset?: (manager: EntityManager) => Promise<void>;
  /** Told about every failed batch (the batch is retried with back-off); logs through the Nest Logger when omitted. */
  readonly onError?: (error: unknown, subscriptionId: string) => void;
  /** Start polling now (default). `false` gives a handle that only processes on `drain()`. */
  readonly start?: boolean;
}

export interface SubscriptionLag {
  readonly subscriptionId: string;
  readonly checkpoint: Checkpoint | null;
  /** The last committed event in the global order, null for an empty store. */
  readonly head: Checkpoint | null;
  /** Committed events after the checkpoint (exact count, cost grows with the lag). */
  readonly pendingEvents: number;
}

export interface SubscriptionHandle {
  readonly subscriptionId: string;
  /** True while the handle polls (between `subscribe` with `start` and `stop()`). */
  readonly running: boolean;
  /**
   * Processes batches until every event committed before the call is handled, waiting (up to `timeoutMs`,
   * default 30 s, then `SubscriptionDrainTimeout`) while an open transaction holds the watermark back;
   * returns the number of events handled.
   */
  drain(options?: { timeoutMs?: number }): Promise<number>;
  /** Runs `onReset` and deletes the checkpoint in one transaction; the subscription then replays from the start. */
  rebuild(): Promise<void>;
  lag(): Promise<SubscriptionLag>;
  /** Stops polling after the batch in flight commits. */
  stop(): Promise<void>;
}
