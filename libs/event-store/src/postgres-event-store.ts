import { DatabaseError, type PoolClient, type QueryResultRow } from 'pg';
import { type DataSource, type EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';
import {
  ConcurrencyError,
  DuplicateEventError,
  EventStoreError,
  InvalidAppendError,
  PositionOverflowError,
} from './errors';
import * as sql from './event-store.sql';
import type {
  AppendOptions,
  AppendResult,
  Checkpoint,
  EventStoreOptions,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionHandle,
  SubscriptionHandler,
  SubscriptionLag,
  Upcasters,
} from './event-store.types';
import { PollingSubscription, type SubscriptionBatches } from './polling-subscription';
import { upcast } from './upcasting';

/** What the store needs from TypeORM's PostgresDriver: a pooled pg client, as its own query runners get one. */
interface PgPoolDriver {
  obtainMasterConnection(): Promise<[PoolClient, (error?: unknown) => void]>;
}

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_position: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
  stream_type: string;
}

interface PositionRow {
  transaction_id: string;
  global_position: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxBigint = '9223372036854775807';
const beforeEverything: Checkpoint = { transactionId: '0', globalPosition: 0 };

const safeNumber = (value: string | number): number => {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new PositionOverflowError(String(value));
  return result;
};

const toCheckpoint = (row: PositionRow | undefined): Checkpoint | null =>
  row ? { transactionId: row.transaction_id, globalPosition: safeNumber(row.global_position) } : null;

type Expected = number | 'no_stream' | 'any';

/** An append of several events: one prepared statement, the events as one JSON array (event-store.sql.ts). */
const appendMany = (streamId: string, expected: Expected, events: readonly NewEvent[], last: string | number): [sql.Statement, unknown[]] => [
  expected === 'no_stream' ? sql.appendToNewStream : expected === 'any' ? sql.appendAtAnyVersion : sql.appendAtVersion,
  [
    streamId,
    events.length,
    JSON.stringify(
      events.map((event) => ({
        id: event.eventId,
        type: event.type,
        version: event.schemaVersion ?? 1,
        data: event.data ?? null,
        metadata: event.metadata ?? {},
      })),
    ),
    last,
  ],
];

/**
 * An append of one event: its fields as parameters, no JSON array to expand. Stores what `appendMany` stores for
 * the same event: data whose JSON is undefined (a function, a toJSON giving undefined) is left out of the array
 * and stored as null, hence the `?? 'null'`.
 */
const appendOne = (streamId: string, expected: Expected, event: NewEvent, last: string | number): [sql.Statement, unknown[]] => [
  expected === 'no_stream' ? sql.appendOneToNewStream : expected === 'any' ? sql.appendOneAtAnyVersion : sql.appendOneAtVersion,
  [
    streamId,
    event.eventId,
    event.type,
    event.schemaVersion ?? 1,
    JSON.stringify(event.data ?? null) ?? 'null',
    JSON.stringify(event.metadata ?? {}) ?? '{}',
    last,
  ],
];

/**
 * Append-only event store on PostgreSQL (see README.md). Runs its statements as plain pg queries on the
 * DataSource's pool (or on the caller's transaction connection), bypassing TypeORM's query layer and logger:
 * the append is one prepared statement, which is what keeps it near raw INSERT speed.
 */
export class PostgresEventStore {
  private readonly upcasters: Upcasters;
  private readonly preparedStatements: boolean;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly batches: SubscriptionBatches;

  constructor(
    private readonly dataSource: DataSource,
    options: EventStoreOptions = {},
  ) {
    if (dataSource.options.type !== 'postgres') {
      throw new TypeError(`PostgresEventStore needs a postgres DataSource, got ${dataSource.options.type}`);
    }
    this.upcasters = options.upcasters ?? {};
    this.preparedStatements = options.preparedStatements ?? true;
    this.batches = {
      process: (subscriptionId, handler, batchSize, waitForLock) =>
        this.processBatch(subscriptionId, handler, batchSize, waitForLock),
      rebuild: (subscriptionId, reset) => this.rebuild(subscriptionId, reset),
      lag: (subscriptionId) => this.subscriptionLag(subscriptionId),
    };
  }

