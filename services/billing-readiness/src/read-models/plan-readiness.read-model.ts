import { CommandRunner } from '@golden-loop/command-runner';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { clinicianSignerOf, type PlanReadiness } from '../domain/state';
import { READINESS_STREAM, READINESS_STREAM_TYPE, type ReadinessStream } from '../readiness-stream';

const RANK = { not_ready: 0, at_risk: 1, ready: 2 } as const;

export interface WorklistQuery {
  readonly payerId?: string;
  readonly outcome?: 'not_ready' | 'at_risk';
  readonly sort: 'urgency' | 'checked_at';
  readonly page: number;
  readonly pageSize: number;
}

export interface WorklistRow {
  readonly planId: string;
  readonly payerId: string;
  readonly outcome: 'not_ready' | 'at_risk';
  readonly ruleSetId: string;
  readonly ruleSetVersion: number;
  readonly findingCodes: string[];
  readonly errors: number;
  readonly warnings: number;
  readonly checkId: string;
  readonly checkedAt: string;
  readonly nextCheckAt: string | null;
  readonly urgencyAt: string | null;
}

interface Row {
  plan_id: string;
  payer_id: string;
  outcome: 'not_ready' | 'at_risk';
  rule_set_id: string;
  rule_set_version: number;
  finding_codes: string[];
  errors: number;
  warnings: number;
  check_id: string;
  checked_at: Date;
  next_check_at: Date | null;
  urgency_at: Date | null;
  total: string;
}

/**
 * `plan_readiness`: one row per plan with its latest check, written in the transaction that appended the check (so
 * the worklist never lags the stream) and rebuildable from the event store (`rebuild`). The worklist reads it by
 * payer through a partial index, not_ready first, then at_risk by when they will fail.
 */
