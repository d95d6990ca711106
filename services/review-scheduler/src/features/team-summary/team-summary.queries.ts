import { CLOCK, type Clock } from '@golden-loop/scheduling';
import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ReviewCounts, TeamReviewSummary, UnroutedEscalationPage } from './team-summary.documents';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The median time to revision looks back this far unless the caller says (a quarter, like the default interval). */
export const DEFAULT_SUMMARY_DAYS = 90;

export class SummariseTeam {
  constructor(
    readonly teamId: string,
    readonly since?: Date,
  ) {}
}

interface CountsRow {
  readonly clinician_id: string | null;
  readonly supervisor_id: string | null;
  readonly open: number;
  readonly overdue: number;
  readonly urgent: number;
  readonly escalated: number;
  readonly revised: number;
  readonly median: number | null;
}

const countsOf = (row: CountsRow): ReviewCounts => ({
  open: row.open,
  overdue: row.overdue,
  urgent: row.urgent,
  escalated: row.escalated,
  revised: row.revised,
  medianSecondsToRevision: row.median === null ? null : Math.round(row.median),
});

/**
 * The supervisor's view of a team: per clinician of the team (clinician_supervision), counts of open, overdue,
 * urgent and escalated tasks, and the median time from first trigger to revision, with the team's own totals
 * (GROUPING SETS: one scan for both). Each part reads its own partial index of review_tasks.
 */
@QueryHandler(SummariseTeam)
export class SummariseTeamHandler implements IQueryHandler<SummariseTeam, TeamReviewSummary> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ teamId, since }: SummariseTeam): Promise<TeamReviewSummary> {
    const now = this.clock.now();
    const from = since ?? new Date(now.getTime() - DEFAULT_SUMMARY_DAYS * DAY_MS);
    const rows = await this.dataSource.query<CountsRow[]>(
      `WITH members AS (
         SELECT clinician_id, supervisor_id FROM clinician_supervision WHERE team_id = $1
       ), open_tasks AS (
         SELECT t.clinician_id, (t.overdue_at IS NOT NULL OR t.due_at <= $2) AS overdue, t.urgency = 'urgent' AS urgent,
                t.escalated_at IS NOT NULL AS escalated
           FROM members m JOIN review_tasks t ON t.clinician_id = m.clinician_id AND t.status = 'open'
       ), revised AS (
         SELECT t.clinician_id, t.seconds_to_completion
           FROM members m JOIN review_tasks t ON t.clinician_id = m.clinician_id AND t.resolution = 'plan_revised' AND t.completed_at >= $3
       ), facts AS (
         SELECT clinician_id, 1 AS open, overdue::int AS overdue, urgent::int AS urgent, escalated::int AS escalated, 0 AS revised, NULL::int AS seconds
           FROM open_tasks
         UNION ALL
         SELECT clinician_id, 0, 0, 0, 0, 1, seconds_to_completion FROM revised
         UNION ALL
         SELECT clinician_id, 0, 0, 0, 0, 0, NULL FROM members
       )
       SELECT f.clinician_id, max(m.supervisor_id::text) AS supervisor_id,
              coalesce(sum(f.open), 0)::int AS open, coalesce(sum(f.overdue), 0)::int AS overdue,
              coalesce(sum(f.urgent), 0)::int AS urgent, coalesce(sum(f.escalated), 0)::int AS escalated,
              coalesce(sum(f.revised), 0)::int AS revised,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY f.seconds) AS median
         FROM facts f JOIN members m ON m.clinician_id = f.clinician_id
        GROUP BY GROUPING SETS ((f.clinician_id), ())`,
      [teamId, now.toISOString(), from.toISOString()],
    );
    const teamRow = rows.find((row) => row.clinician_id === null);
    const clinicians = rows
      .filter((row) => row.clinician_id !== null)
      .map((row) => ({ clinicianId: row.clinician_id!, supervisorId: row.supervisor_id!, ...countsOf(row) }))
      .sort((a, b) => b.overdue - a.overdue || b.escalated - a.escalated || b.urgent - a.urgent || a.clinicianId.localeCompare(b.clinicianId));
    return {
      teamId,
      asOf: now.toISOString(),
      since: from.toISOString(),
      team: teamRow ? countsOf(teamRow) : { open: 0, overdue: 0, urgent: 0, escalated: 0, revised: 0, medianSecondsToRevision: null },
      clinicians,
    };
  }
}

export class ListUnroutedEscalations {
  constructor(
    readonly page: number,
    readonly pageSize: number,
  ) {}
}

interface EscalationRow {
  readonly task_id: string;
  readonly plan_id: string;
  readonly clinician_id: string;
  readonly due_at: Date;
  readonly escalated_at: Date;
}

/**
 * Open safety reviews escalated while no supervisor was known for their clinician, and still without one: the
 * network's own queue (docs/review-scheduling.md, "Escalation without a supervisor"). Once a supervisor is set,
 * the task shows in that team's view instead.
 */
@QueryHandler(ListUnroutedEscalations)
export class ListUnroutedEscalationsHandler implements IQueryHandler<ListUnroutedEscalations, UnroutedEscalationPage> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ page, pageSize }: ListUnroutedEscalations): Promise<UnroutedEscalationPage> {
    const unrouted = `FROM review_tasks t WHERE t.status = 'open' AND t.escalated_at IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM clinician_supervision s WHERE s.clinician_id = t.clinician_id)`;
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(`SELECT count(*)::int AS total ${unrouted}`);
    const rows = await this.dataSource.query<EscalationRow[]>(
      `SELECT t.task_id, t.plan_id, t.clinician_id, t.due_at, t.escalated_at ${unrouted} ORDER BY t.escalated_at, t.task_id LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    );
    return {
      page,
      pageSize,
      total,
      items: rows.map((row) => ({
        taskId: row.task_id,
        planId: row.plan_id,
        clinicianId: row.clinician_id,
        dueAt: row.due_at.toISOString(),
        escalatedAt: row.escalated_at.toISOString(),
      })),
    };
  }
}

export const teamSummaryQueryHandlers = [SummariseTeamHandler, ListUnroutedEscalationsHandler];
