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

  async apply(manager: EntityManager, planId: string, state: PlanReadiness, version: number): Promise<void> {
    if (!state.opened) return;
    const check = state.lastCheck;
    const errors = check?.findings.filter((f) => f.severity === 'error').length ?? 0;
    const warnings = check?.findings.filter((f) => f.severity === 'warning').length ?? 0;
    const urgencyAt = check === null ? null : check.outcome === 'at_risk' ? check.nextCheckAt : check.outcome === 'not_ready' ? check.checkedAt : null;
    await manager.query(
      `INSERT INTO plan_readiness (plan_id, payer_id, clinician_id, signer_id, status, rule_set_id, rule_set_version, outcome, urgency_rank,
                                   urgency_at, errors, warnings, finding_codes, check_id, checked_at, next_check_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (plan_id) DO UPDATE SET payer_id = EXCLUDED.payer_id, clinician_id = EXCLUDED.clinician_id, signer_id = EXCLUDED.signer_id,
         status = EXCLUDED.status, rule_set_id = EXCLUDED.rule_set_id, rule_set_version = EXCLUDED.rule_set_version, outcome = EXCLUDED.outcome,
         urgency_rank = EXCLUDED.urgency_rank, urgency_at = EXCLUDED.urgency_at, errors = EXCLUDED.errors, warnings = EXCLUDED.warnings,
         finding_codes = EXCLUDED.finding_codes, check_id = EXCLUDED.check_id, checked_at = EXCLUDED.checked_at,
         next_check_at = EXCLUDED.next_check_at, version = EXCLUDED.version
       WHERE plan_readiness.version < EXCLUDED.version`,
      [
        planId,
        state.opened.payerId,
        state.opened.clinicianId,
        clinicianSignerOf(state),
        state.closed ? 'closed' : 'open',
        check?.ruleSetId ?? null,
        check?.ruleSetVersion ?? null,
        check?.outcome ?? null,
        check ? RANK[check.outcome] : null,
        urgencyAt,
        errors,
        warnings,
        [...new Set(check?.findings.map((f) => f.code) ?? [])],
        check?.checkId ?? null,
        check?.checkedAt ?? null,
        check?.nextCheckAt ?? null,
        version,
      ],
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
