import { normaliseGoalText } from '@golden-loop/clinical';
import { PostgresEventStore, type RecordedEvent, type SubscriptionHandle } from '@golden-loop/event-store';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PlanEvent } from '../domain/events';
import { activeGoals } from '../domain/plan-content';
import { evolve, initialState, workingContent, type TreatmentPlan } from '../domain/treatment-plan';

export const PLAN_SUMMARIES_SUBSCRIPTION = 'plan-summaries';

const statusOf = (plan: TreatmentPlan): string => {
  if (plan.status !== 'open') return plan.status;
  return plan.inEffect === null ? 'draft' : 'in_effect';
};

/**
 * Keeps `plan_summaries` (one row per plan: who, status, version, goal wordings) from the event store through
 * a checkpointed subscription: the row and the checkpoint commit together, and `rebuild()` truncates and
 * replays to the same state. Each touched plan is re-folded from its stream up to the batch's last event,
 * with the same `evolve` the command side uses, so the two never disagree.
 */
@Injectable()
export class PlanSummariesProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlanSummariesProjection.name);
  private subscription?: SubscriptionHandle;

  constructor(private readonly store: PostgresEventStore) {}

  onApplicationBootstrap(): void {
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

  private handle(): SubscriptionHandle {
    if (!this.subscription) throw new Error('the plan summaries projection has not started');
    return this.subscription;
  }

  private async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const lastOfStream = new Map<string, RecordedEvent>();
    for (const event of events) lastOfStream.set(event.streamId, event);
    for (const [planId, last] of lastOfStream) {
      const stream = await this.store.readStream(planId, { toVersion: last.streamPosition, manager });
      const plan = stream.reduce((state, recorded) => evolve(state, { type: recorded.type, data: recorded.data } as PlanEvent), initialState());
      if (plan.status === 'not_opened') continue;
      const content = workingContent(plan);
      const goals = content ? activeGoals(content) : [];
      await manager.query(
        `INSERT INTO plan_summaries (plan_id, client_id, clinician_id, payer_id, status, version, revision_in_effect,
                                     active_goals, goal_texts, opened_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (plan_id) DO UPDATE SET status = $5, version = $6, revision_in_effect = $7, active_goals = $8,
                                             goal_texts = $9, updated_at = $11`,
        [
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
          last.recordedAt,
        ],
      );
    }
  }
}
