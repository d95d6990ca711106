import { randomUUID } from 'node:crypto';
import { decodeEvent, type DecodedEvent } from '@golden-loop/contracts';
import type { BatchedMessage, MessagingConsumers } from '@golden-loop/messaging';
import type { Clock } from '@golden-loop/scheduling';
import type { EntityManager } from 'typeorm';
import type { BillingConfig } from '../config';
import type { SourceEvent } from '../domain/commands';
import { clinicalChangesOf } from '../domain/note-event.decide';
import { NoteEventCommand, type NoteEventHandler } from '../features/note-event/note-event.command';

/** A consumed message as the decider reads it: the public event (its envelope left out) and its ce_id. */
const sourceOf = ({ event: { name, version, payload }, context }: BatchedMessage<DecodedEvent>): SourceEvent => ({
  eventId: context.eventId,
  event: { name, version, payload } as SourceEvent['event'],
});

/**
 * A consumed public event → the NoteEvent command, in the inbox transaction: the event's ce_id is its id in the
 * stream (PlanRevised and ReviewTaskCompleted name earlier events by it), its correlation id carries on, and it is
 * the cause of the check that follows. `before`: the earlier events of the same clinical change (clinicalChangesOf).
 */
const noteEventOf = (
  clock: Clock,
  message: BatchedMessage<DecodedEvent>,
  manager: EntityManager,
  source: SourceEvent = sourceOf(message),
  before: readonly SourceEvent[] = [],
): NoteEventCommand => {
  const metadata = {
    now: clock.now().toISOString(),
    correlationId: message.event.envelope.correlationid ?? randomUUID(),
    causationId: message.context.eventId,
  };
  const data = { ...source, ...(before.length === 0 ? {} : { before }) };
  return new NoteEventCommand(message.event.payload.planId, { type: 'NoteEvent', data }, metadata, manager);
};

/** A chunk's messages as NoteEvent commands: each plan's in their order, one per clinical change. */
const noteEventsOf = (clock: Clock, messages: readonly BatchedMessage<DecodedEvent>[], manager: EntityManager): NoteEventCommand[] => {
  // Each message with its source (the decider's view of it, made once), paired by clinicalChangesOf.
  const byPlan = new Map<string, (SourceEvent & { readonly source: SourceEvent; readonly message: BatchedMessage<DecodedEvent> })[]>();
  for (const message of messages) {
    const source = sourceOf(message);
    const consumed = { ...source, source, message };
    const plan = byPlan.get(message.event.payload.planId);
    if (plan === undefined) byPlan.set(message.event.payload.planId, [consumed]);
    else plan.push(consumed);
  }
  return [...byPlan.values()].flatMap((consumed) =>
    clinicalChangesOf(consumed).map(({ last, before }) => noteEventOf(clock, last.message, manager, last.source, before.map(({ source }) => source))),
  );
};

/**
 * One consumed topic (plan or review) through libs/messaging (inbox, retries, DLQ, parked keys, manual commits),
 * every event noted with a check after it (after its clinical change, in batch mode). Batch mode: a chunk of a partition's messages (BILLING_CONSUMER_BATCH_SIZE)
 * in one inbox transaction, every plan of the chunk in one `executeEach` — each plan's events in their order, a
 * check after each clinical change, one statement per step for the whole chunk (docs/payer-rules.md, "Many checks
 * at once"). A chunk that fails is applied again one message at a time, as without batch mode.
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
    handler: async (event, manager, context) => void (await notes.execute(noteEventOf(clock, { event, context }, manager))),
    batch: {
      maxMessages: config.BILLING_CONSUMER_BATCH_SIZE,
      handler: async (messages, manager) => void (await notes.executeEach(noteEventsOf(clock, messages, manager), manager, 'wait')),
    },
    partitionsConsumedConcurrently: config.BILLING_CONSUMER_CONCURRENCY,
  });
};