@Injectable()
export class PlanReadinessReadModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: CommandRunner,
    @Inject(READINESS_STREAM) private readonly stream: ReadinessStream,
  ) {}

  apply(manager: EntityManager, planId: string, state: PlanReadiness, version: number): Promise<void> {
    return this.applyEach(manager, [{ planId, state, version }]);
  }

  /** The rows of many plans (each at most once) in one statement; a row never goes back to an older version. */
  async applyEach(manager: EntityManager, plans: readonly { planId: string; state: PlanReadiness; version: number }[]): Promise<void> {
    const rows = plans.flatMap(({ planId, state, version }) => {
      if (!state.opened) return [];
      const check = state.lastCheck;
      const urgencyAt = check === null ? null : check.outcome === 'at_risk' ? check.nextCheckAt : check.outcome === 'not_ready' ? check.checkedAt : null;
      return [
        {
          plan_id: planId,
          payer_id: state.opened.payerId,
          clinician_id: state.opened.clinicianId,
          signer_id: clinicianSignerOf(state),
          status: state.closed ? 'closed' : 'open',
          rule_set_id: check?.ruleSetId ?? null,
          rule_set_version: check?.ruleSetVersion ?? null,
          outcome: check?.outcome ?? null,
          urgency_rank: check ? RANK[check.outcome] : null,
          urgency_at: urgencyAt,
          errors: check?.findings.filter((f) => f.severity === 'error').length ?? 0,
          warnings: check?.findings.filter((f) => f.severity === 'warning').length ?? 0,
          finding_codes: [...new Set(check?.findings.map((f) => f.code) ?? [])],
          check_id: check?.checkId ?? null,
          checked_at: check?.checkedAt ?? null,
          next_check_at: check?.nextCheckAt ?? null,
          version,
        },
      ];
    });
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO plan_readiness (plan_id, payer_id, clinician_id, signer_id, status, rule_set_id, rule_set_version, outcome, urgency_rank,
                                   urgency_at, errors, warnings, finding_codes, check_id, checked_at, next_check_at, version)
       SELECT r.plan_id, r.payer_id, r.clinician_id, r.signer_id, r.status, r.rule_set_id, r.rule_set_version, r.outcome, r.urgency_rank,
              r.urgency_at, r.errors, r.warnings, ARRAY(SELECT jsonb_array_elements_text(r.finding_codes)), r.check_id, r.checked_at, r.next_check_at, r.version
         FROM jsonb_to_recordset($1::jsonb) AS r (plan_id uuid, payer_id uuid, clinician_id uuid, signer_id uuid, status text, rule_set_id text,
              rule_set_version integer, outcome text, urgency_rank smallint, urgency_at timestamptz, errors integer, warnings integer,
              finding_codes jsonb, check_id uuid, checked_at timestamptz, next_check_at timestamptz, version integer)
       ON CONFLICT (plan_id) DO UPDATE SET payer_id = EXCLUDED.payer_id, clinician_id = EXCLUDED.clinician_id, signer_id = EXCLUDED.signer_id,
         status = EXCLUDED.status, rule_set_id = EXCLUDED.rule_set_id, rule_set_version = EXCLUDED.rule_set_version, outcome = EXCLUDED.outcome,
         urgency_rank = EXCLUDED.urgency_rank, urgency_at = EXCLUDED.urgency_at, errors = EXCLUDED.errors, warnings = EXCLUDED.warnings,
         finding_codes = EXCLUDED.finding_codes, check_id = EXCLUDED.check_id, checked_at = EXCLUDED.checked_at,
         next_check_at = EXCLUDED.next_check_at, version = EXCLUDED.version
       WHERE plan_readiness.version < EXCLUDED.version`,
      [JSON.stringify(rows)],
    );
  }

  async worklist(query: WorklistQuery): Promise<{ items: WorklistRow[]; total: number }> {
    const order = query.sort === 'urgency' ? 'urgency_rank, urgency_at NULLS LAST, plan_id' : 'checked_at DESC, plan_id';
    const rows = await this.dataSource.query<Row[]>(
      `SELECT plan_id, payer_id, outcome, rule_set_id, rule_set_version, finding_codes, errors, warnings, check_id, checked_at, next_check_at,
              urgency_at, count(*) OVER () AS total
         FROM plan_readiness
        WHERE status = 'open' AND urgency_rank < 2 AND ($1::uuid IS NULL OR payer_id = $1::uuid) AND ($2::smallint IS NULL OR urgency_rank = $2::smallint)
        ORDER BY ${order}
        LIMIT $3 OFFSET $4`,
      [query.payerId ?? null, query.outcome === undefined ? null : RANK[query.outcome], query.pageSize, (query.page - 1) * query.pageSize],
    );
    return {
      total: Number(rows[0]?.total ?? 0),
      items: rows.map((row) => ({
        planId: row.plan_id,
        payerId: row.payer_id,
        outcome: row.outcome,
        ruleSetId: row.rule_set_id,
        ruleSetVersion: row.rule_set_version,
        findingCodes: row.finding_codes,
        errors: row.errors,
        warnings: row.warnings,
        checkId: row.check_id,
        checkedAt: row.checked_at.toISOString(),
        nextCheckAt: row.next_check_at?.toISOString() ?? null,
        urgencyAt: row.urgency_at?.toISOString() ?? null,
      })),
    };
  }

  /** Open plans a change of rule sets or credentials may concern. */
  async openPlans(manager: EntityManager, filter: { clinicianId?: string } = {}): Promise<{ planId: string; payerId: string; ruleSetId: string | null }[]> {
    const rows = await manager.query<{ plan_id: string; payer_id: string; rule_set_id: string | null }[]>(
      `SELECT plan_id, payer_id, rule_set_id FROM plan_readiness
        WHERE status = 'open' AND payer_id IS NOT NULL AND ($1::uuid IS NULL OR clinician_id = $1::uuid OR signer_id = $1::uuid)`,
      [filter.clinicianId ?? null],
    );
    return rows.map((row) => ({ planId: row.plan_id, payerId: row.payer_id, ruleSetId: row.rule_set_id }));
  }

  /** Drops the table's rows and folds every readiness stream again: the same rows as before. */
  async rebuild(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('TRUNCATE plan_readiness');
      const streams = await manager.query<{ stream_id: string }[]>('SELECT stream_id FROM streams WHERE stream_type = $1', [READINESS_STREAM_TYPE]);
      for (const { stream_id: planId } of streams) {
        const loaded = await this.runner.load(this.stream, planId, { manager });
        await this.apply(manager, planId, loaded.state, loaded.version);
      }
      return streams.length;
    });
  }
}
