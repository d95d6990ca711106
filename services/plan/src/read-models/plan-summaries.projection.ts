import { normaliseGoalText } from '@golden-loop/clinical';
import { StreamCache } from '@golden-loop/command-runner';
import { PostgresEventStore, type RecordedEvent, type SubscriptionHandle } from '@golden-loop/event-store';
import { ServiceMetrics } from '@golden-loop/service-kit';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PlanEvent } from '../domain/events';
import { evolve } from '../domain/evolve';
import { activeGoals } from '../domain/plan-content';
import { initialState, workingContent, type TreatmentPlan } from '../domain/plan-state';

export const PLAN_SUMMARIES_SUBSCRIPTION = 'plan-summaries';

const statusOf = (plan: TreatmentPlan): string => {
  if (plan.status !== 'open') return plan.status;
  return plan.inEffect === null ? 'draft' : 'in_effect';
};

/** Plans whose fold the projection keeps between batches (as many as the command runner keeps by default). */
const CACHED_PLANS = 5_000;

/**
 * Keeps `plan_summaries` (one row per plan: who, status, version, goal wordings) from the event store through
 * a checkpointed subscription: the row and the checkpoint commit together, and `rebuild()` truncates and
 * replays to the same state. Each touched plan is folded up to the batch's last event with the same `evolve` the
 * command side uses, so the two never disagree. The projection keeps the fold it reached per plan (a committed
 * prefix of the stream stays true forever, as the command runner's cache: docs/service-kit.md, "Flat command cost"),
 * so a batch folds only its own events on: the cost of an event does not grow with the plan's history. A plan whose
 * fold is not held at the event before the batch's (the first batch after a start, an eviction, a rebuild, a batch
 * delivered again) is read from the store.
 */
@Injectable()
export class PlanSummariesProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlanSummariesProjection.name);
  private subscription?: SubscriptionHandle;
  private readonly folds = new StreamCache(CACHED_PLANS);

  constructor(
    private readonly store: PostgresEventStore,
    private readonly metrics: ServiceMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics.watchSubscription(PLAN_SUMMARIES_SUBSCRIPTION);
    this.subscription = this.store.subscribe({
      subscriptionId: PLAN_SUMMARIES_SUBSCRIPTION,
      handler: (events, manager) => this.apply(events, manager),
      onReset: (manager) => manager.query('TRUNCATE plan_summaries'),
      onError: (error) => this.logger.error(`plan summaries projection failed: ${String(error)}`),
      pollIntervalMs: 50,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  /** Processes everything committed so far (tests and "read your writes" callers). */
  drain(): Promise<number> {
    return this.handle().drain();
  }

  rebuild(): Promise<void> {
    return this.handle().rebuild();
  }

  /** The plan as of the last of `batch` (its events, in order): the fold held, with the batch's events or the store's tail folded on. */
  private async planAt(planId: string, batch: readonly RecordedEvent[], manager: EntityManager): Promise<TreatmentPlan> {
    const toVersion = batch[batch.length - 1].streamPosition;
    const held = this.folds.get<TreatmentPlan, null>(planId);
    // A fold past the batch (a rebuild, a batch delivered again) cannot be unfolded: start over, and keep the new one.
    if (held !== undefined && held.version > toVersion) this.folds.forget(planId);
    const start = held !== undefined && held.version <= toVersion ? held : { version: 0, state: initialState() };
    const own = batch.filter((event) => event.streamPosition > start.version);
    const follows = own.every((event, index) => event.streamPosition === start.version + 1 + index);
    const tail = start.version === toVersion ? [] : follows ? own : await this.store.readStream(planId, { fromVersion: start.version + 1, toVersion, manager });
    const state = tail.reduce((plan, recorded) => evolve(plan, { type: recorded.type, data: recorded.data } as PlanEvent), start.state);
    this.folds.set(planId, { version: toVersion, state, publication: null });
    return state;
  }

  private handle(): SubscriptionHandle {
    if (!this.subscription) throw new Error('the plan summaries projection has not started');
    return this.subscription;
  }

  private async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const ofStream = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const list = ofStream.get(event.streamId);
      if (list === undefined) ofStream.set(event.streamId, [event]);
      else list.push(event);
    }
    // Read everything first, then write once: a transaction gets its xid at its first write, and from then
    // on it holds back the watermark of every event-store reader and outbox relay on the server.
    const rows: unknown[][] = [];
    for (const [planId, batch] of ofStream) {
      const last = batch[batch.length - 1];
      const plan = await this.planAt(planId, batch, manager);
      if (plan.status === 'not_opened') continue;
      const content = workingContent(plan);
      const goals = content ? activeGoals(content) : [];
      rows.push([
        planId,
        plan.clientId,
        plan.clinicianId,
        plan.payerId,
        statusOf(plan),
        last.streamPosition,
        plan.revisionInEffect,
        goals.length,
        [...new Set(goals.flatMap((goal) => [goal.clientGoal, goal.clinicalGoal]).map(normaliseGoalText))],
        plan.openedAt,
        last.recordedAt.toISOString(),
      ]);
    }
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO plan_summaries (plan_id, client_id, clinician_id, payer_id, status, version, revision_in_effect,
                                   active_goals, goal_texts, opened_at, updated_at)
       SELECT (r->>0)::uuid, (r->>1)::uuid, (r->>2)::uuid, (r->>3)::uuid, r->>4, (r->>5)::int, (r->>6)::int, (r->>7)::int,
              ARRAY(SELECT jsonb_array_elements_text(r->8)), (r->>9)::timestamptz, (r->>10)::timestamptz
         FROM jsonb_array_elements($1::jsonb) AS r
       ON CONFLICT (plan_id) DO UPDATE SET status = EXCLUDED.status, version = EXCLUDED.version,
         revision_in_effect = EXCLUDED.revision_in_effect, active_goals = EXCLUDED.active_goals,
         goal_texts = EXCLUDED.goal_texts, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(rows)],
    );
  }
}
