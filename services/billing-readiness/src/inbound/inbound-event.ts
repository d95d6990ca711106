import { randomUUID } from 'node:crypto';
import type { DecodedEvent } from '@golden-loop/contracts';
import type { MessageContext } from '@golden-loop/messaging';
import type { Clock } from '@golden-loop/scheduling';
import type { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { NoteEventCommand } from '../features/note-event/note-event.command';

/**
 * A decoded public event → the NoteEvent command, in the inbox transaction: the event's ce_id is its id in the
 * stream (PlanRevised and ReviewTaskCompleted name earlier events by it), its correlation id carries on, and it is
 * the cause of the check that follows.
 */
export const noteInbound = async (commands: CommandBus, clock: Clock, decoded: DecodedEvent, manager: EntityManager, context: MessageContext): Promise<void> => {
  const { name, version, payload } = decoded;
  const metadata = {
    now: clock.now().toISOString(),
    correlationId: decoded.envelope.correlationid ?? randomUUID(),
    causationId: context.eventId,
  };
  const event = { name, version, payload } as NoteEventCommand['command']['data']['event'];
  await commands.execute(new NoteEventCommand(payload.planId, { type: 'NoteEvent', data: { eventId: context.eventId, event } }, metadata, manager));
};
