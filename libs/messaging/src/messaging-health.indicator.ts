import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { MessagingConsumers } from './messaging-consumers';
import type { OutboxRelay } from './outbox-relay';

export interface MessagingHealthThresholds {
  /** The outbox is unhealthy when its oldest unpublished row is older than this (default 60 s). */
  readonly maxOutboxAgeMs?: number;
}

/**
 * A @nestjs/terminus indicator: down when the outbox stops draining or any consumer crashed or stalled.
 * `health.check([() => messagingHealth.check('messaging')])`.
 */
export class MessagingHealthIndicator {
  private readonly indicators = new HealthIndicatorService();

  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumers: MessagingConsumers,
  ) {}

  async check<const Key extends string>(key: Key, thresholds: MessagingHealthThresholds = {}): Promise<HealthIndicatorResult<Key>> {
    const maxOutboxAgeMs = thresholds.maxOutboxAgeMs ?? 60_000;
    const outbox = await this.relay.metrics();
    const consumers = this.consumers.all().map((consumer) => consumer.health());
    const outboxHealthy = (outbox.oldestUnpublishedAgeMs ?? 0) <= maxOutboxAgeMs;
    const details = { outbox, consumers };
    const session = this.indicators.check(key);
    return outboxHealthy && consumers.every((consumer) => consumer.healthy) ? session.up(details) : session.down(details);
  }
}
