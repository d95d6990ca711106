import { CLOCK, type Clock } from '@golden-loop/scheduling';
import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { InboxPage } from './inbox.documents';

export class ReadInbox {
  constructor(
    readonly clinicianId: string,
    readonly page: number,
    readonly pageSize: number,
    readonly kind?: string,
  ) {}
}

interface InboxRow {
  readonly task_id: string;
  readonly plan_id: string;
  readonly kind: string;
  readonly urgency: string;
  readonly reasons: string[];
  readonly trigger_count: number;
  readonly due_at: Date;
  readonly opened_at: Date;
  readonly first_triggered_at: Date;
  readonly overdue: boolean;
  readonly escalated_at: Date | null;
}

/**
 * A clinician's open tasks, urgent first, then by due time (the inbox index: clinician, urgency rank, due time),
 * from the review_tasks read model. Overdue means the overdue timer fired or the due time has passed on the clock.
 */
@QueryHandler(ReadInbox)
export class ReadInboxHandler implements IQueryHandler<ReadInbox, InboxPage> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ clinicianId, page, pageSize, kind }: ReadInbox): Promise<InboxPage> {
    const filter = `clinician_id = $1 AND status = 'open' AND ($2::text IS NULL OR kind = $2::text)`;
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(`SELECT count(*)::int AS total FROM review_tasks WHERE ${filter}`, [clinicianId, kind ?? null]);
    const rows = await this.dataSource.query<InboxRow[]>(
      `SELECT task_id, plan_id, kind, urgency, reasons, trigger_count, due_at, opened_at, first_triggered_at,
              (overdue_at IS NOT NULL OR due_at <= $3) AS overdue, escalated_at
         FROM review_tasks WHERE ${filter}
        ORDER BY urgency_rank, due_at, task_id
        LIMIT $4 OFFSET $5`,
      [clinicianId, kind ?? null, this.clock.now().toISOString(), pageSize, (page - 1) * pageSize],
    );
    return {
      clinicianId,
      page,
      pageSize,
      total,
      items: rows.map((row) => ({
        taskId: row.task_id,
        planId: row.plan_id,
        kind: row.kind,
        urgency: row.urgency,
        reasons: row.reasons,
        triggerCount: row.trigger_count,
        dueAt: row.due_at.toISOString(),
        openedAt: row.opened_at.toISOString(),
        firstTriggeredAt: row.first_triggered_at.toISOString(),
        overdue: row.overdue,
        escalated: row.escalated_at !== null,
      })),
    };
  }
}
