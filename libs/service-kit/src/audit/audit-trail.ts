import type { DataSource } from 'typeorm';

/** HL7 v3 PurposeOfUse codes a request may state in `X-Purpose-Of-Use`; otherwise its role's default. */
export const PURPOSES_OF_USE = ['TREAT', 'HPAYMT', 'HOPERAT', 'PATRQT', 'SYSADMIN', 'ETREAT'] as const;
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

export interface AuditEntry {
  readonly actorId: string;
  readonly actorRoles: readonly string[];
  /** What was done, e.g. `read_plan`, `record_assessment`: the route's handler name when nothing better is said. */
  readonly action: string;
  readonly method: string;
  /** The route template (`/plans/:planId/assessments`), never a raw path. */
  readonly route: string;
  /** The plan the request was about, when one. */
  readonly planId?: string;
  /** Plans a list answered with. */
  readonly planIds?: readonly string[];
  readonly purpose: PurposeOfUse;
  /** The HTTP status the request ended with. */
  readonly outcome: number;
  readonly correlationId?: string;
}

export interface AuditRecord extends AuditEntry {
  readonly auditId: string;
  readonly occurredAt: Date;
}

interface AuditRow {
  audit_id: string;
  occurred_at: Date;
  actor_id: string;
  actor_roles: string[];
  action: string;
  method: string;
  route: string;
  plan_id: string | null;
  plan_ids: string[];
  purpose: PurposeOfUse;
  outcome: number;
  correlation_id: string | null;
}

const recordOf = (row: AuditRow): AuditRecord => ({
  auditId: row.audit_id,
  occurredAt: row.occurred_at,
  actorId: row.actor_id,
  actorRoles: row.actor_roles,
  action: row.action,
  method: row.method,
  route: row.route,
  ...(row.plan_id === null ? {} : { planId: row.plan_id }),
  planIds: row.plan_ids,
  purpose: row.purpose,
  outcome: row.outcome,
  ...(row.correlation_id === null ? {} : { correlationId: row.correlation_id }),
});

/** The service's audit trail: one row per request that touched PHI, written before the answer leaves. */
export class AuditTrail {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_events (actor_id, actor_roles, action, method, route, plan_id, plan_ids, purpose, outcome, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entry.actorId,
        entry.actorRoles,
        entry.action,
        entry.method,
        entry.route,
        entry.planId ?? null,
        entry.planIds ?? [],
        entry.purpose,
        entry.outcome,
        entry.correlationId ?? null,
      ],
    );
  }

  /** A plan's whole access history, or an actor's, newest first; paged. */
  async query(filter: { planId?: string; actorId?: string; limit: number; before?: string }): Promise<AuditRecord[]> {
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT audit_id::text, occurred_at, actor_id, actor_roles, action, method, route, plan_id, plan_ids, purpose, outcome, correlation_id
         FROM audit_events
        WHERE ($1::uuid IS NULL OR plan_id = $1::uuid OR $1::uuid = ANY(plan_ids))
          AND ($2::uuid IS NULL OR actor_id = $2::uuid)
          AND ($3::bigint IS NULL OR audit_id < $3::bigint)
        ORDER BY audit_id DESC
        LIMIT $4`,
      [filter.planId ?? null, filter.actorId ?? null, filter.before ?? null, filter.limit],
    );
    return rows.map(recordOf);
  }
}
