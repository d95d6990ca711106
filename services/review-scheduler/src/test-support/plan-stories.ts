import { randomUUID } from 'node:crypto';
import type { DecodedEvent } from '@golden-loop/contracts';
import { evolve } from '../domain/evolve';
import { planReviewDecider } from '../domain/plan-review';
import { initialState, type PlanReview } from '../domain/state';
import { reactionTo } from '../inbound/plan-events.consumer';
import { goalMet, lifeEventReported, planClosed, planOpened, planRevised, safetyFlagRaised, symptomsChanged, worsenedIntoSevere, type PlanEventRecord } from './plan-events';

// Many plans' worth of plan events for the crash and multi-instance tests, and what the review streams must hold
// once the service applied them all, exactly once, in each plan's order: the decider's own answer.

export interface PlanStory {
  readonly planId: string;
  readonly records: readonly PlanEventRecord[];
}

/** Plan i: opened, in effect, three or four triggers (a safety flag for every fifth), a revision answering some; every seventh closes. */
export const planStories = (count: number, now = Date.now()): PlanStory[] =>
  Array.from({ length: count }, (_, i) => {
    const planId = randomUUID();
    const t = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    const first = i % 5 === 0 ? safetyFlagRaised(planId, t(1)) : symptomsChanged(planId, t(1));
    const second = goalMet(planId, t(2));
    const third = i % 3 === 0 ? worsenedIntoSevere(planId, t(3)) : lifeEventReported(planId, t(3));
    const records: PlanEventRecord[] = [
      planOpened(planId, randomUUID(), t(0)),
      planRevised(planId, 1, t(0)),
      first,
      second,
      third,
      planRevised(planId, 2, t(4), i % 2 === 0 ? [first.id, second.id] : [first.id, second.id, third.id]),
      symptomsChanged(planId, t(5)),
    ];
    if (i % 7 === 0) records.push(planClosed(planId, t(6)));
    return { planId, records };
  });

/** The records of all stories, interleaved plan by plan as many clinicians' work arrives. */
export const interleaved = (stories: readonly PlanStory[]): PlanEventRecord[] => {
  const out: PlanEventRecord[] = [];
  const longest = Math.max(...stories.map((story) => story.records.length));
  for (let step = 0; step < longest; step += 1) for (const story of stories) if (story.records[step]) out.push(story.records[step]);
  return out;
};

/** The event types and task ids a plan's review stream holds after its story, as the decider decides them. */
export const expectedStream = (story: PlanStory): { type: string; taskId?: string }[] => {
  const decider = planReviewDecider();
  let state: PlanReview = initialState();
  const out: { type: string; taskId?: string }[] = [];
  for (const { id, event } of story.records) {
    const reaction = reactionTo({ ...event, envelope: { id, subject: story.planId } } as unknown as DecodedEvent);
    if (!reaction) continue;
    const events = decider.decide({ ...reaction, metadata: { now: new Date().toISOString() } }, state);
    state = events.reduce(evolve, state);
    for (const e of events) out.push({ type: e.type, ...('taskId' in e.data ? { taskId: e.data.taskId } : {}) });
  }
  return out;
};

export const PUBLIC_TYPES = new Set([
  'ReviewTaskOpened',
  'ReviewTaskTriggerJoined',
  'ReviewTaskCompleted',
  'ReviewTaskOverdue',
  'ReviewTaskEscalated',
  'ReviewTaskCancelled',
]);
