import { PostgresEventStore, type RecordedEvent, type SubscriptionHandle } from '@golden-loop/event-store';
import { ServiceMetrics } from '@golden-loop/service-kit';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewEvent } from '../domain/events';

export const REVIEW_TASKS_SUBSCRIPTION = 'review-tasks';

/** A new row: every column of review_tasks. */
interface TaskRow {
  task_id: string;
  plan_id: string;
  clinician_id: string;
  kind: string;
  status: string;
  urgency: string;
  urgency_rank: number;
  reasons: readonly string[];
  trigger_count: number;
  due_at: string;
  opened_at: string;
  first_triggered_at: string;
  overdue_at: string | null;
  escalated_at: string | null;
  escalation_route: string | null;
  resolution: string | null;
  completed_at: string | null;
  seconds_to_completion: number | null;
  version: number;
}

/** A change to an existing row: the columns it sets, and how many triggers joined. */
type TaskPatch = Partial<Omit<TaskRow, 'task_id' | 'plan_id' | 'clinician_id' | 'kind' | 'opened_at' | 'first_triggered_at' | 'trigger_count'>> & {
  trigger_delta?: number;
};

const urgencyRank = (urgency: string): number => (urgency === 'urgent' ? 0 : 1);

/** What one stored event changes in its task's row; null for events that touch no row. */
const changeOf = (event: ReviewEvent, version: number): { taskId: string; row?: TaskRow; patch?: TaskPatch } | null => {
  switch (event.type) {
    case 'ReviewTaskOpened': {
      const d = event.data;
      return {
        taskId: d.taskId,
        row: {
          task_id: d.taskId,
          plan_id: d.planId,
          clinician_id: d.clinicianId,
          kind: d.kind,
          status: 'open',
          urgency: d.urgency,
          urgency_rank: urgencyRank(d.urgency),
          reasons: d.reasons,
          trigger_count: d.trigger === null ? 0 : 1,
          due_at: d.dueAt,
          opened_at: d.openedAt,
          first_triggered_at: d.firstTriggeredAt,
          overdue_at: null,
          escalated_at: null,
          escalation_route: null,
          resolution: null,
          completed_at: null,
          seconds_to_completion: null,
          version,
        },
      };
    }
    case 'ReviewTaskTriggerJoined': {
      const d = event.data;
      return {
        taskId: d.taskId,
        patch: { urgency: d.urgency, urgency_rank: urgencyRank(d.urgency), reasons: d.reasons, due_at: d.dueAt, trigger_delta: d.trigger === null ? 0 : 1, version },
      };
    }
    case 'ReviewTaskCompleted': {
      const d = event.data;
      return {
        taskId: d.taskId,
        patch: { status: 'completed', resolution: d.resolution, completed_at: d.completedAt, seconds_to_completion: d.secondsToCompletion, version },
      };
    }
    case 'ReviewTaskCancelled':
      return { taskId: event.data.taskId, patch: { status: 'cancelled', completed_at: event.data.cancelledAt, version } };
    case 'ReviewTaskOverdue':
      return { taskId: event.data.taskId, patch: { overdue_at: event.data.overdueAt, version } };
    case 'ReviewTaskEscalated':
      return { taskId: event.data.taskId, patch: { escalated_at: event.data.escalatedAt, escalation_route: event.data.route, version } };
    default:
      return null;
  }
};

const merge = (patch: TaskPatch, next: TaskPatch): TaskPatch => ({
  ...patch,
  ...next,
  trigger_delta: (patch.trigger_delta ?? 0) + (next.trigger_delta ?? 0),
});

const applyPatch = (row: TaskRow, patch: TaskPatch): TaskRow => {
  const { trigger_delta: delta = 0, ...columns } = patch;
  return { ...row, ...columns, trigger_count: row.trigger_count + delta };
};

/**
 * Changes to tasks that exist: $1 the patches as a JSON array, $2 their task ids. The ids make it find the tasks by
 * key: joined to the recordset alone, it read every task (docs/loop-performance.md, "Statements that read every
 * stream"). Exported for the test of that.
 */
