import { CommandRunner, type LoadedStream, type StreamHistory } from '@golden-loop/command-runner';
import { PostgresEventStore } from '@golden-loop/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { advisoriesFor } from '../../domain/advisories';
import { PlanNotFound } from '../../domain/errors';
import type { PlanEvent } from '../../domain/events';
import type { OpenedPlan } from '../../domain/plan-state';
import { PLAN_STREAM, type PlanStream } from '../../plan-stream';
import { planDocument, type PlanDocument } from './plan-document';

/** A plan read from its stream (always up to date), or the same 404 a command on an unknown plan gets. */
@Injectable()
export class PlanReader {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(PLAN_STREAM) private readonly stream: PlanStream,
  ) {}

  /** The plan now (the runner's cached fold and the events after it) or as it was at `asOf`. */
  async read(planId: string, asOf?: Date): Promise<LoadedStream<OpenedPlan>> {
    const loaded = await this.runner.load(this.stream, planId, { asOf });
    if (loaded.state.status === 'not_opened') throw new PlanNotFound();
    return { ...loaded, state: loaded.state };
  }

  /** The plan with every event of its stream (for the revision history). */
  async history(planId: string): Promise<StreamHistory<OpenedPlan, PlanEvent>> {
    const history = await this.runner.history(this.stream, planId);
    if (history.state.status === 'not_opened') throw new PlanNotFound();
    return { ...history, state: history.state };
  }
}

export class GetPlan {
  constructor(readonly planId: string) {}
}

/** The current plan, read from its stream (always up to date), with the golden-loop advisories. */
@QueryHandler(GetPlan)
export class GetPlanHandler implements IQueryHandler<GetPlan, PlanDocument> {
  constructor(
    private readonly plans: PlanReader,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async execute({ planId }: GetPlan): Promise<PlanDocument> {
    const { state: plan, version } = await this.plans.read(planId);
    // The canned-plan check compares with the same clinician's other clients' plans (read model).
    const rows: { text: string }[] = await this.dataSource.query(
      `SELECT DISTINCT unnest(goal_texts) AS text FROM plan_summaries
        WHERE clinician_id = $1 AND client_id <> $2 AND status <> 'closed'`,
      [plan.clinicianId, plan.clientId],
    );
    return planDocument(plan, version, advisoriesFor(plan, { otherPlansGoalTexts: rows.map((row) => row.text) }));
  }
}

export class GetPlanAsOf {
  constructor(
    readonly planId: string,
    readonly at: Date,
  ) {}
}

/** The plan as it stood at a point in time: its stream replayed up to that instant. */
@QueryHandler(GetPlanAsOf)
export class GetPlanAsOfHandler implements IQueryHandler<GetPlanAsOf, PlanDocument> {
  constructor(private readonly plans: PlanReader) {}

  async execute({ planId, at }: GetPlanAsOf): Promise<PlanDocument> {
    const { state, version } = await this.plans.read(planId, at);
    return planDocument(state, version);
  }
}

export class GetRevisionHistory {
  constructor(readonly planId: string) {}
}

/** Every revision that took effect, with who proposed it, both attestations and what it changed; and the open draft. */
@QueryHandler(GetRevisionHistory)
export class GetRevisionHistoryHandler implements IQueryHandler<GetRevisionHistory> {
  constructor(private readonly plans: PlanReader) {}

  async execute({ planId }: GetRevisionHistory) {
    const { state: plan, version, events } = await this.plans.history(planId);
    const proposals = new Map(
      events.flatMap(({ event }) => {
        if (event.type === 'RevisionProposed') return [[event.data.revision, { proposedBy: event.data.by, proposedAt: event.data.proposedAt }] as const];
        if (event.type === 'PlanOpened') return [[event.data.revision, { proposedBy: event.data.by, proposedAt: event.data.openedAt }] as const];
        return [];
      }),
    );
    return {
      planId,
      version,
      revisions: plan.revisions.map((revision) => ({ ...revision, ...proposals.get(revision.revision) })),
      draft: plan.draft,
    };
  }
}

export class GetPlanTimeline {
  constructor(readonly planId: string) {}
}

/** The plan's events in order: what happened, when, and who did it. */
@QueryHandler(GetPlanTimeline)
export class GetPlanTimelineHandler implements IQueryHandler<GetPlanTimeline> {
  constructor(private readonly store: PostgresEventStore) {}

  async execute({ planId }: GetPlanTimeline) {
    const events = await this.store.readStream(planId);
    if (events.length === 0) throw new PlanNotFound();
    const version = events[events.length - 1].streamPosition;
    return {
      planId,
      version,
      events: events.map((event) => ({
        position: event.streamPosition,
        eventId: event.eventId,
        type: event.type,
        recordedAt: event.recordedAt.toISOString(),
        by: event.metadata.userId ?? null,
        correlationId: event.metadata.correlationId ?? null,
        data: event.data,
      })),
    };
  }
}

export class ListPlans {
  constructor(
    readonly filter: { clinicianId?: string; clientId?: string; status?: string; visibleClinicians?: readonly string[] },
    readonly page: number,
    readonly pageSize: number,
  ) {}
}

/** Plans by clinician and/or client, newest first, from the plan_summaries read model. */
@QueryHandler(ListPlans)
export class ListPlansHandler implements IQueryHandler<ListPlans> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ filter, page, pageSize }: ListPlans) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.clinicianId) where.push(`clinician_id = $${params.push(filter.clinicianId)}`);
    if (filter.clientId) where.push(`client_id = $${params.push(filter.clientId)}`);
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    // The caller's caseload (docs/security.md): a clinician's own plans, a supervisor's team's; all for billing.
    if (filter.visibleClinicians) where.push(`clinician_id = ANY($${params.push(filter.visibleClinicians)}::uuid[])`);
    const condition = where.join(' AND ');
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM plan_summaries WHERE ${condition}`, params);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT plan_id AS "planId", client_id AS "clientId", clinician_id AS "clinicianId", payer_id AS "payerId", status,
              version, revision_in_effect AS "revisionInEffect", active_goals AS "activeGoals",
              opened_at AS "openedAt", updated_at AS "updatedAt"
         FROM plan_summaries WHERE ${condition}
        ORDER BY opened_at DESC, plan_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items: rows, page, pageSize, total };
  }
}

export const readPlanQueryHandlers = [PlanReader, GetPlanHandler, GetPlanAsOfHandler, GetRevisionHistoryHandler, GetPlanTimelineHandler, ListPlansHandler];
