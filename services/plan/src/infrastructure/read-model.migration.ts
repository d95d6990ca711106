import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PlanImportCheckpoints1764200003000 } from '../import/import-checkpoints.migration';

/**
 * The plan read models, fed by the `plan-summaries` subscription and rebuildable from the event store:
 * the current plan of each episode (for lists by clinician and client, and for canned-plan detection).
 */
export class PlanReadModels1764200002000 implements MigrationInterface {
  readonly name = 'PlanReadModels1764200002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE plan_summaries (
        plan_id            uuid        NOT NULL,
        client_id          uuid        NOT NULL,
        clinician_id       uuid        NOT NULL,
        payer_id           uuid,
        status             text        NOT NULL,
        version            integer     NOT NULL,
        revision_in_effect integer,
        active_goals       integer     NOT NULL,
        -- normalised goal wordings of this plan, compared with the same clinician's other plans
        goal_texts         text[]      NOT NULL DEFAULT '{}',
        opened_at          timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        CONSTRAINT plan_summaries_pkey PRIMARY KEY (plan_id)
      )`);
    await queryRunner.query(`CREATE INDEX plan_summaries_clinician_idx ON plan_summaries (clinician_id, opened_at DESC, plan_id)`);
    await queryRunner.query(`CREATE INDEX plan_summaries_client_idx ON plan_summaries (client_id, opened_at DESC, plan_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE plan_summaries`);
  }
}

/** Every migration of the plan service's schema, in order: its read models, then the importer's checkpoints. */
export const planReadModelMigrations = [PlanReadModels1764200002000, PlanImportCheckpoints1764200003000];
