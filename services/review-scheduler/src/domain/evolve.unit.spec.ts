import type { ReviewEvent } from './events';
import { evolve } from './evolve';
import { planReviewDecider } from './plan-review';
import { initialState, outstandingTriggers } from './state';
import { given, trackedAfter } from './testing/given';
import {
  aPlan,
  at,
  closed,
  completeWithoutChange,
  escalate,
  goalMet,
  lifeEvent,
  periodicReview,
  revised,
  RISK_ASSESSMENT,
  riskAssessment,
  safetyFlag,
  SUPERVISOR_ID,
  symptoms,
  TEAM_ID,
  trigger,
  USER_ID,
} from './testing/review-builders';

// What a plan's review remembers of its events (docs/review-scheduling.md): the task view and the plan's review are
// read from the stream, so the state each event leaves is what a clinician is shown.

describe('a plan review stream', () => {
  test('events of a plan never registered here leave it untracked', () => {
    const opened = aPlan().run(trigger('sx', symptoms(), at(1))).events.filter((event) => event.type !== 'PlanRegistered');
    expect(opened.reduce(evolve, initialState())).toEqual({ status: 'untracked' });
  });

  test('an event type this build does not know (written by a newer one) leaves the state as it is', () => {
    const state = trackedAfter(aPlan().events);
    expect(evolve(state, { type: 'ReviewTaskSnoozed', data: { taskId: 'task-sx' } } as unknown as ReviewEvent)).toBe(state);
  });

  test('a command type this build does not know decides nothing', () => {
    expect(planReviewDecider().decide({ type: 'SnoozeTask', data: {}, metadata: { now: at(1) } } as never, trackedAfter(aPlan().events))).toEqual([]);
  });

  test("the plan's opening is remembered as applied, like every plan event after it", () => {
    const plan = trackedAfter(aPlan().run(trigger('sx', symptoms(), at(1)), revised(1, ['sx'], at(2)), closed(at(3))).events);
    expect([...plan.seenEvents]).toEqual(['opened', 'sx', 'revised-1', 'closed']);
  });

  test('a closed plan is closed from its discharge, its open tasks cancelled', () => {
    const plan = trackedAfter(aPlan().run(trigger('sx', symptoms(), at(1)), closed(at(3))).events);
    expect(plan).toMatchObject({ status: 'closed', closedAt: at(3) });
    expect(plan.tasks.map((task) => [task.status, task.cancelledAt])).toEqual([['cancelled', at(3)]]);
  });
});

describe('what a completed task records', () => {
  const twoTriggers = aPlan().run(trigger('sx', symptoms(), at(1)), trigger('goal', goalMet(), at(2)));

  test('a revision that completes a task answers every trigger still open, with that revision', () => {
    const [task] = trackedAfter(twoTriggers.run(revised(2, ['sx'], at(4)), revised(3, ['goal'], at(5))).events).tasks;
    expect(task.status).toBe('completed');
    expect(Object.fromEntries(task.answers)).toEqual({
      sx: { revision: 2, answeredBy: 'revised-2', answeredAt: at(4) },
      goal: { revision: 3, answeredBy: 'revised-3', answeredAt: at(5) },
    });
    expect(task.completion).toEqual({
      resolution: 'plan_revised',
      resolvedBy: 'revised-3',
      revision: 3,
      noChangeReason: null,
      riskAssessment: null,
      completedAt: at(5),
      by: null,
      secondsToCompletion: 4 * 86_400,
    });
  });

  test('a task reviewed without change has no trigger answered by a revision, and says who reviewed it and why', () => {
    const [task] = trackedAfter(twoTriggers.run(completeWithoutChange('task-sx', at(3), 'plan_still_appropriate')).events).tasks;
    expect(task.answers.size).toBe(0);
    expect(outstandingTriggers(task)).toEqual(['sx', 'goal']);
    expect(task).toMatchObject({
      status: 'completed',
      reviewIntervalOutstanding: false,
      completion: { resolution: 'reviewed_no_change', resolvedBy: null, revision: null, noChangeReason: 'plan_still_appropriate', by: USER_ID, completedAt: at(3) },
    });
  });

  test('a safety review records its risk assessment', () => {
    const flagged = aPlan().run(trigger('flag', safetyFlag(), at(1)), riskAssessment('safety-flag', at(1, 3)));
    expect(trackedAfter(flagged.events).tasks[1].completion).toMatchObject({ resolution: 'risk_assessed', riskAssessment: RISK_ASSESSMENT, by: USER_ID });
  });

  test('a periodic task completed by a revision no longer stands for the review date', () => {
    const done = aPlan().run(revised(1, [], at(0)), periodicReview(at(90), at(76)), revised(2, [], at(80)));
    expect(trackedAfter(done.events).tasks[0]).toMatchObject({ kind: 'periodic_review', status: 'completed', reviewAt: at(90), reviewIntervalOutstanding: false });
  });

  test('an escalated safety review names the supervisor and team it went to, and when', () => {
    const escalated = aPlan().run(trigger('flag', safetyFlag(), at(0, 1)), escalate('safety-flag', at(1)));
    expect(trackedAfter(escalated.events).tasks[1].escalation).toEqual({ route: 'supervisor', supervisorId: SUPERVISOR_ID, teamId: TEAM_ID, escalatedAt: at(1) });
  });
});

