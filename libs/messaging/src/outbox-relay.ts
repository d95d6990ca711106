import { Logger, type LoggerService } from '@nestjs/common';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { DataSource, QueryRunner } from 'typeorm';
import { backOffDelay, InterruptibleSleep } from './interruptible-sleep';

export interface OutboxRetention {
  /** Published rows created longer ago than this are deleted. */
  readonly publishedRowsHours: number;
  /** How often the leader looks for such rows (default 10 minutes). */
  readonly everyMs?: number;
}

export interface PublishedChunk {
  /** Outbox row ids (bigint as text), in publishing order. */
  readonly ids: readonly string[];
  readonly messageIds: readonly string[];
}

export interface OutboxRelayHooks {
  /**
   * Runs after the broker acknowledged a chunk, once the position is past every earlier chunk, and before
   * this chunk is: the window in which a crash causes a re-publish. For instrumentation and crash tests.
   */
  readonly afterProduce?: (chunk: PublishedChunk) => void | Promise<void>;
}

export interface OutboxRelayOptions {
  readonly dataSource: DataSource;
  readonly kafka: Kafka;
  /** Rows read per query (default 500). */
  readonly batchSize?: number;
  /** Pause between polls when the outbox is drained (default 50 ms). */
  readonly pollIntervalMs?: number;
  /** How often a standby tries to take the leader lock (default 1,000 ms). */
  readonly standbyPollMs?: number;
  /** Upper bound of one produce request, kept below the broker's 1 MB `message.max.bytes` (default 512 KiB). */
  readonly maxSendBytes?: number;
  /** Deletes published rows after a while; `false` (default) keeps them. */
  readonly retention?: OutboxRetention | false;
  readonly hooks?: OutboxRelayHooks;
  readonly logger?: LoggerService;
}

export type OutboxRelayRole = 'stopped' | 'standby' | 'leader';

export interface OutboxRelayStatus {
  readonly role: OutboxRelayRole;
  readonly publishedTotal: number;
  /** When the leader last read the outbox; a stale value on the leader means its loop is stuck. */
  readonly lastPollAt: Date | null;
  readonly lastPublishedAt: Date | null;
  readonly lastError: string | null;
  readonly consecutiveFailures: number;
  /** Failed relay rounds since start (each retried with back-off). */
  readonly failuresTotal: number;
}

export interface OutboxMetrics {
  /** Committed rows not yet acknowledged by Kafka. */
  readonly unpublished: number;
  /** Age of the oldest of them, from its transaction's start; null when none. */
  readonly oldestUnpublishedAgeMs: number | null;
  readonly relay: OutboxRelayStatus;
}

interface OutboxRow {
  readonly id: string;
  readonly transaction_id: string;
  readonly message_id: string;
  readonly topic: string;
  readonly message_key: string;
  readonly headers: Record<string, string>;
  readonly payload: string;
}

// Rows of transactions still in progress are invisible, and rows of transactions that finished after the
// oldest running one started are held back until it ends, so (transaction_id, id) is a stable order that
// a late commit can never jump into after its successors were published (docs/event-store.md §2). Because every
// row that can still appear sorts after every row read so far, the leader pages with a cursor on that
// pair and can read the next batch before the previous one is acknowledged. The same order makes the relay's
// progress one position: every row at or before it is published (outbox_relay_position, one row).
// The ORDER BY names the table's columns: a bare `id` would sort by the text alias ('100' < '93').
const selectBatch = `
  SELECT o.id::text AS id, o.transaction_id::text AS transaction_id, o.message_id::text AS message_id,
         o.topic, o.message_key, o.headers, o.payload
  FROM outbox o
  WHERE o.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    AND (o.transaction_id, o.id) > ($2::xid8, $3::bigint)
  ORDER BY o.transaction_id, o.id
  LIMIT $1`;

interface Cursor {
  readonly transactionId: string;
  readonly id: string;
}

const readPosition = `SELECT transaction_id::text AS transaction_id, id::text AS id FROM outbox_relay_position`;

// Forward only: a position is never moved back, whoever writes it.
const movePosition = `
  UPDATE outbox_relay_position SET transaction_id = $1::xid8, id = $2::bigint, updated_at = now()
   WHERE (transaction_id, id) < ($1::xid8, $2::bigint)`;

