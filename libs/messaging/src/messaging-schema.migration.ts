import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox, inbox, dead letters and parked keys. Table names are unqualified on purpose: they land in the
 * first schema of the connection's `search_path`, which is the owning service's schema.
 */
export class MessagingSchema1764200001000 implements MigrationInterface {
  name = 'MessagingSchema1764200001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // transaction_id is the watermark of docs/event-store.md §2: the relay only reads rows whose transaction id
    // is below the oldest running transaction, so a late commit can never be overtaken.
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        message_id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        message_key text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        payload text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished_idx ON outbox (transaction_id, id) WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer_group text NOT NULL,
        event_id text NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);

    // One row per message sent to <topic>.dlq: makes the dead-lettering itself idempotent across
    // redeliveries and gives operators a SQL view of what failed.
    await queryRunner.query(`
      CREATE TABLE inbox_dead_letters (
        consumer_group text NOT NULL,
        event_id text NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        message_key text NULL,
        reason text NOT NULL CHECK (reason IN ('decode', 'handler', 'key_parked')),
        error_code text NOT NULL,
        error_message text NOT NULL,
        attempts integer NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        dlq_published_at timestamptz NULL,
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX inbox_dead_letters_key_idx ON inbox_dead_letters (consumer_group, topic, message_key)`,
    );

    // While a key is parked, later messages with that key are dead-lettered as 'key_parked' so that a
    // plan's events are never applied out of order. Operators un-park by deleting the row (see README).
    await queryRunner.query(`
      CREATE TABLE inbox_parked_keys (
        consumer_group text NOT NULL,
        topic text NOT NULL,
        message_key text NOT NULL,
        event_id text NOT NULL,
        error_code text NOT NULL,
        error_message text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, topic, message_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS inbox_parked_keys`);
    await queryRunner.query(`DROP TABLE IF EXISTS inbox_dead_letters`);
    await queryRunner.query(`DROP TABLE IF EXISTS inbox`);
    await queryRunner.query(`DROP TABLE IF EXISTS outbox`);
  }
}

/**
 * The relay's position instead of a mark on every row (docs/loop-performance.md, "The outbox relay's position"):
 * one row holding the last (transaction_id, id) the broker acknowledged, in the order the relay publishes. Every
 * outbox row at or before it is published; the rows after it are not. Marking a row rewrote it whole (an indexed
 * column changed, so a new row version and an entry in every index); moving the position is one small update per
 * produced chunk. Rows already marked become the position: the last marked row before the first unmarked one.
 */
export class OutboxRelayPosition1764200002000 implements MigrationInterface {
  name = 'OutboxRelayPosition1764200002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_relay_position (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        transaction_id xid8 NOT NULL,
        id bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO outbox_relay_position (transaction_id, id)
      SELECT coalesce(last.transaction_id, '0'::xid8), coalesce(last.id, 0)
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (
          SELECT o.transaction_id, o.id FROM outbox o
           WHERE o.published_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM outbox u WHERE u.published_at IS NULL AND (u.transaction_id, u.id) < (o.transaction_id, o.id))
           ORDER BY o.transaction_id DESC, o.id DESC
           LIMIT 1
        ) AS last ON true`);
    await queryRunner.query(`DROP INDEX outbox_unpublished_idx`);
    await queryRunner.query(`DROP INDEX outbox_published_at_idx`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN published_at`);
    await queryRunner.query(`CREATE INDEX outbox_order_idx ON outbox (transaction_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN published_at timestamptz NULL`);
    await queryRunner.query(`
      UPDATE outbox o SET published_at = p.updated_at
        FROM outbox_relay_position p WHERE (o.transaction_id, o.id) <= (p.transaction_id, p.id)`);
    await queryRunner.query(`DROP INDEX outbox_order_idx`);
    await queryRunner.query(`CREATE INDEX outbox_unpublished_idx ON outbox (transaction_id, id) WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`);
    await queryRunner.query(`DROP TABLE outbox_relay_position`);
  }
}

export const messagingMigrations = [MessagingSchema1764200001000, OutboxRelayPosition1764200002000];
