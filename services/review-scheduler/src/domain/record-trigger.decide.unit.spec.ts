import type { PlanSignal, ReviewTaskOpened, Trigger } from './events';
import { triggerOf, urgencyOf } from './record-trigger.decide';
import { DEFAULT_REVIEW_POLICY } from './review-policy';
import { openReviewTask, openSafetyReview } from './state';
import { given, givenWith, trackedAfter } from './testing/given';
import {
  aPlan,
  at,
  CLINICIAN_ID,
  closed,
  completeWithoutChange,
  goalMet,
  History,
  lifeEvent,
  objectiveMet,
  PLAN_ID,
  revised,
  safetyFlag,
  symptoms,
  trigger,
} from './testing/review-builders';

const triggerRecord = (eventId: string, signal: PlanSignal, occurredAt = at(1)): Trigger => triggerOf(trigger(eventId, signal, occurredAt));

describe('a meaningful change opens a plan-update task', () => {
  test('a routine PHQ-9 worsening opens one routine task for the clinician, due 14 days after the change', () => {
    given(aPlan().events)
      .when(trigger('sx-1', symptoms(), at(1)))
      .then([
        {
          type: 'ReviewTaskOpened',
          data: {
            taskId: 'task-sx-1',
            planId: PLAN_ID,
            clinicianId: CLINICIAN_ID,
            kind: 'plan_update',
            trigger: {
              eventId: 'sx-1',
              occurredAt: at(1),
              reasons: ['reliable_change', 'band_change'],
              urgency: 'routine',
              signal: symptoms(),
            },
            reviewAt: null,
            reasons: ['reliable_change', 'band_change'],
            urgency: 'routine',
            dueAt: at(15),
            openedAt: at(1),
            firstTriggeredAt: at(1),
          },
        },
      ]);
  });

  test.each([
    ['GoalMet', goalMet(), 'goal_met'],
    ['ObjectiveMet', objectiveMet(), 'objective_met'],
    ['LifeEventReported', lifeEvent(), 'life_event'],
  ] as const)('%s opens a routine task with the reason %s', (_, signal, reason) => {
    const [opened] = given(aPlan().events).when(trigger('t-1', signal)).thenTypes(['ReviewTaskOpened']) as ReviewTaskOpened[];
    expect(opened.data).toMatchObject({ reasons: [reason], urgency: 'routine', dueAt: at(15), kind: 'plan_update' });
  });

  test('the due time runs from when the change happened, not from when the event arrived', () => {
    const [opened] = given(aPlan().events).when(trigger('sx-1', symptoms(), at(1), at(3))).thenTypes(['ReviewTaskOpened']) as ReviewTaskOpened[];
    expect(opened.data).toMatchObject({ dueAt: at(15), openedAt: at(3), firstTriggeredAt: at(1) });
  });
});

describe('urgency: a safety flag or a worsening into the severe band', () => {
  test.each([
    ['a new item-9 safety flag', 'urgent', safetyFlag()],
    ['a safety flag the plan service sent as routine', 'urgent', symptoms({ reasons: ['reliable_change', 'safety_flag'], urgency: 'routine' })],
    ['a first score in the severe band, with no earlier band to worsen from', 'routine', symptoms({ previousScore: null, newScore: 22, previousBand: null, newBand: 'severe', direction: 'unchanged', reasons: ['band_change'] })],
    ['a worsening from moderately severe into severe', 'urgent', symptoms({ previousScore: 17, newScore: 21, previousBand: 'moderately_severe', newBand: 'severe', reasons: ['band_change'] })],
    ['a change the plan service already judged urgent', 'urgent', symptoms({ urgency: 'urgent' })],
    ['a worsening inside the severe band', 'routine', symptoms({ previousScore: 21, newScore: 27, previousBand: 'severe', newBand: 'severe', reasons: ['reliable_change'] })],
    ['an improvement out of the severe band', 'routine', symptoms({ previousScore: 22, newScore: 14, previousBand: 'severe', newBand: 'moderate', direction: 'improved' })],
    ['a plateau at the severe band', 'routine', symptoms({ previousScore: 21, newScore: 21, previousBand: 'severe', newBand: 'severe', direction: 'unchanged', reasons: ['plateau'] })],
    ['a GAD-7 worsening into severe', 'urgent', symptoms({ instrument: 'GAD-7', previousScore: 12, newScore: 16, previousBand: 'moderate', newBand: 'severe', reasons: ['band_change'] })],
    ['a goal met', 'routine', goalMet()],
    ['a life event, even a major one', 'routine', lifeEvent()],
  ] as const)('%s is %s', (_, expected, signal) => {
    expect(urgencyOf(signal)).toBe(expected);
  });

  test('an urgent task is due one day after its trigger', () => {
    const severe = symptoms({ previousScore: 17, newScore: 21, previousBand: 'moderately_severe', newBand: 'severe', reasons: ['band_change'] });
    const [opened] = given(aPlan().events).when(trigger('sx-1', severe, at(1))).thenTypes(['ReviewTaskOpened']) as ReviewTaskOpened[];
    expect(opened.data).toMatchObject({ urgency: 'urgent', dueAt: at(2) });
  });
});

