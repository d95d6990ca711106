import { randomUUID } from 'node:crypto';
import { decodeEvent, encodeEvent } from '@golden-loop/contracts';
import type { ReviewCommand } from '../domain/commands';
import type { ReviewEvent } from '../domain/events';
import { evolve } from '../domain/evolve';
import { planReviewDecider } from '../domain/plan-review';
import { initialState, type PlanReview } from '../domain/state';
import { at, closed, completeWithoutChange, escalate, goalMet, markOverdue, periodicReview, registerPlan, revised, riskAssessment, safetyFlag, symptoms, trigger } from '../domain/testing/review-builders';
import { toIntegrationEvent } from './review-publication';

// Every review event the decider can make either stays inside the service or maps to a public event the contract
// accepts (encodeEvent validates against the closed JSON Schema), with the task as it stands after it.

const PLAN = randomUUID();
const ids = new Map<string, string>();
const uuidOf = (name: string) => ids.get(name) ?? ids.set(name, randomUUID()).get(name)!;

/** The builders' commands with every id a UUID, as on the real topic. */
const real = (command: ReviewCommand): ReviewCommand => {
  const data = { ...(command.data as Record<string, unknown>) };
  for (const key of ['eventId', 'taskId', 'planId', 'clinicianId', 'payerId', 'supervisorId', 'teamId']) {
    if (typeof data[key] === 'string') data[key] = key === 'planId' ? PLAN : uuidOf(data[key]);
  }
  if (Array.isArray(data.triggersAnswered)) data.triggersAnswered = (data.triggersAnswered as string[]).map(uuidOf);
  const cause = (command.data as { eventId?: string }).eventId;
  if (data.taskIds) data.taskIds = { planUpdate: uuidOf(`task-${cause}`), safetyReview: uuidOf(`safety-${cause}`) };
  return { ...command, data } as ReviewCommand;
};

test('every public review event of a plan’s whole story is valid against the contract; bookkeeping stays inside', () => {
  const decider = planReviewDecider();
  let state: PlanReview = initialState();
  const published: string[] = [];
  const story: ReviewCommand[] = [
    registerPlan(),
    revised(1, [], at(0)),
    trigger('sx', symptoms(), at(1)),
    trigger('flag', safetyFlag(), at(1, 1)),
    trigger('goal', goalMet(), at(1, 2)),
    markOverdue('task-sx', at(2, 1)),
    escalate('safety-flag', at(2), null, null),
    riskAssessment('safety-flag', at(2, 2)),
    revised(2, ['sx', 'flag'], at(3)),
    revised(3, ['goal'], at(4)),
    periodicReview(at(94), at(80), 'periodic'),
    completeWithoutChange('periodic', at(81)),
    trigger('life', goalMet(), at(82)),
    closed(at(83)),
  ];
  for (const command of story) {
    const events: readonly ReviewEvent[] = decider.decide(real(command), state);
    for (const event of events) {
      state = evolve(state, event);
      const integration = toIntegrationEvent(event, state);
      if (integration === null) continue;
      const record = encodeEvent(integration, { id: randomUUID(), time: at(0) });
      expect(decodeEvent(record).payload).toMatchObject({ planId: PLAN });
      published.push(integration.name);
    }
  }
  expect(published).toEqual([
    'ReviewTaskOpened',
    'ReviewTaskTriggerJoined',
    'ReviewTaskOpened',
    'ReviewTaskTriggerJoined',
    'ReviewTaskOverdue',
    'ReviewTaskEscalated',
    'ReviewTaskCompleted',
    'ReviewTaskCompleted',
    'ReviewTaskOpened',
    'ReviewTaskCompleted',
    'ReviewTaskOpened',
    'ReviewTaskCancelled',
  ]);
});
