import { DomainError } from './domain-error';
import { deciderSpecification } from './specification';

// A counter that refuses to go below zero: the smallest decider that exercises every branch of the specification.
type Event = { type: 'Incremented' } | { type: 'Decremented' };
type Command = { type: 'Increment' } | { type: 'Decrement' } | { type: 'Touch' };

class BelowZero extends DomainError {
  readonly code = 'below_zero';
  readonly kind = 'conflict';
  constructor() {
    super('The counter cannot go below zero.', 'count');
  }
}

const counter = {
  initialState: () => 0,
  evolve: (count: number, event: Event) => (event.type === 'Incremented' ? count + 1 : count - 1),
  decide: (command: Command, count: number): Event[] => {
    if (command.type === 'Touch') return [];
    if (command.type === 'Increment') return [{ type: 'Incremented' }];
    if (count === 0) throw new BelowZero();
    return [{ type: 'Decremented' }];
  },
};
const given = deciderSpecification(counter);

describe('the given/when/then decider specification', () => {
  test('then compares the decided events and replays them', () => {
    expect(given([{ type: 'Incremented' }]).when({ type: 'Decrement' }).then([{ type: 'Decremented' }])).toHaveLength(1);
  });

  test('then fails when the events differ', () => {
    expect(() => given().when({ type: 'Increment' }).then([{ type: 'Decremented' }])).toThrow();
  });

  test('thenTypes compares the event types in order', () => {
    given().when({ type: 'Increment' }).thenTypes(['Incremented']);
    expect(() => given().when({ type: 'Increment' }).thenTypes(['Decremented'])).toThrow();
  });

  test('thenNothingHappens fails when events were decided', () => {
    given().when({ type: 'Touch' }).thenNothingHappens();
    expect(() => given().when({ type: 'Increment' }).thenNothingHappens()).toThrow();
  });

  test('thenThrows checks the error class and its fields, and fails when nothing was thrown', () => {
    const error = given().when({ type: 'Decrement' }).thenThrows(BelowZero, { code: 'below_zero', field: 'count' });
    expect(error.problems).toEqual([{ field: 'count', reason: 'The counter cannot go below zero.' }]);
    expect(() => given().when({ type: 'Increment' }).thenThrows(BelowZero)).toThrow();
    expect(() => given().when({ type: 'Decrement' }).thenThrows(BelowZero, { code: 'other' })).toThrow();
  });
});
