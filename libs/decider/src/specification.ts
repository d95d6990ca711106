import type { Decider } from './decider';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/**
 * given(events).when(command).then(events) / .thenThrows(ErrorType, { code, field }), after Emmett's
 * DeciderSpecification. `then` also replays the new events through `evolve`, so every decided event is one the
 * stream can apply. Uses jest's global `expect`, and only when a test calls it.
 */
export const deciderSpecification =
  <State, Command, Event>(decider: Decider<State, Command, Event>) =>
  (history: readonly Event[] = []) => ({
    when: (command: Command) => {
      const state = () => history.reduce(decider.evolve, decider.initialState());
      const run = () => [...decider.decide(command, state())];
      return {
        then: (expected: readonly Event[]): Event[] => {
          const events = run();
          expect(events).toEqual(expected);
          events.reduce(decider.evolve, state());
          return events;
        },
        /** For when the exact events are long: the types in order, and a look at the data. */
        thenTypes: (types: readonly string[]): Event[] => {
          const events = run();
          expect(events.map((event) => (event as { type: string }).type)).toEqual(types);
          events.reduce(decider.evolve, state());
          return events;
        },
        thenNothingHappens: (): void => {
          expect(run()).toEqual([]);
        },
        thenThrows: <E extends Error>(errorType: ErrorClass<E>, expected: Partial<Record<keyof E, unknown>> = {}): E => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorType);
          expect(thrown).toMatchObject(expected);
          return thrown as E;
        },
      };
    },
  });

export type DeciderSpecification<State, Command, Event> = ReturnType<
  ReturnType<typeof deciderSpecification<State, Command, Event>>
>;
