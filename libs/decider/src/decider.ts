/**
 * A decider, after Emmett's (event-driven-io/emmett): the whole behaviour of one kind of stream as three pure
 * functions. `decide` checks the command against the state and returns the new events (or throws a
 * DomainError); `evolve` applies one event; `initialState` is the state of a stream that does not exist yet.
 * No clock, ids or I/O inside: the caller passes `now` and new ids in with the command (docs/service-kit.md).
 */
export interface Decider<State, Command, Event> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

/** The shape every stored domain event has: a type and its data (the store keeps them as `type` and `data`). */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Folds events onto a state with the decider's `evolve`. */
export const fold = <State, Event>(
  decider: Pick<Decider<State, unknown, Event>, 'evolve' | 'initialState'>,
  events: readonly Event[],
  from: State = decider.initialState(),
): State => events.reduce(decider.evolve, from);

/**
 * Who and what caused a command, passed in with it. Stored in every new event's metadata and carried onto its
 * public message (correlation, causation, trace context).
 */
export interface CommandMetadata {
  /** ISO-8601 instant of the command: the decider's `now`. */
  readonly now: string;
  /** One id for the whole business flow: taken from the request or the consumed event, made at the edge otherwise. */
  readonly correlationId: string;
  /** The id of the event that caused this command, when one did. */
  readonly causationId?: string;
  /** The acting user, for commands from a person. */
  readonly userId?: string;
  /** W3C trace context of the request or message, passed on as it came. */
  readonly traceparent?: string;
}
