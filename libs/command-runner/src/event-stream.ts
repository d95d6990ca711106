import type { CommandMetadata, Decider, DomainEvent } from '@golden-loop/decider';
import type { OutboxMessage } from '@golden-loop/messaging';

/** A domain event as stored: the id it was stored under (also the public event's `ce_id`) and its position. */
export interface StoredEvent<Event extends DomainEvent = DomainEvent> {
  readonly eventId: string;
  /** 1 for the first event of the stream. */
  readonly streamPosition: number;
  readonly event: Event;
}

/**
 * How a stream's new events become public messages. A publication is a fold of its own over the stored events
 * (with their ids), so a message may name earlier events by id (PlanRevised names the events it answers) without
 * the runner keeping the whole history: `evolve` sees every stored event once, in order, and `messagesOf` each
 * new event with the state after it.
 */
export interface Publication<Event extends DomainEvent, State> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: StoredEvent<Event>) => State;
  readonly messagesOf: (event: StoredEvent<Event>, state: State, metadata: CommandMetadata) => readonly OutboxMessage[];
}

/** A publication that needs no memory of earlier events: each new event maps to its messages alone. */
export const statelessPublication = <Event extends DomainEvent>(
  messagesOf: (event: StoredEvent<Event>, metadata: CommandMetadata) => readonly OutboxMessage[],
): Publication<Event, null> => ({
  initialState: () => null,
  evolve: () => null,
  messagesOf: (event, _state, metadata) => messagesOf(event, metadata),
});

/** One kind of event-sourced stream: its type name, its decider, and what of it is published. */
export interface EventStream<State, Command, Event extends DomainEvent, PublicationState = unknown> {
  /** Stored with each stream, e.g. `TreatmentPlan`. */
  readonly streamType: string;
  readonly decider: Decider<State, Command, Event>;
  readonly publication?: Publication<Event, PublicationState>;
}
