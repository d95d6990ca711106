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

// The rows of one flush as one JSON array (a fixed parameter list, prepared once), in the order recorded.
const insertSql = `INSERT INTO audit_events (actor_id, actor_roles, action, method, route, plan_id, plan_ids, purpose, outcome, correlation_id)
  SELECT e.actor_id, e.actor_roles, e.action, e.method, e.route, e.plan_id, e.plan_ids, e.purpose, e.outcome, e.correlation_id
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (actor_id uuid, actor_roles text[], action text, method text, route text, plan_id uuid,
                    plan_ids uuid[], purpose text, outcome smallint, correlation_id uuid)) WITH ORDINALITY AS e
   ORDER BY e.ordinality`;

const rowOf = (entry: AuditEntry) => ({
  actor_id: entry.actorId,
  actor_roles: entry.actorRoles,
  action: entry.action,
  method: entry.method,
  route: entry.route,
  plan_id: entry.planId ?? null,
  plan_ids: entry.planIds ?? [],
  purpose: entry.purpose,
  outcome: entry.outcome,
  correlation_id: entry.correlationId ?? null,
});

interface Pending {
  readonly entry: AuditEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The service's audit trail: one row per request that touched PHI, written (committed) before the answer leaves.
 *
 * Group commit: the rows recorded while a write is in flight go in together with the next one, one statement and
 * one commit for all of them, and each `record` resolves when its own row is committed. Under load this is one commit
 * for many requests instead of one more commit per request; an idle service writes each row at once (no timer, no
 * wait). A failed write is retried row by row, so each request gets its own row's outcome.
 */
export class AuditTrail {
  private queued: Pending[] = [];
  private writing: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ entry, resolve, reject });
      this.writing ??= this.writeQueued();
    });
  }

  private async writeQueued(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      try {
        await this.insert(batch.map(({ entry }) => entry));
        for (const { resolve } of batch) resolve();
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        else
          for (const pending of batch)
            await this.insert([pending.entry]).then(pending.resolve, pending.reject);
      }
    }
    this.writing = null;
  }

  private async insert(entries: readonly AuditEntry[]): Promise<void> {
    await this.dataSource.query(insertSql, [JSON.stringify(entries.map(rowOf))]);
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