const outboxRows = (side: '>' | '<=', schema: string | undefined): string => {
  const table = (name: string) => (schema === undefined ? name : `"${schema.replace(/"/g, '""')}".${name}`);
  return `FROM ${table('outbox')} o, ${table('outbox_relay_position')} p WHERE (o.transaction_id, o.id) ${side} (p.transaction_id, p.id)`;
};

/**
 * The outbox rows the relay has not published yet, as a FROM clause (`o` is the row): `SELECT count(*) ${...}`.
 * `schema` qualifies both tables; without it they are found on the search_path.
 */
export const unpublishedOutboxRows = (schema?: string): string => outboxRows('>', schema);

/** The outbox rows the relay has published (acknowledged by the broker), as unpublishedOutboxRows gives the others. */
export const publishedOutboxRows = (schema?: string): string => outboxRows('<=', schema);

const purgeChunkRows = 10_000;
// The oldest published rows first, at most purgeChunkRows looked at per statement: a chunk that holds a row too
// young to go (or unpublished) is the last one.
const purgePublished = `
  WITH oldest AS (
    SELECT o.id, o.created_at FROM outbox o, outbox_relay_position p
     WHERE (o.transaction_id, o.id) <= (p.transaction_id, p.id)
     ORDER BY o.transaction_id, o.id
     LIMIT ${purgeChunkRows}
  ), purged AS (
    DELETE FROM outbox WHERE id IN (SELECT id FROM oldest WHERE created_at < now() - make_interval(hours => $1))
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM purged)::int AS purged, (SELECT count(*) FROM oldest)::int AS looked_at`;

/**
 * The advisory-lock key of this schema's relay: a fixed tag in the high half, the outbox table's oid in
 * the low half. Advisory locks are database-wide, and every service (and every test file) has its own
 * outbox table in its own schema, so the oid tells their relays apart.
 */
const lockKeyQuery = `
  SELECT to_regclass('outbox') IS NOT NULL AND to_regclass('outbox_relay_position') IS NOT NULL AS present,
         ((x'474c4f52'::bigint << 32) | to_regclass('outbox')::oid::bigint)::text AS lock_key`;

/**
 * Publishes committed outbox rows to Kafka in transaction order, moves its position past them only after the
 * broker acked (at-least-once), and elects one active relay per schema with a PostgreSQL session advisory lock held on
 * a dedicated connection; the others stand by and take over when that connection goes away.
 */
export class OutboxRelay {
  private readonly dataSource: DataSource;
  private readonly kafka: Kafka;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly standbyPollMs: number;
  private readonly maxSendBytes: number;
  private readonly retention: OutboxRetention | false;
  private readonly hooks: OutboxRelayHooks;
  private readonly logger: LoggerService;
  private readonly sleep = new InterruptibleSleep();

  private loop: Promise<void> | undefined;
  private stopping = false;
  private lockKey = '';
  private lockConnection: QueryRunner | undefined;
  private producer: Producer | undefined;
  private nextPurgeAt = 0;
  private role: OutboxRelayRole = 'stopped';
  private publishedTotal = 0;
  private lastPublishedAt: Date | null = null;
  private lastPollAt: Date | null = null;
  private lastError: string | null = null;
  private consecutiveFailures = 0;
  private failuresTotal = 0;

  constructor(options: OutboxRelayOptions) {
    this.dataSource = options.dataSource;
    this.kafka = options.kafka;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.standbyPollMs = options.standbyPollMs ?? 1_000;
    this.maxSendBytes = options.maxSendBytes ?? 512 * 1024;
    this.retention = options.retention ?? false;
    this.hooks = options.hooks ?? {};
    this.logger = options.logger ?? new Logger(OutboxRelay.name);
  }

  /** Starts leading or standing by; resolves at once. Throws when the outbox table is not in `search_path`. */
  async start(): Promise<void> {
    if (this.loop) return;
    const [found] = await this.dataSource.query<Array<{ present: boolean; lock_key: string }>>(lockKeyQuery);
    if (!found?.present) throw new OutboxTableMissing();
    this.lockKey = found.lock_key;
    this.stopping = false;
    this.sleep.reset();
    this.role = 'standby';
    this.loop = this.run();
  }

