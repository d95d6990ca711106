import { encodeEvent, type IntegrationEvent } from '@golden-loop/contracts';
import type { OutboxMessage } from '@golden-loop/messaging';
import type { CommandMetadata, DomainEvent } from '@golden-loop/decider';
import type { StoredEvent } from './event-stream';

/**
 * The outbox message of a public event announcing a stored one: the stored event's id becomes `ce_id` (the
 * consumers' inbox key), its stream position `ce_sequence`, and the command's correlation, causation and trace
 * context travel in the CloudEvents headers. Validated against the contract here, before the outbox.
 */
export const publicMessage = (
  integration: IntegrationEvent,
  stored: StoredEvent<DomainEvent>,
  metadata: CommandMetadata,
  topic: string,
): OutboxMessage =>
  encodeEvent(integration, {
    id: stored.eventId,
    time: metadata.now,
    sequence: stored.streamPosition,
    correlationId: metadata.correlationId,
    ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
    ...(metadata.traceparent === undefined ? {} : { traceparent: metadata.traceparent }),
    topic,
  });