describe('one open task per plan: later triggers join it', () => {
  const opened = aPlan().run(trigger('goal', goalMet(), at(1)));

  test('a second trigger joins with its reasons; the urgency rises and the due time moves earlier', () => {
    const severe = symptoms({ previousScore: 17, newScore: 21, previousBand: 'moderately_severe', newBand: 'severe', reasons: ['band_change'] });
    given(opened.events)
      .when(trigger('sx-2', severe, at(3)))
      .then([
        {
          type: 'ReviewTaskTriggerJoined',
          data: {
            taskId: 'task-goal',
            planId: PLAN_ID,
            trigger: triggerRecord('sx-2', severe, at(3)),
            reviewAt: null,
            joinedReasons: ['band_change'],
            reasons: ['band_change', 'goal_met'],
            urgency: 'urgent',
            dueAt: at(4),
            previousUrgency: 'routine',
            previousDueAt: at(15),
            joinedAt: at(3),
          },
        },
      ]);
  });

  test('a routine trigger joining a routine task leaves it routine, due at the earlier of the two times', () => {
    given(opened.events)
      .when(trigger('life', lifeEvent(), at(3)))
      .then([
        {
          type: 'ReviewTaskTriggerJoined',
          data: {
            taskId: 'task-goal',
            planId: PLAN_ID,
            trigger: triggerRecord('life', lifeEvent(), at(3)),
            reviewAt: null,
            joinedReasons: ['life_event'],
            reasons: ['goal_met', 'life_event'],
            urgency: 'routine',
            dueAt: at(15),
            previousUrgency: 'routine',
            previousDueAt: at(15),
            joinedAt: at(3),
          },
        },
      ]);
  });

  test('a routine trigger joining an urgent task keeps it urgent and keeps the earlier due time', () => {
    const urgent = aPlan().run(trigger('sx-1', symptoms({ urgency: 'urgent' }), at(1)));
    const [joined] = given(urgent.events).when(trigger('life', lifeEvent(), at(2))).thenTypes(['ReviewTaskTriggerJoined']);
    expect(joined.data).toMatchObject({ urgency: 'urgent', previousUrgency: 'urgent', dueAt: at(2), previousDueAt: at(2) });
  });

  test('three triggers make one task with the highest urgency, the earliest due time and every trigger', () => {
    const history = aPlan().run(
      trigger('life', lifeEvent(), at(1)),
      trigger('sx', symptoms({ urgency: 'urgent' }), at(4)),
      trigger('objective', objectiveMet(), at(2)),
    );
    const plan = trackedAfter(history.events);
    expect(plan.tasks).toHaveLength(1);
    expect(plan.tasks[0]).toMatchObject({
      taskId: 'task-life',
      urgency: 'urgent',
      dueAt: at(5),
      reasons: ['reliable_change', 'band_change', 'objective_met', 'life_event'],
    });
    expect(plan.tasks[0].triggers.map((t) => t.eventId)).toEqual(['life', 'sx', 'objective']);
  });

  test('once the task is completed, the next trigger opens a new one', () => {
    const done = opened.run(revised(2, ['goal'], at(4)));
    const [next] = given(done.events).when(trigger('life', lifeEvent(), at(6))).thenTypes(['ReviewTaskOpened']) as ReviewTaskOpened[];
    expect(next.data.taskId).toBe('task-life');
  });
});

