import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store's tables, unqualified: they land in the first schema of the connection's search_path,
 * so each service keeps its own store in its own schema.
 */
export class EventStoreSchema1764200000000 implements MigrationInterface {
  readonly name = 'EventStoreSchema1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE streams (
        stream_id   text        NOT NULL,
        stream_type text        NOT NULL,
        version     bigint      NOT NULL CHECK (version > 0),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT streams_pkey PRIMARY KEY (stream_id)
      )`);
    // No foreign key to streams: every event row is written by the statement that creates or locks its stream
    // row, and the per-row check cost 10-20% of append throughput on this machine.
    // transaction_id is the writer's top-level transaction: readers take only rows below the oldest
    // running transaction (the watermark), so a position taken early and committed late is never skipped.
    await queryRunner.query(`
      CREATE TABLE events (
        global_position bigint      GENERATED ALWAYS AS IDENTITY,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        stream_id       text        NOT NULL,
        stream_position bigint      NOT NULL CHECK (stream_position > 0),
        event_id        uuid        NOT NULL,
        event_type      text        NOT NULL,
        schema_version  integer     NOT NULL DEFAULT 1,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_pkey PRIMARY KEY (stream_id, stream_position),
        CONSTRAINT events_event_id_unique UNIQUE (event_id)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX events_transaction_order_idx ON events (transaction_id, global_position)`,
    );
    await queryRunner.query(`CREATE INDEX events_stream_recorded_at_idx ON events (stream_id, recorded_at)`);
    await queryRunner.query(`
      CREATE TABLE subscription_checkpoints (
        subscription_id text        NOT NULL,
        transaction_id  xid8        NOT NULL,
        global_position bigint      NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT subscription_checkpoints_pkey PRIMARY KEY (subscription_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE subscription_checkpoints`);
    await queryRunner.query(`DROP TABLE events`);
    await queryRunner.query(`DROP TABLE streams`);
  }
}

/** Add to the service DataSource's `migrations`, beside the service's own. */
export const eventStoreMigrations = [EventStoreSchema1764200000000];
