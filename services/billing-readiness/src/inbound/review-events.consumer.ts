import { decodeEvent, TOPICS } from '@golden-loop/contracts';
import { MessagingConsumers } from '@golden-loop/messaging';
import { CLOCK, type Clock } from '@golden-loop/scheduling';
import { SERVICE_CONFIG } from '@golden-loop/service-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { BillingConfig } from '../config';
import { noteInbound } from './inbound-event';

/** The review topic: ReviewTaskOpened, ReviewTaskOverdue, ReviewTaskCompleted (an open plan-update task past due makes a plan not_ready). */
@Injectable()
export class ReviewEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: MessagingConsumers,
    private readonly commands: CommandBus,
    @Inject(SERVICE_CONFIG) private readonly config: BillingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumers.register({
      groupId: `${this.config.KAFKA_CLIENT_ID}.review-events`,
      topics: [this.config.REVIEW_EVENTS_TOPIC ?? TOPICS.review],
      decode: (message) => decodeEvent(message),
      handler: (event, manager, context) => noteInbound(this.commands, this.clock, event, manager, context),
      partitionsConsumedConcurrently: this.config.BILLING_CONSUMER_CONCURRENCY,
    });
  }
}
