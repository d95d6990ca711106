import { decodeEvent, TOPICS } from '@golden-loop/contracts';
import { MessagingConsumers } from '@golden-loop/messaging';
import { CLOCK, type Clock } from '@golden-loop/scheduling';
import { SERVICE_CONFIG } from '@golden-loop/service-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { BillingConfig } from '../config';
import { noteInbound } from './inbound-event';

/** The plan topic: PlanOpened, PlanSigned, PlanRevised, AssessmentRecorded, SymptomsChanged, GoalMet, ObjectiveMet, LifeEventReported, PlanClosed. */
@Injectable()
export class PlanEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: MessagingConsumers,
    private readonly commands: CommandBus,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumers.register({
      groupId: `${this.config.KAFKA_CLIENT_ID}.plan-events`,
      topics: [this.config.PLAN_EVENTS_TOPIC ?? TOPICS.plan],
      decode: (message) => decodeEvent(message),
      handler: (event, manager, context) => noteInbound(this.commands, this.clock, event, manager, context),
      partitionsConsumedConcurrently: this.config.BILLING_CONSUMER_CONCURRENCY,
    });
  }
}
