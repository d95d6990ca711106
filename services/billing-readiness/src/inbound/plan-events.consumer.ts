import { TOPICS } from '@golden-loop/contracts';
import { MessagingConsumers } from '@golden-loop/messaging';
import { CLOCK, type Clock } from '@golden-loop/scheduling';
import { SERVICE_CONFIG } from '@golden-loop/service-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { BillingConfig } from '../config';
import { NoteEventHandler } from '../features/note-event/note-event.command';
import { consumeNotedEvents } from './inbound-event';

/** The plan topic: PlanOpened, PlanSigned, PlanRevised, AssessmentRecorded, SymptomsChanged, GoalMet, ObjectiveMet, LifeEventReported, PlanClosed. */
@Injectable()
export class PlanEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: MessagingConsumers,
    private readonly notes: NoteEventHandler,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    consumeNotedEvents(this.consumers, this.notes, this.clock, this.config, {
      groupId: `${this.config.KAFKA_CLIENT_ID}.plan-events`,
      topic: this.config.PLAN_EVENTS_TOPIC ?? TOPICS.plan,
    });
  }
}
