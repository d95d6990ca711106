import type { DataSource } from 'typeorm';
import type { DeadLetterReason } from './dead-letter';

export interface ParkedKey {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly key: string;
  /** The event whose failure parked the key. */
  readonly eventId: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly parkedAt: Date;
}

export interface DeadLetterRecord {
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly reason: DeadLetterReason;
  readonly errorCode: string;
  readonly attempts: number;
  readonly failedAt: Date;
}

export interface ParkedKeyAddress {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly key: string;
}

export const listParkedKeys = async (dataSource: DataSource, consumerGroup?: string): Promise<ParkedKey[]> => {
  const rows = await dataSource.query<Array<{
    consumer_group: string;
    topic: string;
    message_key: string;
    event_id: string;
    error_code: string;
    error_message: string;
    parked_at: Date;
  }>>(
    `SELECT consumer_group, topic, message_key, event_id, error_code, error_message, parked_at
     FROM inbox_parked_keys WHERE $1::text IS NULL OR consumer_group = $1::text
     ORDER BY parked_at`,
    [consumerGroup ?? null],
  );
  return rows.map((row) => ({
    consumerGroup: row.consumer_group,
    topic: row.topic,
    key: row.message_key,
    eventId: row.event_id,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    parkedAt: row.parked_at,
  }));
};

/**
 * Un-parks a key once its cause is fixed: deletes the park and the key's dead-letter records in one
 * transaction and returns those records in offset order. Later messages with the key are applied again;
 * to apply the dead-lettered ones, produce them from `<topic>.dlq` back to the topic in that order (the
 * inbox skips any that were applied already).
 */
export const unparkKey = async (dataSource: DataSource, address: ParkedKeyAddress): Promise<DeadLetterRecord[]> =>
  dataSource.transaction(async (manager) => {
    await manager.query(
      `DELETE FROM inbox_parked_keys WHERE consumer_group = $1 AND topic = $2 AND message_key = $3`,
      [address.consumerGroup, address.topic, address.key],
    );
    const rows = await manager.query<[Array<Record<string, unknown>>, number]>(
      `DELETE FROM inbox_dead_letters WHERE consumer_group = $1 AND topic = $2 AND message_key = $3
       RETURNING event_id, topic, kafka_partition, kafka_offset::text AS kafka_offset, reason, error_code, attempts, failed_at`,
      [address.consumerGroup, address.topic, address.key],
    );
    return rows[0]
      .map((row) => ({
        eventId: row['event_id'] as string,
        topic: row['topic'] as string,
        partition: row['kafka_partition'] as number,
        offset: row['kafka_offset'] as string,
        reason: row['reason'] as DeadLetterReason,
        errorCode: row['error_code'] as string,
        attempts: row['attempts'] as number,
        failedAt: row['failed_at'] as Date,
      }))
      .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  });
