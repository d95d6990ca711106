import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable timers, one row each, owned by the service that schedules them. A timer fires once: its handler's writes
 * and `fired_at` commit in one transaction, claimed with FOR UPDATE SKIP LOCKED so several instances never fire one
 * timer twice. Rescheduling a key (upsert) arms it again.
 */
export class SchedulingSchema1764200003000 implements MigrationInterface {
  readonly name = 'SchedulingSchema1764200003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE timers (
        timer_id    text        NOT NULL,
        kind        text        NOT NULL,
        stream_id   text        NOT NULL,
        due_at      timestamptz NOT NULL,
        payload     jsonb       NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL DEFAULT now(),
        fired_at    timestamptz,
        attempts    integer     NOT NULL DEFAULT 0,
        last_error  text,
        parked_at   timestamptz,
        CONSTRAINT timers_pkey PRIMARY KEY (timer_id)
      )`);
    await queryRunner.query(`CREATE INDEX timers_due_idx ON timers (due_at, timer_id) WHERE fired_at IS NULL AND parked_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE timers`);
  }
}

export const schedulingMigrations = [SchedulingSchema1764200003000];
