import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each plan's import stands (docs/import.md, "Idempotency and resume: a checkpoint per plan"): the steps of its line committed,
 * written in the same transaction as their events. The service's schema, like its read models.
 */
export class PlanImportCheckpoints1764200003000 implements MigrationInterface {
  readonly name = 'PlanImportCheckpoints1764200003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE plan_import_checkpoints (
        plan_id      uuid        NOT NULL,
        line_sha256  text        NOT NULL,
        steps_done   integer     NOT NULL,
        steps_total  integer     NOT NULL,
        events       integer     NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT plan_import_checkpoints_pkey PRIMARY KEY (plan_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE plan_import_checkpoints`);
  }
}