  /** Finishes the chunk in flight (produce + mark), releases the lock and disconnects. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.sleep.cancel();
    await this.loop;
    this.loop = undefined;
    await this.stepDown();
    this.role = 'stopped';
  }

  status(): OutboxRelayStatus {
    return {
      role: this.role,
      publishedTotal: this.publishedTotal,
      lastPollAt: this.lastPollAt,
      lastPublishedAt: this.lastPublishedAt,
      lastError: this.lastError,
      consecutiveFailures: this.consecutiveFailures,
      failuresTotal: this.failuresTotal,
    };
  }

  /** For health checks: a growing `oldestUnpublishedAgeMs` means nothing is publishing. */
  async metrics(): Promise<OutboxMetrics> {
    const [row] = await this.dataSource.query<Array<{ unpublished: string; oldest_age_ms: number | null }>>(
      `SELECT count(*)::text AS unpublished,
              (extract(epoch FROM now() - min(o.created_at)) * 1000)::float8 AS oldest_age_ms
       ${unpublishedOutboxRows()}`,
    );
    return {
      unpublished: Number(row?.unpublished ?? 0),
      oldestUnpublishedAgeMs: row?.oldest_age_ms ?? null,
      relay: this.status(),
    };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const connection = this.lockConnection;
        const producer = this.producer;
        if (connection && producer) {
          await this.lead(connection, producer);
        } else if (!(await this.tryToLead())) {
          await this.sleep.sleep(this.standbyPollMs);
        }
      } catch (error) {
        this.consecutiveFailures += 1;
        this.failuresTotal += 1;
        this.lastError = describe(error);
        this.logger.error(`outbox relay failed (${this.consecutiveFailures} in a row): ${this.lastError}`);
        // Start over from a clean state: a new producer (fresh idempotence sequence), a new election (which
        // lets a healthy standby take over while this instance backs off) and a cursor from the stored position.
        await this.stepDown();
        await this.sleep.sleep(backOffDelay(this.consecutiveFailures, 100, 5_000));
      }
    }
  }

  /**
   * Publishes until stopped or until something fails, from the stored position. Pipelined on the one
   * connection: while Kafka acks chunk n, PostgreSQL moves the position past chunk n-1 and, after a full batch,
   * reads the next one; a chunk's hook runs once the position is past every earlier chunk, and the position
   * moves past a chunk only after its own ack.
   */
  private async lead(connection: QueryRunner, producer: Producer): Promise<void> {
    const [stored] = (await connection.query(readPosition)) as Array<{ transaction_id: string; id: string }>;
    if (!stored) throw new OutboxTableMissing();
    let cursor: Cursor = { transactionId: stored.transaction_id, id: stored.id };
    let marking: Promise<void> = Promise.resolve();
    let reading = this.read(connection, cursor);
    try {
      while (!this.stopping) {
        await this.purgeIfDue(connection);
        const rows = await reading;
        this.lastPollAt = new Date();
        this.consecutiveFailures = 0;
        const last = rows[rows.length - 1];
        if (last) cursor = { transactionId: last.transaction_id, id: last.id };
        const full = rows.length === this.batchSize;
        const chunks = [...this.chunksOf(rows)];
        let prefetched = false;
        for (const [index, chunk] of chunks.entries()) {
          await producer.sendBatch({ acks: -1, topicMessages: byTopic(chunk) });
          await marking;
          const ids = chunk.map((row) => row.id);
          await this.hooks.afterProduce?.({ ids, messageIds: chunk.map((row) => row.message_id) });
          if (full && index === chunks.length - 1 && !this.stopping) {
            reading = this.read(connection, cursor);
            prefetched = true;
          }
          const through = chunk[chunk.length - 1];
          marking = this.mark(connection, ids.length, { transactionId: through.transaction_id, id: through.id });
          if (this.stopping) break;
        }
        if (prefetched) continue;
        await marking;
        await this.sleep.sleep(this.pollIntervalMs);
        if (!this.stopping) reading = this.read(connection, cursor);
      }
    } finally {
      await marking;
    }
  }

  private read(connection: QueryRunner, after: Cursor): Promise<OutboxRow[]> {
    const rows = connection.query(selectBatch, [this.batchSize, after.transactionId, after.id]) as Promise<OutboxRow[]>;
    rows.catch(() => undefined); // awaited later; this only keeps Node from calling an early failure unhandled
    return rows;
  }

  /** Moves the position through the chunk's last row: the chunk and everything before it are published. */
  private mark(connection: QueryRunner, rows: number, through: Cursor): Promise<void> {
    const marked = (connection.query(movePosition, [through.transactionId, through.id]) as Promise<unknown>).then(() => {
      this.publishedTotal += rows;
      this.lastPublishedAt = new Date();
    });
    marked.catch(() => undefined);
    return marked;
  }

  private async tryToLead(): Promise<boolean> {
    const connection = this.dataSource.createQueryRunner();
    try {
      await connection.connect();
      const [row] = await this.dataSource.query<Array<{ locked: boolean }>>(
        'SELECT pg_try_advisory_lock($1::bigint) AS locked',
        [this.lockKey],
        connection,
      );
      if (!row?.locked) {
        await connection.release();
        return false;
      }
    } catch (error) {
      await connection.release();
      throw error;
    }
    // From here on, any failure reaches run(), whose stepDown() releases the lock and the connection.
    this.lockConnection = connection;
    // Settings for the relay's own session, reset before the connection goes back to the pool:
    // - the position is a hint, not a promise (a move lost in a database crash only causes a re-publish,
    //   which at-least-once allows), so moves skip the commit flush;
    // - outbox statistics are stale more often than not (rows arrive and are purged in bulk), and with a
    //   low estimate of the rows after the cursor the planner sorted the whole backlog instead of walking
    //   the ordered index: 40 ms instead of 0.3 ms per read at 50,000 rows (measured with the partial index
    //   of unmarked rows, before the position), worse as the backlog grows. The relay never needs a sort, so
    //   it forbids them.
    await connection.query('SET synchronous_commit TO off');
    await connection.query('SET enable_sort TO off');
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    this.role = 'leader';
    this.logger.log('leading the outbox relay');
    return true;
  }

  private async stepDown(): Promise<void> {
    const connection = this.lockConnection;
    const producer = this.producer;
    this.lockConnection = undefined;
    this.producer = undefined;
    if (this.role === 'leader') this.role = this.stopping ? 'stopped' : 'standby';
    if (connection && !connection.isReleased) {
      try {
        await connection.query('RESET synchronous_commit');
        await connection.query('RESET enable_sort');
        await connection.query('SELECT pg_advisory_unlock($1::bigint)', [this.lockKey]);
        await connection.release();
      } catch (error) {
        // Never hand a connection that may still hold the lock back to the pool: destroy it instead.
        await destroyConnection(connection, error);
      }
    }
    if (producer) {
      await producer.disconnect().catch((error: unknown) => {
        this.logger.warn(`producer disconnect: ${describe(error)}`);
      });
    }
  }

  private *chunksOf(rows: readonly OutboxRow[]): Generator<OutboxRow[]> {
    let chunk: OutboxRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size =
        Buffer.byteLength(row.payload) + Buffer.byteLength(row.message_key) + JSON.stringify(row.headers).length + 64;
      if (chunk.length > 0 && bytes + size > this.maxSendBytes) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(row);
      bytes += size;
    }
    if (chunk.length > 0) yield chunk;
  }

  private async purgeIfDue(connection: QueryRunner): Promise<void> {
    if (!this.retention || Date.now() < this.nextPurgeAt) return;
    this.nextPurgeAt = Date.now() + (this.retention.everyMs ?? 10 * 60_000);
    let more = true;
    while (more && !this.stopping) {
      const [row] = (await connection.query(purgePublished, [this.retention.publishedRowsHours])) as Array<{ purged: number; looked_at: number }>;
      more = row !== undefined && row.looked_at === purgeChunkRows && row.purged === row.looked_at;
    }
  }
}

const byTopic = (rows: readonly OutboxRow[]): Array<{ topic: string; messages: Message[] }> => {
  const topics = new Map<string, Message[]>();
  for (const row of rows) {
    let messages = topics.get(row.topic);
    if (!messages) {
      messages = [];
      topics.set(row.topic, messages);
    }
    messages.push({ key: row.message_key, value: row.payload, headers: row.headers });
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
};

const destroyConnection = async (connection: QueryRunner, error: unknown): Promise<void> => {
  // PostgresQueryRunner releases with an error so that pg-pool discards the client rather than reusing it.
  const postgres = connection as QueryRunner & { releasePostgresConnection?: (error?: unknown) => Promise<void> };
  if (postgres.releasePostgresConnection) await postgres.releasePostgresConnection(error);
  else await connection.release();
};

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

export class OutboxTableMissing extends Error {
  readonly code = 'outbox_table_missing';
  constructor() {
    super('No outbox table (or no relay position) in the search_path of this DataSource: run the messaging migrations in the service schema');
    this.name = 'OutboxTableMissing';
  }
}