export const PATCH_TASKS_SQL = `UPDATE review_tasks t SET
     status = coalesce(p.status, t.status),
     urgency = coalesce(p.urgency, t.urgency),
     urgency_rank = coalesce(p.urgency_rank, t.urgency_rank),
     reasons = CASE WHEN p.reasons IS NULL THEN t.reasons ELSE ARRAY(SELECT jsonb_array_elements_text(p.reasons)) END,
     trigger_count = t.trigger_count + coalesce(p.trigger_delta, 0),
     due_at = coalesce(p.due_at, t.due_at),
     overdue_at = coalesce(p.overdue_at, t.overdue_at),
     escalated_at = coalesce(p.escalated_at, t.escalated_at),
     escalation_route = coalesce(p.escalation_route, t.escalation_route),
     resolution = coalesce(p.resolution, t.resolution),
     completed_at = coalesce(p.completed_at, t.completed_at),
     seconds_to_completion = coalesce(p.seconds_to_completion, t.seconds_to_completion),
     version = greatest(t.version, p.version)
   FROM jsonb_to_recordset($1::jsonb) AS p(task_id uuid, status text, urgency text, urgency_rank smallint, reasons jsonb,
        trigger_delta integer, due_at timestamptz, overdue_at timestamptz, escalated_at timestamptz, escalation_route text,
        resolution text, completed_at timestamptz, seconds_to_completion integer, version integer)
   WHERE t.task_id = p.task_id
     AND t.task_id = ANY ($2::uuid[])`;

/**
 * Keeps `review_tasks` (one row per task, for the inbox and the team view) from this service's event store through
 * a checkpointed subscription: rows and checkpoint commit together, and `rebuild()` truncates and replays to the
 * same state. Every task event carries what its row needs, so a batch is folded in memory and written with two
 * statements (new rows, then changes to earlier ones) without reading the streams again.
 */
@Injectable()
export class ReviewTasksProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReviewTasksProjection.name);
  private subscription?: SubscriptionHandle;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly metrics: ServiceMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics.watchSubscription(REVIEW_TASKS_SUBSCRIPTION);
    this.subscription = this.store.subscribe({
      subscriptionId: REVIEW_TASKS_SUBSCRIPTION,
      handler: (events, manager) => this.apply(events, manager),
      onReset: (manager) => manager.query('TRUNCATE review_tasks'),
      onError: (error) => this.logger.error(`review tasks projection failed: ${String(error)}`),
      batchSize: 1000,
      pollIntervalMs: 50,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  /** Processes everything committed so far (tests, and "read your writes" callers). */
  drain(): Promise<number> {
    return this.handle().drain();
  }

  rebuild(): Promise<void> {
    return this.handle().rebuild();
  }

  private handle(): SubscriptionHandle {
    if (!this.subscription) throw new Error('the review tasks projection has not started');
    return this.subscription;
  }

  private async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const rows = new Map<string, TaskRow>();
    const patches = new Map<string, TaskPatch>();
    for (const recorded of events) {
      const change = changeOf({ type: recorded.type, data: recorded.data } as ReviewEvent, recorded.streamPosition);
      if (!change) continue;
      if (change.row) rows.set(change.taskId, change.row);
      else if (change.patch) {
        const row = rows.get(change.taskId);
        if (row) rows.set(change.taskId, applyPatch(row, change.patch));
        else patches.set(change.taskId, merge(patches.get(change.taskId) ?? {}, change.patch));
      }
    }
    if (rows.size > 0) {
      await manager.query(
        `INSERT INTO review_tasks
         SELECT r.task_id, r.plan_id, r.clinician_id, r.kind, r.status, r.urgency, r.urgency_rank,
                ARRAY(SELECT jsonb_array_elements_text(r.reasons)), r.trigger_count, r.due_at, r.opened_at, r.first_triggered_at,
                r.overdue_at, r.escalated_at, r.escalation_route, r.resolution, r.completed_at, r.seconds_to_completion, r.version
           FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, plan_id uuid, clinician_id uuid, kind text, status text, urgency text,
                urgency_rank smallint, reasons jsonb, trigger_count integer, due_at timestamptz, opened_at timestamptz,
                first_triggered_at timestamptz, overdue_at timestamptz, escalated_at timestamptz, escalation_route text,
                resolution text, completed_at timestamptz, seconds_to_completion integer, version integer)
         ON CONFLICT (task_id) DO NOTHING`,
        [JSON.stringify([...rows.values()])],
      );
    }
    if (patches.size > 0) {
      await manager.query(
        PATCH_TASKS_SQL,
        [JSON.stringify([...patches.entries()].map(([taskId, patch]) => ({ task_id: taskId, ...patch }))), [...patches.keys()]],
      );
    }
  }
}
