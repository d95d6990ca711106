import { randomUUID } from 'node:crypto';
import { decodeEvent, TOPICS, type DecodedEvent } from '@golden-loop/contracts';
import { MessagingConsumers, type BatchedMessage } from '@golden-loop/messaging';
import { SERVICE_CONFIG } from '@golden-loop/service-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { ReviewConfig } from '../config';
import { ReactToPlanEvent, ReactToPlanEvents } from '../features/react-to-plan-event/react-to-plan-event.command';
import type { ReviewCommandInput, ReviewStep } from '../review-stream';
import { taskIdFor } from '../task-ids';

type Reaction = ReviewCommandInput<'RegisterPlan' | 'RecordTrigger' | 'RecordRevision' | 'RecordClosure'>;

/**
 * The plan topic's events as this service's domain commands, or null for those of no interest (GoalAdded,
 * PlanSigned, AssessmentRecorded: an assessment matters here only when it is a meaningful change, SymptomsChanged).
 * `eventId` is the record's ce_id: what PlanRevised.triggersAnswered names.
 */
export const reactionTo = (event: DecodedEvent): Reaction | null => {
  const eventId = event.envelope.id;
  const taskIds = (planId: string) => ({
    planUpdate: taskIdFor(planId, 'plan_update', eventId),
    safetyReview: taskIdFor(planId, 'safety_review', eventId),
  });
  switch (event.name) {
    case 'PlanOpened': {
      const p = event.payload;
      return { type: 'RegisterPlan', data: { eventId, planId: p.planId, clinicianId: p.clinicianId, payerId: p.payerId, openedAt: p.openedAt } };
    }
    case 'SymptomsChanged': {
      const p = event.payload;
      return {
        type: 'RecordTrigger',
        data: {
          eventId,
          occurredAt: p.occurredAt,
          taskIds: taskIds(p.planId),
          signal: {
            type: 'SymptomsChanged',
            assessmentId: p.assessmentId,
            instrument: p.instrument,
            previousScore: p.previousScore,
            newScore: p.newScore,
            previousBand: p.previousBand,
            newBand: p.newBand,
            direction: p.direction,
            reasons: p.reasons,
            urgency: p.urgency,
          },
        },
      };
    }
    case 'GoalMet':
      return {
        type: 'RecordTrigger',
        data: { eventId, occurredAt: event.payload.metAt, taskIds: taskIds(event.payload.planId), signal: { type: 'GoalMet', goalId: event.payload.goalId } },
      };
    case 'ObjectiveMet': {
      const p = event.payload;
      return {
        type: 'RecordTrigger',
        data: { eventId, occurredAt: p.metAt, taskIds: taskIds(p.planId), signal: { type: 'ObjectiveMet', goalId: p.goalId, objectiveId: p.objectiveId } },
      };
    }
    case 'LifeEventReported': {
      const p = event.payload;
      return {
        type: 'RecordTrigger',
        data: {
          eventId,
          occurredAt: p.reportedAt,
          taskIds: taskIds(p.planId),
          signal: { type: 'LifeEventReported', lifeEventId: p.lifeEventId, category: p.category, impact: p.impact },
        },
      };
    }
    case 'PlanRevised': {
      const p = event.payload;
      return { type: 'RecordRevision', data: { eventId, revision: p.revision, triggersAnswered: p.triggersAnswered, revisedAt: p.revisedAt } };
    }
    case 'PlanClosed':
      return { type: 'RecordClosure', data: { eventId, closedAt: event.payload.closedAt } };
    default:
      return null;
  }
};

const stepOf = (event: DecodedEvent): (ReviewStep & { readonly command: Reaction }) | null => {
  const command = reactionTo(event);
  if (command === null) return null;
  return { command, metadata: { correlationId: event.envelope.correlationid ?? randomUUID(), causationId: event.envelope.id } };
};

/**
 * Consumes the plan topic through libs/messaging (inbox, retries, DLQ, parked keys, manual commits): each event
 * of interest runs as a command on the plan's review stream inside the inbox transaction, so the inbox row, the
 * new review events, their outbox rows and their timers commit together (docs/service-kit.md, the service's shape: inbound/).
 */
@Injectable()
export class PlanEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: MessagingConsumers,
    private readonly commands: CommandBus,
    @Inject(SERVICE_CONFIG) private readonly config: ReviewConfig,
  ) {}

  onModuleInit(): void {
    this.consumers.register<DecodedEvent>({
      groupId: this.config.REVIEW_CONSUMER_GROUP,
      topics: [this.config.PLAN_EVENTS_TOPIC ?? TOPICS.plan],
      decode: decodeEvent,
      // The events of no interest (an AssessmentRecorded, a GoalAdded) are acknowledged without an inbox row.
      reactsTo: (event) => reactionTo(event) !== null,
      handler: (event, manager) => this.apply(event, manager),
      // A chunk of a partition's messages in one inbox transaction, every plan of it read, decided and written with
      // one statement per step (docs/review-scheduling.md, "Throughput").
      batch: { maxMessages: this.config.REVIEW_CONSUMER_BATCH_SIZE, handler: (messages, manager) => this.applyChunk(messages, manager) },
      partitionsConsumedConcurrently: this.config.REVIEW_CONSUMER_CONCURRENCY,
    });
  }

  private async apply(event: DecodedEvent, manager: EntityManager): Promise<void> {
    const step = stepOf(event);
    if (step === null) return;
    await this.commands.execute(new ReactToPlanEvent(event.envelope.subject, step.command, step.metadata, manager));
  }

  private async applyChunk(messages: readonly BatchedMessage<DecodedEvent>[], manager: EntityManager): Promise<void> {
    const byPlan = new Map<string, ReviewStep[]>();
    for (const { event } of messages) {
      const step = stepOf(event);
      if (step === null) continue;
      const steps = byPlan.get(event.envelope.subject) ?? [];
      steps.push(step);
      byPlan.set(event.envelope.subject, steps);
    }
    if (byPlan.size > 0) await this.commands.execute(new ReactToPlanEvents(byPlan, manager));
  }
}
