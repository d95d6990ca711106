import { Logger, type LoggerService } from '@nestjs/common';
import {
  Partitioners,
  type Consumer,
  type ConsumerConfig,
  type ConsumerCrashEvent,
  type EachBatchPayload,
  type EachMessagePayload,
  type IHeaders,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import { dlqTopicOf } from '@golden-loop/contracts';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import {
  deadLetterHeaders,
  errorCodeOf,
  errorMessageOf,
  headerText,
  type DeadLetterFacts,
  type DeadLetterReason,
} from './dead-letter';
import { applyChunkOnce, type BatchOptions, type ChunkMessage } from './inbox-batch';
import { backOffDelay, InterruptibleSleep } from './interruptible-sleep';
import { keyLockExpression } from './key-lock';
import { TransactionGroups } from './transaction-groups';

export interface MessageSource {
  readonly topic: string;
  readonly partition: number;
}

export interface MessageContext extends MessageSource {
  readonly consumerGroup: string;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: IHeaders;
  readonly eventId: string;
  /** 1 on the first run, 2 on the first retry, ... */
  readonly attempt: number;
}

/** Turns a Kafka record into the caller's event. Whatever it throws is final: the message goes to the DLQ. */
export type MessageDecoder<T> = (message: KafkaMessage, source: MessageSource) => T | Promise<T>;

/** Applies one event inside the inbox transaction; write only through `manager`. */
export type MessageHandler<T> = (event: T, manager: EntityManager, context: MessageContext) => Promise<void>;

export interface RetryPolicy {
  /** Handler runs before the message is dead-lettered (default 3). */
  readonly attempts?: number;
  /** First back-off; doubles per attempt (default 100 ms). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface IdempotentConsumerOptions<T> {
  readonly kafka: Kafka;
  readonly dataSource: DataSource;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly decode: MessageDecoder<T>;
  readonly handler: MessageHandler<T>;
  /**
   * Whether the handler does anything with an event (default: every event). An event it does not react to is
   * acknowledged without an inbox row, a key lock or a transaction: applying it twice, or out of order, changes
   * nothing. A message that does not decode still goes to the dead-letter topic (docs/service-kit.md, "Events a
   * consumer does not react to").
   */
  readonly reactsTo?: (event: T) => boolean;
  /** The inbox key. Default: the decoded value's string `id`, else the CloudEvents `ce_id` header. */
  readonly eventIdOf?: (event: T, message: KafkaMessage) => string | undefined;
  /** Where a new group starts (default true: a new consumer applies the retained history). */
  readonly fromBeginning?: boolean;
  readonly retry?: RetryPolicy;
  readonly deadLetterTopic?: (topic: string) => string;
  /** Partitions processed in parallel (default 1); a key stays on one partition, so its order holds. */
  readonly partitionsConsumedConcurrently?: number;
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** Re-create the kafkajs consumer when it crashes without restarting itself (default true). */
  readonly restartOnCrash?: boolean;
  /** Health reports a stall when nothing happened for this long while running (default 60 s). */
  readonly stallAfterMs?: number;
  readonly logger?: LoggerService;
  /**
   * Runs around each message's whole delivery (decode, attempts, dead-lettering): a logging context that carries
   * the event's correlation id, say. Must call `deliver` once and return its promise. In batch mode it wraps the
   * messages applied one at a time, not a chunk.
   */
  readonly around?: (message: KafkaMessage, source: MessageSource, deliver: () => Promise<void>) => Promise<void>;
  /**
   * Batch mode: each fetched batch of a partition is applied in chunks, one inbox transaction per chunk (keys locked,
   * messages claimed, handler run, one commit), then the chunk's last offset is committed. Per-key order holds: a
   * partition's chunks run in offset order, and the chunk's keys are locked before its first write. A chunk that
   * cannot be applied whole (a message fails to decode, a handler throws, a key is parked) is rolled back and its
   * messages are applied one at a time as without batch mode, so retries, dead letters and parking are unchanged;
   * a failing message's handler then runs once more than `retry.attempts`.
   * Chunks of different partitions share a transaction: while CHUNK_TRANSACTIONS of the consumer's are open, the
   * chunks that arrive wait, and the next transaction takes those waiting, up to `maxMessages` in all (at most one
   * chunk per partition, since a partition's next chunk waits for its last). If a shared transaction cannot
   * commit, each of its chunks runs again alone, with the same fallback.
   */
  readonly batch?: BatchOptions<T>;
}

export type ConsumerState = 'idle' | 'starting' | 'running' | 'restarting' | 'crashed' | 'stopping' | 'stopped';

export interface ConsumerHealth {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly state: ConsumerState;
  readonly healthy: boolean;
  /** kafkajs can stop fetching without a crash event (tulios/kafkajs#1441, #659, #1163). */
  readonly stalled: boolean;
  readonly lastActivityAt: Date | null;
  readonly crashes: number;
  readonly lastError: string | null;
  readonly processed: number;
  readonly duplicates: number;
  /** Events acknowledged without a transaction: the handler does not react to them (`reactsTo`). */
  readonly ignored: number;
  readonly deadLettered: number;
  /** Handler attempts that failed and were retried. */
  readonly retries: number;
  /** Messages behind the high watermark after the last batch, per `topic/partition`. */
  readonly lag: Readonly<Record<string, number>>;
}

/**
 * Inbox transactions a consumer in batch mode has open at once. The chunks that arrive while they are (other
 * partitions', fetched meanwhile) wait and share the next one: at a moderate rate a fetch brings a message or two
 * per partition, and this turns six partitions' six commits into one or two (docs/loop-performance.md, "Chunks of
 * several partitions in one transaction").
 */
export const CHUNK_TRANSACTIONS = 2;

interface WaitingChunk<T> {
  readonly messages: readonly ChunkMessage<T>[];
  readonly settle: (applied: boolean) => void;
}

type ClaimOutcome = 'claimed' | 'duplicate' | 'dead_letter_pending' | 'parked';

interface ClaimRow {
  readonly processed: boolean;
  readonly dead_lettered: boolean | null;
  readonly parked: boolean;
  readonly claimed: boolean;
}

// One round trip before the handler runs:
//  - a transaction-scoped lock on the record key serialises every writer of that key in this database
//    before the transaction gets its id (the INSERT below assigns it), so outbox rows the handler
//    enqueues for the key are ordered by transaction id exactly as they were applied;
//  - an event already applied or already dead-lettered is a duplicate (kafkajs redelivers after
//    rebalances and crashes); a dead letter recorded but not yet on the DLQ is finished first;
//  - a parked key sends the event to the DLQ so it cannot overtake the one that failed;
//  - otherwise the inbox row is inserted and commits or rolls back with the handler's writes.
const claimSql = `
  WITH key_lock AS (
    SELECT pg_advisory_xact_lock(${keyLockExpression('$6')}) WHERE $6::text IS NOT NULL
  ), seen AS (
    SELECT (SELECT count(*) FROM key_lock) AS locks,
           EXISTS (SELECT 1 FROM inbox WHERE consumer_group = $1::text AND event_id = $2::text) AS processed,
           (SELECT dlq_published_at IS NOT NULL FROM inbox_dead_letters
             WHERE consumer_group = $1::text AND event_id = $2::text) AS dead_lettered,
           EXISTS (SELECT 1 FROM inbox_parked_keys
             WHERE consumer_group = $1::text AND topic = $3::text AND message_key = $6::text) AS parked
  ), claimed AS (
    INSERT INTO inbox (consumer_group, event_id, topic, kafka_partition, kafka_offset)
    SELECT $1::text, $2::text, $3::text, $4::integer, $5::bigint FROM seen
    WHERE NOT processed AND dead_lettered IS NULL AND NOT parked
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT processed, dead_lettered, parked, EXISTS (SELECT 1 FROM claimed) AS claimed FROM seen`;

// Records the dead letter and parks the key in one statement. The outer SELECT sees the table as it was
// before the statement, so it returns the earlier record of a redelivered message and nothing for a new one.
const recordDeadLetterSql = `
  WITH recorded AS (
    INSERT INTO inbox_dead_letters
      (consumer_group, event_id, topic, kafka_partition, kafka_offset, message_key, reason, error_code, error_message, attempts, failed_at)
    VALUES ($1::text, $2::text, $3::text, $4::integer, $5::bigint, $6::text, $7::text, $8::text, $9::text, $10::integer, $11::timestamptz)
    ON CONFLICT (consumer_group, event_id) DO NOTHING
  ), parked AS (
    INSERT INTO inbox_parked_keys (consumer_group, topic, message_key, event_id, error_code, error_message)
    SELECT $1::text, $3::text, $6::text, $2::text, $8::text, $9::text
    WHERE $6::text IS NOT NULL AND $7::text <> 'key_parked'
    ON CONFLICT DO NOTHING
  )
  SELECT reason, error_code, error_message, attempts, failed_at, dlq_published_at
  FROM inbox_dead_letters WHERE consumer_group = $1::text AND event_id = $2::text`;

interface DeadLetterRow {
  readonly reason: DeadLetterReason;
  readonly error_code: string;
  readonly error_message: string;
  readonly attempts: number;
  readonly failed_at: Date;
  readonly dlq_published_at: Date | null;
}

/** The offset commits of one partition: at most one request in flight, later offsets coalesced into the next. */
interface PartitionCommits {
  consumer: Consumer;
  readonly topic: string;
  readonly partition: number;
  next: string | undefined;
  flushing: Promise<void> | undefined;
}

interface Delivery {
  readonly consumer: Consumer;
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly key: string | null;
  readonly heartbeat: () => Promise<void>;
}

/** Thrown by the default `eventIdOf` path: without an id the inbox cannot deduplicate. */
export class MissingEventId extends Error {
  readonly code = 'missing_event_id';
  constructor() {
    super('the message has no event id: neither the decoded value has a string `id` nor the record a `ce_id` header');
    this.name = 'MissingEventId';
  }
}

/**
 * Applies each Kafka message exactly once in effect: inbox row and handler writes in one PostgreSQL
 * transaction, then the offset commit (auto-commit is off; see `commit`). Failures retry in place with back-off, then go
 * to `<topic>.dlq` with the original record and `dlq_*` headers; the key is parked so the plan's later
 * events follow it to the DLQ instead of overtaking it. The partition keeps flowing either way.
 */
export class IdempotentConsumer<T> {
  readonly groupId: string;
  readonly topics: readonly string[];
  private readonly options: IdempotentConsumerOptions<T>;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly stallAfterMs: number;
  private readonly logger: LoggerService;
  private readonly deadLetterTopic: (topic: string) => string;
  private readonly retrySleep = new InterruptibleSleep();
  private readonly restartSleep = new InterruptibleSleep();
  private readonly inFlight = new Map<Promise<void>, number>();
  private readonly commits = new Map<string, PartitionCommits>();
  /** Messages of a fetched batch per inbox transaction, and at most in a shared one. */
  private readonly chunkSize: number;
  private readonly chunkTransactions: TransactionGroups<WaitingChunk<T>>;

  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private state: ConsumerState = 'idle';
  private stopping = false;
  private restarting: Promise<void> | undefined;
  private lastActivityAt = 0;
  private crashes = 0;
  private lastError: string | null = null;
  private processed = 0;
  private duplicates = 0;
  private ignored = 0;
  private deadLettered = 0;
  private retries = 0;
  private readonly lag = new Map<string, number>();

  constructor(options: IdempotentConsumerOptions<T>) {
    this.options = options;
    this.chunkSize = Math.max(1, options.batch?.maxMessages ?? 100);
    this.chunkTransactions = new TransactionGroups({
      concurrency: CHUNK_TRANSACTIONS,
      limit: this.chunkSize,
      sizeOf: (chunk) => chunk.messages.length,
      commit: (group) => this.applyChunks(group),
    });
    this.groupId = options.groupId;
    this.topics = [...options.topics];
    this.attempts = Math.max(1, options.retry?.attempts ?? 3);
    this.baseDelayMs = options.retry?.baseDelayMs ?? 100;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 5_000;
    this.stallAfterMs = options.stallAfterMs ?? 60_000;
    this.deadLetterTopic = options.deadLetterTopic ?? dlqTopicOf;
    this.logger = options.logger ?? new Logger(`IdempotentConsumer ${options.groupId}`);
  }

  /** Connects, joins the group and starts consuming; resolves once the first join is done. */
  async start(): Promise<void> {
    if (this.state !== 'idle' && this.state !== 'stopped' && this.state !== 'crashed') return;
    this.state = 'starting';
    this.stopping = false;
    this.restartSleep.reset();
    this.producer = this.options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await this.producer.connect();
      await this.launch();
    } catch (error) {
      this.state = 'crashed';
      this.lastError = errorMessageOf(error);
      await this.consumer?.disconnect().catch(() => undefined);
      await this.producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Lets the message in flight finish and its offset (and every earlier one) commit, then leaves the group. */
  async stop(): Promise<void> {
    if (this.state === 'idle' || this.state === 'stopped' || this.stopping) return;
    this.stopping = true;
    this.state = 'stopping';
    this.restartSleep.cancel();
    await this.restarting;
    await Promise.allSettled([...this.inFlight.keys()]);
    await this.flushCommits();
    const warn = (error: unknown) => {
      this.logger.warn(`disconnect: ${errorMessageOf(error)}`);
    };
    await this.consumer?.disconnect().catch(warn);
    await this.producer?.disconnect().catch(warn);
    this.consumer = undefined;
    this.producer = undefined;
    this.state = 'stopped';
  }

  health(): ConsumerHealth {
    const now = Date.now();
    const busySince = Math.min(...this.inFlight.values());
    const quietFor = this.inFlight.size > 0 ? now - busySince : now - this.lastActivityAt;
    const stalled = this.state === 'running' && quietFor > this.stallAfterMs;
    return {
      groupId: this.groupId,
      topics: this.topics,
      state: this.state,
      healthy: this.state === 'running' && !stalled,
      stalled,
      lastActivityAt: this.lastActivityAt ? new Date(this.lastActivityAt) : null,
      crashes: this.crashes,
      lastError: this.lastError,
      processed: this.processed,
      duplicates: this.duplicates,
      ignored: this.ignored,
      deadLettered: this.deadLettered,
      retries: this.retries,
      lag: Object.fromEntries(this.lag),
    };
  }

  private async launch(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      maxWaitTimeInMs: 1_000,
      ...this.options.consumerConfig,
      groupId: this.groupId,
    });
    this.consumer = consumer;
    this.watch(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: this.options.fromBeginning ?? true });
    const partitionsConsumedConcurrently = this.options.partitionsConsumedConcurrently ?? 1;
    await consumer.run(
      this.options.batch
        ? { autoCommit: false, partitionsConsumedConcurrently, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(consumer, payload) }
        : { autoCommit: false, partitionsConsumedConcurrently, eachMessage: (payload) => this.onMessage(consumer, payload) },
    );
    this.lastActivityAt = Date.now();
    if (!this.stopping && this.state !== 'crashed' && this.state !== 'restarting') this.state = 'running';
  }

  private watch(consumer: Consumer): void {
    const { FETCH_START, HEARTBEAT, START_BATCH_PROCESS, END_BATCH_PROCESS, GROUP_JOIN, CRASH } = consumer.events;
    const active = (): void => {
      this.lastActivityAt = Date.now();
    };
    consumer.on(FETCH_START, active);
    consumer.on(HEARTBEAT, active);
    consumer.on(START_BATCH_PROCESS, active);
    consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      this.lag.set(`${payload.topic}/${payload.partition}`, Math.max(0, Number(payload.offsetLag)));
    });
    consumer.on(GROUP_JOIN, () => {
      active();
      if (!this.stopping && consumer === this.consumer) this.state = 'running';
    });
    consumer.on(CRASH, (event: ConsumerCrashEvent) => this.onCrash(consumer, event));
  }

  private onCrash(consumer: Consumer, { payload }: ConsumerCrashEvent): void {
    if (this.stopping || consumer !== this.consumer) return;
    this.crashes += 1;
    this.lastError = errorMessageOf(payload.error);
    this.logger.error(`consumer crashed (restart by kafkajs: ${payload.restart}): ${this.lastError}`);
    if (payload.restart) {
      this.state = 'restarting';
      return;
    }
    // kafkajs gave up on this consumer and disconnected it; unless told otherwise, build a new one.
    if (this.options.restartOnCrash === false) {
      this.state = 'crashed';
      return;
    }
    this.state = 'restarting';
    this.restarting ??= this.relaunch().finally(() => {
      this.restarting = undefined;
    });
  }

  private async relaunch(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      await this.restartSleep.sleep(backOffDelay(attempt, 1_000, 30_000));
      if (this.stopping) return;
      try {
        await this.consumer?.disconnect().catch(() => undefined);
        await this.launch();
        return;
      } catch (error) {
        this.lastError = errorMessageOf(error);
        this.logger.error(`consumer restart ${attempt} failed: ${this.lastError}`);
      }
    }
  }

  private async onMessage(consumer: Consumer, payload: EachMessagePayload): Promise<void> {
    // After stop() began, kafkajs may still hand over the rest of a fetched batch: leave those
    // messages uncommitted, the group's next member starts from them.
    if (this.stopping) return;
    await this.track(
      this.deliverOne({
        consumer,
        topic: payload.topic,
        partition: payload.partition,
        message: payload.message,
        key: payload.message.key?.toString() ?? null,
        heartbeat: () => payload.heartbeat(),
      }),
    );
  }

  /** Counted in flight until settled: stop() waits for it, health() sees how long it runs. */
  private async track(work: Promise<void>): Promise<void> {
    this.inFlight.set(work, Date.now());
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private deliverOne(delivery: Delivery): Promise<void> {
    const { message, topic, partition } = delivery;
    return this.options.around ? this.options.around(message, { topic, partition }, () => this.deliver(delivery)) : this.deliver(delivery);
  }

  private async onBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    const size = this.chunkSize;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (this.stopping || !payload.isRunning() || payload.isStale()) return;
      const chunk: Delivery[] = batch.messages.slice(start, start + size).map((message) => ({
        consumer,
        topic: batch.topic,
        partition: batch.partition,
        message,
        key: message.key?.toString() ?? null,
        heartbeat,
      }));
      this.lastActivityAt = Date.now();
      const last = chunk[chunk.length - 1];
      let done = true;
      await this.track(
        (async () => {
          if (await this.applyChunk(chunk)) {
            this.commit(last);
            return;
          }
          for (const delivery of chunk) {
            if (this.stopping) {
              done = false;
              return;
            }
            await this.deliverOne(delivery);
          }
        })(),
      );
      if (!done) return;
      payload.resolveOffset(last.message.offset);
      await heartbeat().catch(() => undefined);
    }
  }

  /** The fast path of batch mode: the whole chunk in an inbox transaction, or false to apply it one at a time. */
  private async applyChunk(chunk: readonly Delivery[]): Promise<boolean> {
    const messages: ChunkMessage<T>[] = [];
    for (const delivery of chunk) {
      try {
        const event = await this.options.decode(delivery.message, { topic: delivery.topic, partition: delivery.partition });
        messages.push({
          event,
          eventId: this.eventIdOf(event, delivery.message),
          topic: delivery.topic,
          partition: delivery.partition,
          offset: delivery.message.offset,
          key: delivery.key,
          headers: delivery.message.headers ?? {},
        });
      } catch {
        return false;
      }
    }
    // Events the handler does not react to need no claim; when the chunk falls back to one message at a time,
    // deliver() leaves them out (and counts them) there.
    const { reactsTo } = this.options;
    const reacted = reactsTo ? messages.filter(({ event }) => reactsTo(event)) : messages;
    const applied = reacted.length === 0 || (await new Promise<boolean>((settle) => this.chunkTransactions.add({ messages: reacted, settle })));
    if (applied) this.ignored += messages.length - reacted.length;
    return applied;
  }

  /** Several chunks in one transaction; when it cannot commit, each chunk alone. Settles every chunk, never throws. */
  private async applyChunks(group: readonly WaitingChunk<T>[]): Promise<void> {
    if (group.length > 1) {
      const applied = await this.applyMessages(group.flatMap((chunk) => chunk.messages), `a transaction of ${group.length} chunks failed, applying each alone`);
      if (applied) {
        for (const chunk of group) chunk.settle(true);
        return;
      }
    }
    for (const chunk of group) {
      const { topic, partition } = chunk.messages[0];
      chunk.settle(await this.applyMessages(chunk.messages, `a chunk of ${chunk.messages.length} from ${topic}[${partition}] failed, applying it one message at a time`));
    }
  }

  /** One inbox transaction: true once committed; false, with nothing written, when it could not be (`failure` is logged when it threw). */
  private async applyMessages(messages: readonly ChunkMessage<T>[], failure: string): Promise<boolean> {
    try {
      const counts = await applyChunkOnce(this.options.dataSource, this.groupId, messages, async (fresh, manager) => {
        const batchHandler = this.options.batch?.handler;
        if (batchHandler) return batchHandler(fresh, manager);
        for (const { event, context } of fresh) await this.options.handler(event, manager, context);
      });
      // A parked key or a pending dead letter among them: nothing was written, the one-message path handles it.
      if (counts === null) return false;
      this.processed += counts.processed;
      this.duplicates += counts.duplicates;
      return true;
    } catch (error) {
      this.retries += 1;
      this.logger.warn(`${failure}: ${errorMessageOf(error)}`);
      return false;
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    this.lastActivityAt = Date.now();
    const { message } = delivery;
    let event: T;
    let eventId: string;
    try {
      event = await this.options.decode(message, { topic: delivery.topic, partition: delivery.partition });
      eventId = this.eventIdOf(event, message);
    } catch (error) {
      const id = headerText(message.headers, 'ce_id') ?? `kafka:${delivery.topic}/${delivery.partition}/${message.offset}`;
      await this.deadLetter(delivery, id, 'decode', errorCodeOf(error, 'decode_failed'), errorMessageOf(error), 1);
      this.commit(delivery);
      return;
    }
    if (this.options.reactsTo && !this.options.reactsTo(event)) {
      this.ignored += 1;
      this.commit(delivery);
      return;
    }

    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcome = await this.applyOnce(delivery, event, eventId, attempt);
        if (outcome === 'claimed') this.processed += 1;
        else if (outcome === 'duplicate') this.duplicates += 1;
        else if (outcome === 'parked') {
          const text = `key ${delivery.key} is parked after an earlier failure in group ${this.groupId}`;
          await this.deadLetter(delivery, eventId, 'key_parked', 'key_parked', text, 0);
        } else {
          await this.deadLetter(delivery, eventId, 'handler', 'dead_letter_pending', 'republishing a recorded dead letter', 0);
        }
        break;
      } catch (error) {
        if (attempt >= this.attempts) {
          this.logger.error(`event ${eventId} failed ${attempt} times, dead-lettering: ${errorMessageOf(error)}`);
          await this.deadLetter(delivery, eventId, 'handler', errorCodeOf(error, 'handler_failed'), errorMessageOf(error), attempt);
          break;
        }
        this.retries += 1;
        this.logger.warn(`event ${eventId} failed (attempt ${attempt} of ${this.attempts}): ${errorMessageOf(error)}`);
        await delivery.heartbeat().catch(() => undefined);
        await this.retrySleep.sleep(backOffDelay(attempt, this.baseDelayMs, this.maxDelayMs));
      }
    }
    this.commit(delivery);
  }

  private applyOnce(delivery: Delivery, event: T, eventId: string, attempt: number): Promise<ClaimOutcome> {
    return this.options.dataSource.transaction(async (manager) => {
      // The transaction's own pg client, for a named prepared statement: parsing and planning this CTE on
      // every message cost a third of the per-message time (bench/outbox.bench.ts).
      const client = (await manager.queryRunner?.connect()) as PoolClient | undefined;
      if (!client) throw new Error('inbox claim needs the transaction of a PostgreSQL DataSource');
      const { rows } = await client.query<ClaimRow>({
        name: 'golden-loop/inbox-claim',
        text: claimSql,
        values: [this.groupId, eventId, delivery.topic, delivery.partition, delivery.message.offset, delivery.key],
      });
      const [row] = rows;
      if (!row) throw new Error('inbox claim returned no row');
      if (row.processed || row.dead_lettered === true) return 'duplicate';
      if (row.dead_lettered === false) return 'dead_letter_pending';
      if (row.parked) return 'parked';
      if (!row.claimed) return 'duplicate';
      await this.options.handler(event, manager, {
        consumerGroup: this.groupId,
        topic: delivery.topic,
        partition: delivery.partition,
        offset: delivery.message.offset,
        key: delivery.key,
        headers: delivery.message.headers ?? {},
        eventId,
        attempt,
      });
      return 'claimed';
    });
  }

  /**
   * Record (and park), then produce, then mark produced. If the database is down the first step fails and
   * the message is retried by kafkajs later instead of flooding the DLQ; if the process dies between the
   * steps, the redelivered message finds the record and finishes the job (the DLQ is at-least-once).
   */
  private async deadLetter(
    delivery: Delivery,
    eventId: string,
    reason: DeadLetterReason,
    errorCode: string,
    errorMessage: string,
    attempts: number,
  ): Promise<void> {
    const { dataSource } = this.options;
    const failedAt = new Date();
    const [earlier] = await dataSource.query<DeadLetterRow[]>(recordDeadLetterSql, [
      this.groupId,
      eventId,
      delivery.topic,
      delivery.partition,
      delivery.message.offset,
      delivery.key,
      reason,
      errorCode,
      errorMessage,
      attempts,
      failedAt,
    ]);
    if (earlier?.dlq_published_at) return;
    const facts: DeadLetterFacts = {
      consumerGroup: this.groupId,
      topic: delivery.topic,
      partition: delivery.partition,
      offset: delivery.message.offset,
      reason: earlier?.reason ?? reason,
      errorCode: earlier?.error_code ?? errorCode,
      errorMessage: earlier?.error_message ?? errorMessage,
      attempts: earlier?.attempts ?? attempts,
      failedAt: earlier?.failed_at ?? failedAt,
    };
    if (!this.producer) throw new Error('dead-letter producer is not connected');
    await this.producer.send({
      topic: this.deadLetterTopic(delivery.topic),
      acks: -1,
      messages: [
        {
          key: delivery.message.key,
          value: delivery.message.value,
          headers: deadLetterHeaders(delivery.message.headers, facts),
        },
      ],
    });
    await dataSource.query(
      `UPDATE inbox_dead_letters SET dlq_published_at = now() WHERE consumer_group = $1 AND event_id = $2`,
      [this.groupId, eventId],
    );
    this.deadLettered += 1;
  }

  /**
   * Commits offset + 1 once the message's database work is committed. The request is not awaited: the next
   * message is processed meanwhile, and offsets that arrive while a commit is in flight are coalesced into
   * the next one. A commit that fails (say, during a rebalance) only means a redelivery, which the inbox
   * turns into a no-op; `stop()` waits for the last commits.
   */
  private commit(delivery: Delivery): void {
    const slotKey = `${delivery.topic}/${delivery.partition}`;
    let slot = this.commits.get(slotKey);
    if (!slot) {
      slot = { consumer: delivery.consumer, topic: delivery.topic, partition: delivery.partition, next: undefined, flushing: undefined };
      this.commits.set(slotKey, slot);
    }
    slot.consumer = delivery.consumer;
    slot.next = (BigInt(delivery.message.offset) + 1n).toString();
    if (!slot.flushing) {
      const running = slot;
      running.flushing = this.flush(running).finally(() => {
        running.flushing = undefined;
      });
    }
  }

  private async flush(slot: PartitionCommits): Promise<void> {
    while (slot.next !== undefined) {
      const offset = slot.next;
      slot.next = undefined;
      try {
        await slot.consumer.commitOffsets([{ topic: slot.topic, partition: slot.partition, offset }]);
      } catch (error) {
        this.logger.warn(`offset commit ${slot.topic}[${slot.partition}]@${offset} failed: ${errorMessageOf(error)}`);
      }
    }
  }

  private async flushCommits(): Promise<void> {
    await Promise.all([...this.commits.values()].map((slot) => slot.flushing ?? Promise.resolve()));
  }

  private eventIdOf(event: T, message: KafkaMessage): string {
    const id = this.options.eventIdOf
      ? this.options.eventIdOf(event, message)
      : (idField(event) ?? headerText(message.headers, 'ce_id'));
    if (!id) throw new MissingEventId();
    return id;
  }
}

const idField = (event: unknown): string | undefined => {
  const id = (event as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
};