describe('the item-9 fast path: a separate urgent safety review', () => {
  test('a safety flag opens an urgent plan-update task and an urgent safety review due by the end of the day', () => {
    const flag = triggerRecord('flag', safetyFlag(), at(0, 1));
    given(aPlan().events)
      .when(trigger('flag', safetyFlag(), at(0, 1)))
      .then([
        {
          type: 'ReviewTaskOpened',
          data: {
            taskId: 'task-flag',
            planId: PLAN_ID,
            clinicianId: CLINICIAN_ID,
            kind: 'plan_update',
            trigger: flag,
            reviewAt: null,
            reasons: ['safety_flag'],
            urgency: 'urgent',
            dueAt: at(1, 1),
            openedAt: at(0, 1),
            firstTriggeredAt: at(0, 1),
          },
        },
        {
          type: 'ReviewTaskOpened',
          data: {
            taskId: 'safety-flag',
            planId: PLAN_ID,
            clinicianId: CLINICIAN_ID,
            kind: 'safety_review',
            trigger: flag,
            reviewAt: null,
            reasons: ['safety_flag'],
            urgency: 'urgent',
            // 10:00 UTC on 2 March: due at midnight, the end of that day in UTC.
            dueAt: '2026-03-03T00:00:00.000Z',
            openedAt: at(0, 1),
            firstTriggeredAt: at(0, 1),
          },
        },
      ]);
  });

  test('a flag late in the day is due no sooner than the minimum lead time', () => {
    const [, safety] = given(aPlan().events).when(trigger('flag', safetyFlag(), '2026-03-02T22:30:00.000Z')).thenTypes(['ReviewTaskOpened', 'ReviewTaskOpened']) as ReviewTaskOpened[];
    expect(safety.data.dueAt).toBe('2026-03-03T02:30:00.000Z');
  });

  test("the end of the day is the network's day, in its time zone", () => {
    const newYork = givenWith({ ...DEFAULT_REVIEW_POLICY, timeZone: 'America/New_York' });
    const [, safety] = newYork(aPlan().events).when(trigger('flag', safetyFlag(), '2026-03-02T15:00:00.000Z')).thenTypes(['ReviewTaskOpened', 'ReviewTaskOpened']) as ReviewTaskOpened[];
    expect(safety.data.dueAt).toBe('2026-03-03T05:00:00.000Z');
  });

  test('a second flag joins the open safety review as well as the plan-update task', () => {
    const flagged = aPlan().run(trigger('flag-1', safetyFlag(), at(0, 1)));
    const [update, safety] = given(flagged.events).when(trigger('flag-2', safetyFlag(), at(0, 2))).thenTypes(['ReviewTaskTriggerJoined', 'ReviewTaskTriggerJoined']);
    expect(update.data).toMatchObject({ taskId: 'task-flag-1' });
    expect(safety.data).toMatchObject({ taskId: 'safety-flag-1', joinedReasons: ['safety_flag'], dueAt: '2026-03-03T00:00:00.000Z' });
  });

  test('with only a safety review open, a change without a flag opens a plan-update task of its own', () => {
    const reviewed = aPlan().run(trigger('flag-1', safetyFlag(), at(0, 1)), completeWithoutChange('task-flag-1', at(0, 2)));
    const [opened] = given(reviewed.events).when(trigger('goal', goalMet(), at(0, 3))).thenTypes(['ReviewTaskOpened']) as ReviewTaskOpened[];
    expect(opened.data).toMatchObject({ taskId: 'task-goal', kind: 'plan_update', reasons: ['goal_met'] });
    expect(trackedAfter(reviewed.run(trigger('goal', goalMet(), at(0, 3))).events).tasks.map((task) => [task.kind, task.status])).toEqual([
      ['plan_update', 'completed'],
      ['safety_review', 'open'],
      ['plan_update', 'open'],
    ]);
  });

  test('without a flag, an open safety review is left alone', () => {
    const flagged = aPlan().run(trigger('flag-1', safetyFlag(), at(0, 1)));
    given(flagged.events).when(trigger('goal', goalMet(), at(0, 2))).thenTypes(['ReviewTaskTriggerJoined']);
    const plan = trackedAfter(flagged.run(trigger('goal', goalMet(), at(0, 2))).events);
    expect(openSafetyReview(plan)?.triggers.map((t) => t.eventId)).toEqual(['flag-1']);
    expect(openReviewTask(plan)?.triggers.map((t) => t.eventId)).toEqual(['flag-1', 'goal']);
  });
});

describe('events of no interest or out of order decide nothing', () => {
  test('a trigger before the plan was registered here', () => {
    given([]).when(trigger('sx', symptoms())).thenNothingHappens();
  });

  test('the same trigger delivered again', () => {
    given(aPlan().run(trigger('sx', symptoms())).events).when(trigger('sx', symptoms())).thenNothingHappens();
  });

  test('a trigger after the plan was closed', () => {
    given(aPlan().run(closed(at(1))).events).when(trigger('sx', symptoms(), at(2))).thenNothingHappens();
  });

  test('a trigger already answered and completed, delivered again', () => {
    const done = aPlan().run(trigger('sx', symptoms()), revised(2, ['sx']));
    given(done.events).when(trigger('sx', symptoms())).thenNothingHappens();
  });

  test('the builders decide on a fresh history too', () => {
    expect(new History().run(trigger('sx', symptoms())).events).toEqual([]);
  });
});