describe('the review date and the open task', () => {
  const inEffect = aPlan().run(revised(1, [], at(0)));

  test('a periodic task stands for its review date until a revision answers it', () => {
    const plan = trackedAfter(inEffect.run(periodicReview(at(90), at(76))).events);
    expect(plan.tasks[0]).toMatchObject({ kind: 'periodic_review', triggers: [], reviewAt: at(90), reviewIntervalOutstanding: true });
    expect(plan.periodicReview).toEqual({ reviewAt: at(90), opensAt: at(76), intervalDays: 90, opened: true });
  });

  test('a plan-update task that takes the review date on stands for it too, and keeps its triggers', () => {
    const plan = trackedAfter(inEffect.run(trigger('goal', goalMet(), at(70)), periodicReview(at(90), at(76))).events);
    expect(plan.tasks).toHaveLength(1);
    expect(plan.tasks[0]).toMatchObject({ kind: 'plan_update', reviewAt: at(90), reviewIntervalOutstanding: true, reasons: ['goal_met', 'review_interval'] });
    expect(plan.tasks[0].triggers.map((t) => t.eventId)).toEqual(['goal']);
    expect(plan.periodicReview).toEqual({ reviewAt: at(90), opensAt: at(76), intervalDays: 90, opened: true });
  });

  test('a trigger joining a periodic task keeps its review date', () => {
    const plan = trackedAfter(inEffect.run(periodicReview(at(90), at(76)), trigger('life', lifeEvent(), at(80))).events);
    expect(plan.tasks[0]).toMatchObject({ kind: 'periodic_review', reviewAt: at(90), reviewIntervalOutstanding: true });
  });

  test('a trigger joining a plan-update task before the notice period does not stand for the review date', () => {
    const plan = trackedAfter(inEffect.run(trigger('goal', goalMet(), at(60)), trigger('life', lifeEvent(), at(70))).events);
    expect(plan.tasks[0]).toMatchObject({ reviewAt: null, reviewIntervalOutstanding: false });
    expect(plan.periodicReview).toMatchObject({ reviewAt: at(90), opened: false });
  });

  test('a revision that answers the review date but not every trigger leaves the task with the triggers only', () => {
    const due = inEffect.run(trigger('goal', goalMet(), at(70)), periodicReview(at(90), at(76)), revised(2, [], at(80)));
    expect(trackedAfter(due.events).tasks[0]).toMatchObject({ status: 'open', reviewIntervalOutstanding: false });
    // The review the interval asked for took place with the revision: reviewing the rest without change starts no new interval.
    given(due.events).when(completeWithoutChange('task-goal', at(81))).thenTypes(['ReviewTaskCompleted']);
  });
});
