import type { ReviewTaskCompleted } from './events';
import { DEFAULT_REVIEW_POLICY } from './review-policy';
import { outstandingTriggers } from './state';
import { given, givenWith, trackedAfter } from './testing/given';
import { aPlan, at, closed, goalMet, lifeEvent, PAYER_ID, periodicReview, PLAN_ID, revised, safetyFlag, symptoms, trigger } from './testing/review-builders';

const twoTriggers = aPlan().run(trigger('sx', symptoms(), at(1)), trigger('goal', goalMet(), at(2)));
const nextReview = (revisedAt: string) => ({
  type: 'PeriodicReviewScheduled',
  data: { planId: PLAN_ID, basis: 'revision', intervalDays: 90, reviewAt: at(90 + (Date.parse(revisedAt) - Date.parse(at(0))) / 86_400_000), opensAt: at(76 + (Date.parse(revisedAt) - Date.parse(at(0))) / 86_400_000) },
});

describe('a revision in effect completes the triggers it answers', () => {
  test('answering one of two triggers leaves the task open with the other', () => {
    given(twoTriggers.events)
      .when(revised(2, ['sx'], at(5)))
      .then([
        { type: 'PlanRevisionRecorded', data: { planId: PLAN_ID, revision: 2, revisedAt: at(5), triggersAnswered: ['sx'], sourceEventId: 'revised-2' } },
        {
          type: 'ReviewTaskTriggersAnswered',
          data: {
            taskId: 'task-sx',
            planId: PLAN_ID,
            answered: ['sx'],
            reviewIntervalAnswered: false,
            outstanding: ['goal'],
            revision: 2,
            answeredBy: 'revised-2',
            answeredAt: at(5),
          },
        },
        nextReview(at(5)),
      ] as never);
    const task = trackedAfter(twoTriggers.run(revised(2, ['sx'], at(5))).events).tasks[0];
    expect(task.status).toBe('open');
    expect(outstandingTriggers(task)).toEqual(['goal']);
  });

  test('answering both completes it, with the time from the first trigger to the revision', () => {
    given(twoTriggers.events)
      .when(revised(2, ['sx', 'goal'], at(5)))
      .then([
        { type: 'PlanRevisionRecorded', data: { planId: PLAN_ID, revision: 2, revisedAt: at(5), triggersAnswered: ['sx', 'goal'], sourceEventId: 'revised-2' } },
        {
          type: 'ReviewTaskCompleted',
          data: {
            taskId: 'task-sx',
            planId: PLAN_ID,
            resolution: 'plan_revised',
            resolvedBy: 'revised-2',
            revision: 2,
            noChangeReason: null,
            riskAssessment: null,
            completedAt: at(5),
            by: null,
            firstTriggeredAt: at(1),
            secondsToCompletion: 4 * 86_400,
          },
        },
        nextReview(at(5)),
      ] as never);
  });

  test('a later revision answering the rest completes it', () => {
    const half = twoTriggers.run(revised(2, ['sx'], at(5)));
    const events = given(half.events).when(revised(3, ['goal'], at(8))).thenTypes(['PlanRevisionRecorded', 'ReviewTaskCompleted', 'PeriodicReviewScheduled']);
    expect((events[1] as ReviewTaskCompleted).data).toMatchObject({ revision: 3, secondsToCompletion: 7 * 86_400 });
    expect(trackedAfter([...half.events, ...events]).tasks[0].answers.get('sx')?.revision).toBe(2);
  });

  test('a revision that answers none of the triggers leaves the task as it is and starts the next interval', () => {
    given(twoTriggers.events).when(revised(2, [], at(5))).thenTypes(['PlanRevisionRecorded', 'PeriodicReviewScheduled']);
  });

  test('revision 1 taking effect starts the first review interval', () => {
    given(aPlan().events).when(revised(1, [], at(1))).then([
      { type: 'PlanRevisionRecorded', data: { planId: PLAN_ID, revision: 1, revisedAt: at(1), triggersAnswered: [], sourceEventId: 'revised-1' } },
      nextReview(at(1)),
    ] as never);
  });

  test("the interval is the payer's when the network sets one", () => {
    const policy = { ...DEFAULT_REVIEW_POLICY, periodicIntervalDaysByPayer: new Map([[PAYER_ID, 30]]) };
    const [, scheduled] = givenWith(policy)(aPlan(policy).events).when(revised(1, [], at(0))).thenTypes(['PlanRevisionRecorded', 'PeriodicReviewScheduled']);
    expect(scheduled.data).toMatchObject({ intervalDays: 30, reviewAt: at(30), opensAt: at(16) });
    const [, cash] = givenWith(policy)(aPlan(policy, { payerId: null }).events).when(revised(1, [], at(0))).thenTypes(['PlanRevisionRecorded', 'PeriodicReviewScheduled']);
    expect(cash.data).toMatchObject({ intervalDays: 90 });
  });

  test('a safety review is not answered by a revision: only a risk assessment completes it', () => {
    const flagged = aPlan().run(trigger('flag', safetyFlag(), at(1)));
    const events = given(flagged.events).when(revised(2, ['flag'], at(1, 5))).thenTypes(['PlanRevisionRecorded', 'ReviewTaskCompleted', 'PeriodicReviewScheduled']);
    expect(events[1].data).toMatchObject({ taskId: 'task-flag' });
    const plan = trackedAfter([...flagged.events, ...events]);
    expect(plan.tasks.map((task) => [task.kind, task.status])).toEqual([['plan_update', 'completed'], ['safety_review', 'open']]);
  });

  test('a revision answers the review date of a periodic task; triggers that joined it keep it open', () => {
    const due = aPlan().run(revised(1, [], at(0)), periodicReview(at(90), at(76)), trigger('life', lifeEvent(), at(80)));
    const [, answered] = given(due.events).when(revised(2, [], at(85))).thenTypes(['PlanRevisionRecorded', 'ReviewTaskTriggersAnswered', 'PeriodicReviewScheduled']);
    expect(answered.data).toMatchObject({ answered: [], reviewIntervalAnswered: true, outstanding: ['life'] });
    const afterwards = due.run(revised(2, [], at(85)));
    given(afterwards.events).when(revised(3, ['life'], at(86))).thenTypes(['PlanRevisionRecorded', 'ReviewTaskCompleted', 'PeriodicReviewScheduled']);
  });

  test('a periodic task with nothing else on it is completed by any revision', () => {
    const due = aPlan().run(revised(1, [], at(0)), periodicReview(at(90), at(76)));
    const [, completed] = given(due.events).when(revised(2, [], at(80))).thenTypes(['PlanRevisionRecorded', 'ReviewTaskCompleted', 'PeriodicReviewScheduled']);
    expect(completed.data).toMatchObject({ taskId: `periodic-${at(90)}`, resolution: 'plan_revised', secondsToCompletion: 4 * 86_400 });
  });
});

describe('revisions out of order or of no interest decide nothing', () => {
  test('the same revision delivered again', () => {
    given(twoTriggers.run(revised(2, ['sx'])).events).when(revised(2, ['sx'])).thenNothingHappens();
  });

  test('the revision already in effect, announced again under another event id', () => {
    given(twoTriggers.run(revised(2, ['sx'], at(5), 'r2')).events).when(revised(2, ['goal'], at(6), 'r2-again')).thenNothingHappens();
  });

  test('an older revision arriving after a newer one', () => {
    given(twoTriggers.run(revised(3, ['sx'], at(5), 'r3')).events).when(revised(2, ['goal'], at(4), 'r2')).thenNothingHappens();
  });

  test('a revision of a plan never registered here, or already closed', () => {
    given([]).when(revised(1, [])).thenNothingHappens();
    given(twoTriggers.run(closed(at(4))).events).when(revised(2, ['sx', 'goal'], at(5))).thenNothingHappens();
  });

  test('a revision naming triggers this plan never had', () => {
    given(twoTriggers.events).when(revised(2, ['someone-else'], at(5))).thenTypes(['PlanRevisionRecorded', 'PeriodicReviewScheduled']);
  });
});