  async append(
    streamId: string,
    streamType: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const expected = this.checkAppend(streamId, streamType, events, options.expectedVersion);
    return this.withClient(options.manager, async (client) => {
      if (events.length === 0) return this.checkVersionOnly(client, streamId, options.expectedVersion, expected);
      const last = expected === 'no_stream' || expected === 'any' ? streamType : expected;
      let rows: { global_position: string; stream_position: string }[];
      try {
        ({ rows } = await this.run<{ global_position: string; stream_position: string }>(
          client,
          ...(events.length === 1 ? appendOne(streamId, expected, events[0], last) : appendMany(streamId, expected, events, last)),
        ));
      } catch (error) {
        throw this.translate(streamId, error);
      }
      if (rows.length === 0) {
        throw new ConcurrencyError(streamId, options.expectedVersion, await this.readVersion(client, streamId));
      }
      const positions = rows
        .map((row) => ({ stream: safeNumber(row.stream_position), global: safeNumber(row.global_position) }))
        .sort((a, b) => a.stream - b.stream);
      return {
        nextExpectedVersion: positions[positions.length - 1].stream,
        globalPositions: positions.map((position) => position.global),
      };
    });
  }

  /**
   * Appends to several streams in one round trip, in the caller's transaction (`manager` is required): one result per
   * append, in the order given. Each stream is checked against its expected version (a version, or `no_stream`) as
   * `append` does; when one fails, this throws ConcurrencyError (or DuplicateEventError) naming the first such
   * stream, and the events of the others ARE written in the transaction — the caller must roll it back. Meant for a
   * caller that holds every stream's key lock (the command runner's `runEach`), where a conflict means a writer
   * that skipped the lock.
   */
  async appendEach(
    appends: readonly { readonly streamId: string; readonly streamType: string; readonly events: readonly NewEvent[]; readonly expectedVersion: number | 'no_stream' }[],
    options: { readonly manager: EntityManager },
  ): Promise<AppendResult[]> {
    const checked = appends.map((a) => {
      const expected = this.checkAppend(a.streamId, a.streamType, a.events, a.expectedVersion);
      if (a.events.length === 0) throw new InvalidAppendError(a.streamId, 'appendEach needs at least one event per stream');
      return { ...a, expected: expected === 'no_stream' ? 0 : (expected as number) };
    });
    if (new Set(checked.map((a) => a.streamId)).size !== checked.length) {
      throw new InvalidAppendError(checked[0]?.streamId ?? '', 'appendEach takes each stream once');
    }
    if (checked.length === 0) return [];
    return this.withClient(options.manager, async (client) => {
      let rows: { stream_id: string; global_position: string; stream_position: string }[];
      try {
        ({ rows } = await this.run<{ stream_id: string; global_position: string; stream_position: string }>(client, sql.appendEach, [
          JSON.stringify(
            checked.map((a) => ({
              stream_id: a.streamId,
              stream_type: a.streamType,
              expected: a.expected,
              events: a.events.map((event) => ({
                id: event.eventId,
                type: event.type,
                version: event.schemaVersion ?? 1,
                data: event.data ?? null,
                metadata: event.metadata ?? {},
              })),
            })),
          ),
        ]));
      } catch (error) {
        const translated = this.translate('', error);
        if (!(translated instanceof DuplicateEventError)) throw translated;
        const owner = checked.find((a) => a.events.some((event) => event.eventId === translated.eventId));
        throw new DuplicateEventError(owner?.streamId ?? checked[0].streamId, translated.eventId);
      }
      const byStream = new Map<string, { stream: number; global: number }[]>();
      for (const row of rows) {
        const positions = byStream.get(row.stream_id) ?? [];
        positions.push({ stream: safeNumber(row.stream_position), global: safeNumber(row.global_position) });
        byStream.set(row.stream_id, positions);
      }
      const failed = checked.find((a) => !byStream.has(a.streamId));
      if (failed) {
        throw new ConcurrencyError(failed.streamId, failed.expectedVersion, await this.readVersion(client, failed.streamId));
      }
      return checked.map((a) => {
        const positions = byStream.get(a.streamId)!.sort((x, y) => x.stream - y.stream);
        return { nextExpectedVersion: positions[positions.length - 1].stream, globalPositions: positions.map((p) => p.global) };
      });
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.withClient(options.manager, (client) =>
      this.run<EventRow>(client, sql.readStream, [
        streamId,
        options.fromVersion ?? 1,
        options.toVersion ?? maxBigint,
        options.asOf ?? 'infinity',
      ]),
    );
    return rows.map((row) => this.toRecordedEvent(row));
  }

  /**
   * The events of several streams, each from its own `fromVersion` (1 when omitted), in one round trip: one entry per
   * stream asked for, in the order asked, with its events in stream order (none when it has none from there).
   */
  async readStreams(
    streams: readonly { readonly streamId: string; readonly fromVersion?: number }[],
    options: { manager?: EntityManager } = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const result = new Map<string, RecordedEvent[]>(streams.map(({ streamId }) => [streamId, []]));
    if (streams.length === 0) return result;
    const { rows } = await this.withClient(options.manager, (client) =>
      this.run<EventRow>(client, sql.readStreams, [streams.map((s) => s.streamId), streams.map((s) => s.fromVersion ?? 1)]),
    );
    for (const row of rows) result.get(row.stream_id)?.push(this.toRecordedEvent(row));
    return result;
  }

  /** The stream's version (its last stream position), null when it does not exist. */
  async streamVersion(streamId: string, options: { manager?: EntityManager } = {}): Promise<number | null> {
    return this.withClient(options.manager, (client) => this.readVersion(client, streamId));
  }

  /**
   * Events of all streams in the watermark order, strictly after `after` (from the start when null). Only
   * events below the oldest running transaction are returned, so a batch may be short, or empty, while a
   * transaction that wrote earlier positions is still open.
   */
  async readAll(after: Checkpoint | null, options: ReadAllOptions = {}): Promise<ReadAllResult> {
    return this.withClient(options.manager, (client) => this.readAllOn(client, after, options.batchSize ?? 1000));
  }

  /** Polls `readAll` from the stored checkpoint; each batch and its checkpoint commit in one transaction. */
  subscribe(options: SubscribeOptions): SubscriptionHandle {
    const subscription = new PollingSubscription(this.batches, options, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    if (options.start ?? true) subscription.start();
    return subscription;
  }

  /** Runs a subscription's handler until it reaches the head, without polling (read-your-writes, scripts, tests). */
  async catchUp(options: Pick<SubscribeOptions, 'subscriptionId' | 'handler' | 'batchSize'>): Promise<number> {
    const subscription = new PollingSubscription(this.batches, { ...options, start: false }, () => undefined);
    return subscription.drain();
  }

  /**
   * In one transaction: waits for the subscription's batch in flight (if any), runs `reset` (clear the
   * projection's tables through the given manager), deletes the checkpoint. The subscription then replays from
   * the first event.
   */
  async rebuild(subscriptionId: string, reset: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const client = await this.connectionOf(manager);
      await this.run(client, sql.lockSubscription, [subscriptionId]);
      await reset(manager);
      await this.run(client, sql.deleteCheckpoint, [subscriptionId]);
    });
  }

  /** Deletes the checkpoint (the projection's own tables are left as they are; see `rebuild`). */
  async resetSubscription(subscriptionId: string): Promise<void> {
    await this.rebuild(subscriptionId, () => Promise.resolve());
  }

  async subscriptionLag(subscriptionId: string): Promise<SubscriptionLag> {
    return this.withClient(undefined, async (client) => {
      const checkpoint = toCheckpoint((await this.run<PositionRow>(client, sql.readCheckpoint, [subscriptionId])).rows[0]);
      const head = toCheckpoint((await this.run<PositionRow>(client, sql.headPosition, [])).rows[0]);
      const from = checkpoint ?? beforeEverything;
      const { rows } = await this.run<{ pending: string }>(client, sql.countAfter, [
        from.transactionId,
        from.globalPosition,
      ]);
      return { subscriptionId, checkpoint, head, pendingEvents: safeNumber(rows[0].pending) };
    });
  }

  async subscriptionCheckpoint(subscriptionId: string): Promise<Checkpoint | null> {
    return this.withClient(undefined, async (client) =>
      toCheckpoint((await this.run<PositionRow>(client, sql.readCheckpoint, [subscriptionId])).rows[0]),
    );
  }

  /** Stops every subscription started by this store, each after its batch in flight. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  /** Nest calls this before the DataSource is destroyed. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  private async processBatch(
    subscriptionId: string,
    handler: SubscriptionHandler,
    batchSize: number,
    waitForLock: boolean,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const client = await this.connectionOf(manager);
      // One instance of a subscription at a time, across processes; the lock ends with the transaction.
      if (waitForLock) {
        await this.run(client, sql.lockSubscription, [subscriptionId]);
      } else {
        const { rows } = await this.run<{ locked: boolean }>(client, sql.tryLockSubscription, [subscriptionId]);
        if (!rows[0].locked) return 0;
      }
      // Read after the lock, in a new statement: a checkpoint read in the same statement could predate the
      // commit of the instance that held the lock.
      const after = toCheckpoint((await this.run<PositionRow>(client, sql.readCheckpoint, [subscriptionId])).rows[0]);
      const { events, checkpoint } = await this.readAllOn(client, after, batchSize);
      if (events.length === 0 || !checkpoint) return 0;
      await handler(events, manager);
      await this.run(client, sql.saveCheckpoint, [subscriptionId, checkpoint.transactionId, checkpoint.globalPosition]);
      return events.length;
    });
  }

  private async readAllOn(client: PoolClient, after: Checkpoint | null, batchSize: number): Promise<ReadAllResult> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer`);
    const from = after ?? beforeEverything;
    const { rows } = await this.run<EventRow>(client, sql.readAll, [from.transactionId, from.globalPosition, batchSize]);
    const events = rows.map((row) => this.toRecordedEvent(row));
    const last = events[events.length - 1];
    return {
      events,
      checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after,
    };
  }

  private toRecordedEvent(row: EventRow): RecordedEvent {
    const { data, schemaVersion, metadata } = upcast(this.upcasters, row.event_type, {
      data: row.data,
      schemaVersion: row.schema_version,
      metadata: row.metadata,
    });
    return {
      eventId: row.event_id,
      type: row.event_type,
      schemaVersion,
      data,
      metadata,
      streamId: row.stream_id,
      streamType: row.stream_type,
      streamPosition: safeNumber(row.stream_position),
      globalPosition: safeNumber(row.global_position),
      transactionId: row.transaction_id,
      recordedAt: row.recorded_at,
    };
  }

  private checkAppend(
    streamId: string,
    streamType: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): number | 'no_stream' | 'any' {
    if (typeof streamId !== 'string' || streamId.length === 0) {
      throw new InvalidAppendError(String(streamId), 'the stream id is empty');
    }
    if (typeof streamType !== 'string' || streamType.length === 0) {
      throw new InvalidAppendError(streamId, 'the stream type is empty');
    }
    for (const event of events) {
      if (typeof event.eventId !== 'string' || !uuidPattern.test(event.eventId)) {
        throw new InvalidAppendError(streamId, `event id ${String(event.eventId)} is not a UUID`);
      }
      if (typeof event.type !== 'string' || event.type.length === 0) {
        throw new InvalidAppendError(streamId, `event ${event.eventId} has no type`);
      }
      if (event.schemaVersion !== undefined && !(Number.isInteger(event.schemaVersion) && event.schemaVersion > 0)) {
        throw new InvalidAppendError(streamId, `event ${event.eventId} has schema version ${event.schemaVersion}`);
      }
    }
    if (expectedVersion === 'no_stream' || expectedVersion === 'any') return expectedVersion;
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new InvalidAppendError(streamId, `expected version ${String(expectedVersion)} is not a version`);
    }
    return expectedVersion === 0 ? 'no_stream' : expectedVersion;
  }

  private async checkVersionOnly(
    client: PoolClient,
    streamId: string,
    expectedVersion: ExpectedVersion,
    expected: number | 'no_stream' | 'any',
  ): Promise<AppendResult> {
    const actual = await this.readVersion(client, streamId);
    const matches = expected === 'any' || (expected === 'no_stream' ? actual === null : actual === expected);
    if (!matches) throw new ConcurrencyError(streamId, expectedVersion, actual);
    return { nextExpectedVersion: actual ?? 0, globalPositions: [] };
  }

  private async readVersion(client: PoolClient, streamId: string): Promise<number | null> {
    const { rows } = await this.run<{ version: string }>(client, sql.streamVersion, [streamId]);
    return rows[0] ? safeNumber(rows[0].version) : null;
  }

  private translate(streamId: string, error: unknown): unknown {
    if (error instanceof DatabaseError && error.code === '23505' && error.constraint === 'events_event_id_unique') {
      return new DuplicateEventError(streamId, /\(event_id\)=\(([^)]+)\)/.exec(error.detail ?? '')?.[1]);
    }
    return error;
  }

  private run<Row extends QueryResultRow>(client: PoolClient, statement: sql.Statement, values: unknown[]) {
    return client.query<Row>(
      this.preparedStatements
        ? { name: statement.name, text: statement.text, values }
        : { text: statement.text, values },
    );
  }

  /** The connection of the caller's query runner (its transaction), or one from the pool for this call alone. */
  private async withClient<T>(
    manager: EntityManager | undefined,
    work: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    if (manager?.queryRunner) return work(await this.connectionOf(manager));
    const [client, release] = await (this.dataSource.driver as unknown as PgPoolDriver).obtainMasterConnection();
    let failure: unknown;
    try {
      return await work(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // A statement error leaves the connection usable; anything else (a dropped socket) discards it.
      const broken = failure !== undefined && !(failure instanceof DatabaseError) && !(failure instanceof EventStoreError);
      release(broken ? failure : undefined);
    }
  }

  private async connectionOf(manager: EntityManager): Promise<PoolClient> {
    const runner = manager.queryRunner;
    if (!runner) throw new TypeError('The entity manager has no query runner: pass a transaction manager');
    if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
    return (await runner.connect()) as PoolClient;
  }
}
