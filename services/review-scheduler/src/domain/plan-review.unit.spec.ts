import fc from 'fast-check';
import type { ReviewCommand } from './commands';
import type { PlanSignal, ReviewEvent } from './events';
import { evolve } from './evolve';
import { planReviewDecider } from './plan-review';
import { initialState, isOpen, type PlanReview } from './state';
import { at, closed, escalate, goalMet, lifeEvent, markOverdue, objectiveMet, periodicReview, registerPlan, revised, safetyFlag, symptoms, trigger } from './testing/review-builders';

// A reaction never throws on normal input (docs/service-kit.md, "Reactions never throw"): whatever order plan events and timers come in, the
// decider decides something or nothing, and what it decides keeps the rules of issue 9.

const decider = planReviewDecider();
const eventIds = ['e1', 'e2', 'e3', 'e4', 'e5'];
const taskIds = [...eventIds.flatMap((id) => [`task-${id}`, `safety-${id}`]), 'unknown'];
const day = fc.integer({ min: 0, max: 200 });

const signal: fc.Arbitrary<PlanSignal> = fc.constantFrom(
  symptoms(),
  symptoms({ urgency: 'urgent' }),
  safetyFlag(),
  symptoms({ previousScore: 17, newScore: 21, previousBand: 'moderately_severe', newBand: 'severe', reasons: ['band_change'] }),
  goalMet(),
  objectiveMet(),
  lifeEvent(),
);

const reaction: fc.Arbitrary<ReviewCommand> = fc.oneof(
  fc.constant(registerPlan()),
  fc.tuple(fc.constantFrom(...eventIds), signal, day).map(([id, s, d]) => trigger(id, s, at(d))),
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.subarray(eventIds), day).map(([n, answered, d]) => revised(n, answered, at(d))),
  day.map((d) => closed(at(d))),
  fc.tuple(fc.constantFrom(...taskIds), day).map(([id, d]) => markOverdue(id, at(d))),
  fc.tuple(fc.constantFrom(...taskIds), day, fc.boolean()).map(([id, d, known]) => (known ? escalate(id, at(d)) : escalate(id, at(d), null, null))),
  fc.tuple(day, day).map(([due, now]) => periodicReview(at(due), at(now))),
);

const run = (commands: readonly ReviewCommand[]) => {
  let state: PlanReview = initialState();
  const decided: ReviewEvent[] = [];
  for (const command of commands) {
    const events = decider.decide(command, state);
    decided.push(...events);
    state = events.reduce(evolve, state);
  }
  return { state, decided };
};

describe('the plan review decider under any order of plan events and timers', () => {
  test('never throws, and keeps one open plan task and one open safety review at most', () => {
    fc.assert(
      fc.property(fc.array(reaction, { maxLength: 40 }), (commands) => {
        const { state } = run(commands);
        if (state.status === 'untracked') return;
        expect(state.tasks.filter((task) => isOpen(task) && task.kind !== 'safety_review').length).toBeLessThanOrEqual(1);
        expect(state.tasks.filter((task) => isOpen(task) && task.kind === 'safety_review').length).toBeLessThanOrEqual(1);
        if (state.status === 'closed') expect(state.tasks.filter(isOpen)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  test('marks a task overdue and escalates it at most once, and a trigger joins at most one task of each kind', () => {
    fc.assert(
      fc.property(fc.array(reaction, { maxLength: 40 }), (commands) => {
        const { decided, state } = run(commands);
        const count = (type: string) => {
          const perTask = new Map<string, number>();
          for (const event of decided) if (event.type === type) perTask.set((event.data as { taskId: string }).taskId, (perTask.get((event.data as { taskId: string }).taskId) ?? 0) + 1);
          return [...perTask.values()];
        };
        for (const n of [...count('ReviewTaskOverdue'), ...count('ReviewTaskEscalated'), ...count('ReviewTaskCompleted'), ...count('ReviewTaskCancelled')]) expect(n).toBe(1);
        if (state.status === 'untracked') return;
        for (const task of state.tasks) {
          const ids = task.triggers.map((t) => t.eventId);
          expect(new Set(ids).size).toBe(ids.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('deciding a command twice in a row adds nothing the second time (redelivery, a timer fired twice)', () => {
    fc.assert(
      fc.property(fc.array(reaction, { maxLength: 30 }), reaction, (history, command) => {
        const { state } = run(history);
        const first = decider.decide(command, state);
        expect(decider.decide(command, first.reduce(evolve, state))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
