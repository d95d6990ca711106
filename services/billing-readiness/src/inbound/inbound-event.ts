import { randomUUID } from 'node:crypto';
import { decodeEvent, type DecodedEvent } from '@golden-loop/contracts';
import type { MessageContext, MessagingConsumers } from '@golden-loop/messaging';
import type { Clock } from '@golden-loop/scheduling';
import type { EntityManager } from 'typeorm';
import type { BillingConfig } from '../config';
import { NoteEventCommand, type NoteEventHandler } from '../features/note-event/note-event.command';

/**
 * A decoded public event → the NoteEvent command, in the inbox transaction: the event's ce_id is its id in the
 * stream (PlanRevised and ReviewTaskCompleted name earlier events by it), its correlation id carries on, and it is
 * the cause of the check that follows.
 */
const noteEventOf = (clock: Clock, decoded: DecodedEvent, manager: EntityManager, context: MessageContext): NoteEventCommand => {
  const { name, version, payload } = decoded;
  const metadata = {
    now: clock.now().toISOString(),
    correlationId: decoded.envelope.correlationid ?? randomUUID(),
    causationId: context.eventId,
  };
  const event = { name, version, payload } as NoteEventCommand['command']['data']['event'];
  return new NoteEventCommand(payload.planId, { type: 'NoteEvent', data: { eventId: context.eventId, event } }, metadata, manager);
};

/**
 * One consumed topic (plan or review) through libs/messaging (inbox, retries, DLQ, parked keys, manual commits),
 * every event noted with a check after it. Batch mode: a chunk of a partition's messages (BILLING_CONSUMER_BATCH_SIZE)
 * in one inbox transaction, every plan of the chunk in one `executeEach` — each plan's events in their order, a
 * check after each, one statement per step for the whole chunk (docs/payer-rules.md, "Many checks at once"). A
 * chunk that fails is applied again one message at a time, as without batch mode.
 */
export const consumeNotedEvents = (
  consumers: MessagingConsumers,
  notes: NoteEventHandler,
  clock: Clock,
  config: BillingConfig,
  source: { readonly groupId: string; readonly topic: string },
): void => {
  consumers.register<DecodedEvent>({
    groupId: source.groupId,
    topics: [source.topic],
    decode: (message) => decodeEvent(message),
    handler: async (event, manager, context) => void (await notes.execute(noteEventOf(clock, event, manager, context))),
    batch: {
      maxMessages: config.BILLING_CONSUMER_BATCH_SIZE,
      handler: async (messages, manager) => void (await notes.executeEach(messages.map(({ event, context }) => noteEventOf(clock, event, manager, context)), manager, 'wait')),
    },
    partitionsConsumedConcurrently: config.BILLING_CONSUMER_CONCURRENCY,
  });
};
