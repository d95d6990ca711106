import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The review scheduler's own tables besides the event store's, outbox's, inbox's and timers':
 * - `review_tasks`: one row per task, fed by the `review-tasks` subscription and rebuildable from the event store;
 *   indexed for the clinician's inbox (open tasks by urgency then due time) and the supervisor view;
 * - `clinician_supervision`: who supervises each clinician, and in which team (set over HTTP; the plan events
 *   carry only the clinician id).
 */
export class ReviewReadModels1764300001000 implements MigrationInterface {
  readonly name = 'ReviewReadModels1764300001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE review_tasks (
        task_id               uuid        NOT NULL,
        plan_id               uuid        NOT NULL,
        clinician_id          uuid        NOT NULL,
        kind                  text        NOT NULL,
        status                text        NOT NULL,
        urgency               text        NOT NULL,
        -- 0 for urgent, 1 for routine: the inbox sorts on it
        urgency_rank          smallint    NOT NULL,
        reasons               text[]      NOT NULL,
        trigger_count         integer     NOT NULL,
        due_at                timestamptz NOT NULL,
        opened_at             timestamptz NOT NULL,
        first_triggered_at    timestamptz NOT NULL,
        overdue_at            timestamptz,
        escalated_at          timestamptz,
        escalation_route      text,
        resolution            text,
        completed_at          timestamptz,
        seconds_to_completion integer,
        version               integer     NOT NULL,
        CONSTRAINT review_tasks_pkey PRIMARY KEY (task_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX review_tasks_inbox_idx ON review_tasks (clinician_id, urgency_rank, due_at, task_id) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX review_tasks_revised_idx ON review_tasks (clinician_id, completed_at) INCLUDE (seconds_to_completion) WHERE resolution = 'plan_revised'`,
    );
    await queryRunner.query(`CREATE INDEX review_tasks_escalated_idx ON review_tasks (escalated_at, task_id) WHERE status = 'open' AND escalated_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX review_tasks_plan_idx ON review_tasks (plan_id)`);
    await queryRunner.query(`
      CREATE TABLE clinician_supervision (
        clinician_id  uuid        NOT NULL,
        supervisor_id uuid        NOT NULL,
        team_id       uuid        NOT NULL,
        updated_at    timestamptz NOT NULL,
        updated_by    uuid        NOT NULL,
        CONSTRAINT clinician_supervision_pkey PRIMARY KEY (clinician_id)
      )`);
    await queryRunner.query(`CREATE INDEX clinician_supervision_team_idx ON clinician_supervision (team_id, clinician_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE clinician_supervision`);
    await queryRunner.query(`DROP TABLE review_tasks`);
  }
}

export const reviewReadModelMigrations = [ReviewReadModels1764300001000];
