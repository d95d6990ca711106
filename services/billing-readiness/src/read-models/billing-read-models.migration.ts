import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * billing-readiness's own tables beside the kit's: the readiness of each plan (the worklist, rebuildable from the
 * event store), clinician credentials with their history, and the rule-set versions last checked against.
 */
export class BillingReadModels1764300001000 implements MigrationInterface {
  readonly name = 'BillingReadModels1764300001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE plan_readiness (
        plan_id          uuid        NOT NULL,
        payer_id         uuid,
        clinician_id     uuid,
        signer_id        uuid,
        status           text        NOT NULL,
        rule_set_id      text,
        rule_set_version integer,
        outcome          text,
        -- 0 not_ready, 1 at_risk, 2 ready: the worklist sorts by it, then by urgency_at
        urgency_rank     smallint,
        -- when an at_risk plan will fail (its next rule boundary); when a not_ready plan was found so
        urgency_at       timestamptz,
        errors           integer     NOT NULL DEFAULT 0,
        warnings         integer     NOT NULL DEFAULT 0,
        finding_codes    text[]      NOT NULL DEFAULT '{}',
        check_id         uuid,
        checked_at       timestamptz,
        next_check_at    timestamptz,
        version          integer     NOT NULL,
        CONSTRAINT plan_readiness_pkey PRIMARY KEY (plan_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX plan_readiness_worklist_idx ON plan_readiness (payer_id, urgency_rank, urgency_at, plan_id) WHERE status = 'open' AND urgency_rank < 2`,
    );
    await queryRunner.query(`CREATE INDEX plan_readiness_rule_set_idx ON plan_readiness (rule_set_id) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX plan_readiness_clinician_idx ON plan_readiness (clinician_id) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX plan_readiness_signer_idx ON plan_readiness (signer_id) WHERE status = 'open'`);
    await queryRunner.query(`
      CREATE TABLE clinician_credentials (
        clinician_id uuid        NOT NULL,
        credentials  text[]      NOT NULL,
        recorded_at  timestamptz NOT NULL,
        recorded_by  uuid        NOT NULL,
        CONSTRAINT clinician_credentials_pkey PRIMARY KEY (clinician_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE clinician_credential_changes (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        clinician_id uuid        NOT NULL,
        credentials  text[]      NOT NULL,
        recorded_at  timestamptz NOT NULL,
        recorded_by  uuid        NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE rule_set_versions (
        rule_set_id text        NOT NULL,
        version     integer     NOT NULL,
        hash        text        NOT NULL,
        checked_at  timestamptz NOT NULL,
        CONSTRAINT rule_set_versions_pkey PRIMARY KEY (rule_set_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rule_set_versions, clinician_credential_changes, clinician_credentials, plan_readiness`);
  }
}

export const billingMigrations = [BillingReadModels1764300001000];
