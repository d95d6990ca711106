import type { IHeaders } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { MessageContext } from './idempotent-consumer';
import { keyLockExpression } from './key-lock';

/** A claimed message of a batch, as a batch handler gets it. */
export interface BatchedMessage<T> {
  readonly event: T;
  readonly context: MessageContext;
}

/**
 * Applies the newly claimed messages of one chunk of a fetched batch (one partition, in offset order) inside their
 * inbox transaction; write only through `manager`. Throwing rolls the chunk back, and its messages are then
 * applied one at a time with the consumer's usual retries, dead letters and parking.
 */
export type BatchMessageHandler<T> = (messages: readonly BatchedMessage<T>[], manager: EntityManager) => Promise<void>;

export interface BatchOptions<T> {
  /** Messages of a fetched batch applied in one transaction (default 100). */
  readonly maxMessages?: number;
  /** Applies a chunk's claimed messages together; without it, `handler` runs for each in turn in the chunk's transaction. */
  readonly handler?: BatchMessageHandler<T>;
}

export interface BatchClaimInput {
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
}

export type BatchClaim = 'claimed' | 'duplicate' | 'needs_one_by_one';

interface BatchClaimRow {
  readonly n: number;
  readonly processed: boolean;
  readonly dead_lettered: boolean | null;
  readonly parked: boolean;
  readonly claimed: boolean;
}

// The batch form of IdempotentConsumer's claim, in one round trip:
//  - the per-key locks of every key in the chunk first, in the order of their lock ids (so two chunks sharing keys
//    cannot deadlock), before the transaction's first write, as the one-message claim does;
//  - then, per message, the same questions: applied already, dead-lettered (or its dead letter pending), key parked;
//  - and the inbox rows of the rest, once per event id even when the chunk holds one event twice.
const batchClaimSql = `
  WITH key_locks AS MATERIALIZED (
    SELECT count(pg_advisory_xact_lock(lock_id)) AS locks
      FROM (SELECT DISTINCT ${keyLockExpression('k')} AS lock_id FROM unnest($6::text[]) AS u(k) WHERE k IS NOT NULL ORDER BY 1) AS ids
  ), input AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::integer[], $5::bigint[], $6::text[])
      WITH ORDINALITY AS m(event_id, topic, kafka_partition, kafka_offset, message_key, n)
  ), seen AS (
    SELECT m.*, l.locks,
           EXISTS (SELECT 1 FROM inbox i WHERE i.consumer_group = $1::text AND i.event_id = m.event_id) AS processed,
           (SELECT d.dlq_published_at IS NOT NULL FROM inbox_dead_letters d
             WHERE d.consumer_group = $1::text AND d.event_id = m.event_id) AS dead_lettered,
           EXISTS (SELECT 1 FROM inbox_parked_keys p
             WHERE p.consumer_group = $1::text AND p.topic = m.topic AND p.message_key = m.message_key) AS parked
      FROM input m CROSS JOIN key_locks l
  ), claimed AS (
    INSERT INTO inbox (consumer_group, event_id, topic, kafka_partition, kafka_offset)
    SELECT DISTINCT ON (s.event_id) $1::text, s.event_id, s.topic, s.kafka_partition, s.kafka_offset FROM seen s
     WHERE NOT s.processed AND s.dead_lettered IS NULL AND NOT s.parked
     ORDER BY s.event_id, s.n
    ON CONFLICT DO NOTHING
    RETURNING event_id, kafka_offset
  )
  SELECT s.n::int AS n, s.processed, s.dead_lettered, s.parked,
         EXISTS (SELECT 1 FROM claimed c WHERE c.event_id = s.event_id AND c.kafka_offset = s.kafka_offset) AS claimed
    FROM seen s ORDER BY s.n`;

/**
 * Locks the chunk's keys and claims its messages in the caller's transaction. A message already applied is a
 * duplicate; one whose key is parked, or whose dead letter is recorded but not yet produced, needs the one-message
 * path (which dead-letters it), and so does the whole chunk then.
 */
export const claimBatch = async (manager: EntityManager, groupId: string, inputs: readonly BatchClaimInput[]): Promise<BatchClaim[]> => {
  const rows = await manager.query<BatchClaimRow[]>(batchClaimSql, [
    groupId,
    inputs.map((input) => input.eventId),
    inputs.map((input) => input.topic),
    inputs.map((input) => input.partition),
    inputs.map((input) => input.offset),
    inputs.map((input) => input.key),
  ]);
  if (rows.length !== inputs.length) throw new Error(`inbox batch claim returned ${rows.length} rows for ${inputs.length} messages`);
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const eventId = inputs[i].eventId;
    const first = !seen.has(eventId);
    seen.add(eventId);
    if (row.processed || row.dead_lettered === true) return 'duplicate';
    if (row.dead_lettered === false || row.parked) return 'needs_one_by_one';
    // The same event twice in one chunk: the first is applied, the second is its duplicate.
    return row.claimed && first ? 'claimed' : 'duplicate';
  });
};

/** A decoded message of a chunk, where it came from. */
export interface ChunkMessage<T> extends BatchClaimInput {
  readonly event: T;
  readonly headers: IHeaders;
}

/** Rolls a chunk's transaction back so that its messages go the one-message path. */
class ChunkNeedsOneByOne extends Error {}

/**
 * One chunk in one inbox transaction: keys locked and messages claimed, `apply` run on the newly claimed ones (in
 * offset order), one commit. Null, with nothing written, when the chunk holds a message the one-message path must
 * handle (a parked key, a pending dead letter); whatever `apply` throws rolls the chunk back and is thrown.
 */
export const applyChunkOnce = async <T>(
  dataSource: DataSource,
  groupId: string,
  messages: readonly ChunkMessage<T>[],
  apply: (fresh: readonly BatchedMessage<T>[], manager: EntityManager) => Promise<void>,
): Promise<{ processed: number; duplicates: number } | null> => {
  try {
    return await dataSource.transaction(async (manager) => {
      const claims = await claimBatch(manager, groupId, messages);
      // Roll back: the claim already wrote the inbox rows of the chunk's other messages.
      if (claims.includes('needs_one_by_one')) throw new ChunkNeedsOneByOne();
      const fresh = messages
        .filter((_, i) => claims[i] === 'claimed')
        .map(({ event, eventId, topic, partition, offset, key, headers }) => ({
          event,
          context: { consumerGroup: groupId, topic, partition, offset, key, headers, eventId, attempt: 1 },
        }));
      if (fresh.length > 0) await apply(fresh, manager);
      return { processed: fresh.length, duplicates: messages.length - fresh.length };
    });
  } catch (error) {
    if (error instanceof ChunkNeedsOneByOne) return null;
    throw error;
  }
};
