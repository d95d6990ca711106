import { decide, evolve, initialState, type TreatmentPlan } from '../treatment-plan';
import type { PlanCommand } from '../commands';
import type { PlanEvent } from '../events';

interface Decider<State, Command, Event> {
  readonly decide: (command: Command, state: State) => Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/**
 * given(events).when(command).then(events) / .thenThrows(ErrorType, { code, field }), after Emmett's
 * DeciderSpecification. `then` also replays the new events through evolve, so every decided event is one the
 * aggregate can apply.
 */
export const deciderSpecification =
  <State, Command, Event>(decider: Decider<State, Command, Event>) =>
  (history: readonly Event[] = []) => ({
    when: (command: Command) => {
      const state = () => history.reduce(decider.evolve, decider.initialState());
      const run = () => decider.decide(command, state());
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

export const given: (history?: readonly PlanEvent[]) => ReturnType<
  ReturnType<typeof deciderSpecification<TreatmentPlan, PlanCommand, PlanEvent>>
> = deciderSpecification<TreatmentPlan, PlanCommand, PlanEvent>({ decide, evolve, initialState });

export const stateAfter = (history: readonly PlanEvent[]): TreatmentPlan => history.reduce(evolve, initialState());
