import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** What the outbox moves: an already-encoded Kafka record. The service encodes; messaging only carries it. */
export interface OutboxMessage {
  readonly topic: string;
  /** The record key; for Golden Loop the plan id, which keeps a plan's events in order on one partition. */
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Unique id of this outbox row (a UUID). Defaults to the CloudEvents `ce_id` header when that is a UUID,
   * so enqueueing the same event twice fails on the unique constraint instead of publishing it twice.
   */
  readonly id?: string;
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const messageIdOf = (message: OutboxMessage): string => {
  if (message.id !== undefined) return message.id;
  const ceId = message.headers['ce_id'];
  return ceId !== undefined && uuidShape.test(ceId) ? ceId : randomUUID();
};

/**
 * Writes outbox rows in the caller's transaction: the rows commit or roll back with the events they
 * announce (docs/architecture.md, delivery guarantee 1). Stateless; `OutboxRelay` publishes the rows.
 *
 * Per-key order on Kafka is the order of the writing transactions' ids (`pg_current_xact_id()`), so a
 * writer of key K must take the lock that serialises writers of K (the stream version check, or
 * IdempotentConsumer's per-key lock) before its first write in the transaction.
 */
export class Outbox {
  async enqueue(manager: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new OutboxOutsideTransaction();
    }
    // One statement for any number of rows: arrays keep the parameter count at five, and ORDINALITY
    // keeps identity values in the caller's order.
    await manager.query(
      `INSERT INTO outbox (message_id, topic, message_key, headers, payload)
       SELECT m.message_id, m.topic, m.message_key, m.headers, m.payload
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::text[])
            WITH ORDINALITY AS m(message_id, topic, message_key, headers, payload, position)
       ORDER BY m.position`,
      [
        messages.map(messageIdOf),
        messages.map((m) => m.topic),
        messages.map((m) => m.key),
        messages.map((m) => JSON.stringify(m.headers)),
        messages.map((m) => m.value),
      ],
    );
  }
}

/** Enqueueing outside a transaction would publish rows whose business change may still roll back. */
export class OutboxOutsideTransaction extends Error {
  readonly code = 'outbox_outside_transaction';
  constructor() {
    super('Outbox.enqueue needs the EntityManager of an open transaction (dataSource.transaction(manager => ...))');
    this.name = 'OutboxOutsideTransaction';
  }
}
