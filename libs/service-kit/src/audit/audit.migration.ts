import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who read or wrote which plan's PHI, when and why (45 CFR 164.312(b), audit controls). Append-only: a trigger
 * refuses UPDATE, DELETE and TRUNCATE for every role, the service's own included (a superuser could drop the
 * trigger, which is itself visible in the catalog and the server log), and the table's privileges are revoked from
 * PUBLIC (docs/security.md).
 */
export class AuditTrail1764200004000 implements MigrationInterface {
  readonly name = 'AuditTrail1764200004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_events (
        audit_id        bigint GENERATED ALWAYS AS IDENTITY,
        occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id        uuid        NOT NULL,
        actor_roles     text[]      NOT NULL,
        action          text        NOT NULL,
        method          text        NOT NULL,
        route           text        NOT NULL,
        plan_id         uuid,
        plan_ids        uuid[]      NOT NULL DEFAULT '{}',
        purpose         text        NOT NULL,
        outcome         smallint    NOT NULL,
        correlation_id  uuid,
        CONSTRAINT audit_events_pkey PRIMARY KEY (audit_id)
      )`);
    await queryRunner.query(`CREATE INDEX audit_events_plan_idx ON audit_events (plan_id, occurred_at) WHERE plan_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX audit_events_plans_idx ON audit_events USING gin (plan_ids)`);
    await queryRunner.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`REVOKE ALL ON audit_events FROM PUBLIC`);
  }

  down(): Promise<void> {
    return Promise.reject(new Error('The audit trail is never rolled back.'));
  }
}

export const auditMigrations = [AuditTrail1764200004000];
