import type { ReviewTaskOpened } from './events';
import { DEFAULT_REVIEW_POLICY } from './review-policy';
import { given, givenWith, trackedAfter } from './testing/given';
import {
  aPlan,
  at,
  CLINICIAN_ID,
  closed,
  completeWithoutChange,
  escalate,
  goalMet,
  lifeEvent,
  markOverdue,
  periodicReview,
  PLAN_ID,
  revised,
  riskAssessment,
  safetyFlag,
  SUPERVISOR_ID,
  symptoms,
  TEAM_ID,
  trigger,
} from './testing/review-builders';

describe('a task past its due time is overdue, once', () => {
  const opened = aPlan().run(trigger('sx', symptoms(), at(1)));

  test('at its due time an open task is overdue', () => {
    given(opened.events)
      .when(markOverdue('task-sx', at(15)))
      .then([{ type: 'ReviewTaskOverdue', data: { taskId: 'task-sx', planId: PLAN_ID, dueAt: at(15), overdueAt: at(15) } }]);
  });

  test('not before its due time, not twice, not once completed or cancelled', () => {
    given(opened.events).when(markOverdue('task-sx', at(14))).thenNothingHappens();
    given(opened.run(markOverdue('task-sx', at(15))).events).when(markOverdue('task-sx', at(16))).thenNothingHappens();
    given(opened.run(completeWithoutChange('task-sx', at(2))).events).when(markOverdue('task-sx', at(15))).thenNothingHappens();
    given(opened.run(closed(at(2))).events).when(markOverdue('task-sx', at(15))).thenNothingHappens();
    given(opened.events).when(markOverdue('task-unknown', at(15))).thenNothingHappens();
    given([]).when(markOverdue('task-sx', at(15))).thenNothingHappens();
  });

  test('an overdue task can still be completed', () => {
    given(opened.run(markOverdue('task-sx', at(15))).events).when(revised(2, ['sx'], at(16))).thenTypes(['PlanRevisionRecorded', 'ReviewTaskCompleted', 'PeriodicReviewScheduled']);
  });
});

describe('a safety review not completed in time is escalated to the supervisor, once', () => {
  const flagged = aPlan().run(trigger('flag', safetyFlag(), at(0, 1)));
  const due = '2026-03-03T00:00:00.000Z';

  test('to the supervisor known for the clinician', () => {
    given(flagged.events)
      .when(escalate('safety-flag', due))
      .then([
        { type: 'ReviewTaskEscalated', data: { taskId: 'safety-flag', planId: PLAN_ID, route: 'supervisor', supervisorId: SUPERVISOR_ID, teamId: TEAM_ID, escalatedAt: due } },
      ]);
  });

  test('with no supervisor known, to the unrouted queue', () => {
    const [escalated] = given(flagged.events).when(escalate('safety-flag', due, null, null)).thenTypes(['ReviewTaskEscalated']);
    expect(escalated.data).toMatchObject({ route: 'unrouted', supervisorId: null, teamId: null });
  });

  test('not before its due time and the grace the network allows, not twice, not once assessed', () => {
    given(flagged.events).when(escalate('safety-flag', '2026-03-02T23:59:59.000Z')).thenNothingHappens();
    const graceful = givenWith({ ...DEFAULT_REVIEW_POLICY, safetyEscalationGraceMinutes: 30 });
    graceful(flagged.events).when(escalate('safety-flag', '2026-03-03T00:29:00.000Z')).thenNothingHappens();
    graceful(flagged.events).when(escalate('safety-flag', '2026-03-03T00:30:00.000Z')).thenTypes(['ReviewTaskEscalated']);
    given(flagged.run(escalate('safety-flag', due)).events).when(escalate('safety-flag', at(2))).thenNothingHappens();
    given(flagged.run(riskAssessment('safety-flag', at(0, 3))).events).when(escalate('safety-flag', due)).thenNothingHappens();
  });

  test('a plan-update task is not escalated', () => {
    given(flagged.events).when(escalate('task-flag', at(3))).thenNothingHappens();
  });

  test('an escalated safety review is still completed by a risk assessment', () => {
    given(flagged.run(escalate('safety-flag', due)).events).when(riskAssessment('safety-flag', at(1, 2))).thenTypes(['ReviewTaskCompleted']);
  });
});

describe('the periodic review opens a task before the review date', () => {
  const inEffect = aPlan().run(revised(1, [], at(0)));

  test('when its notice period begins, a routine periodic task opens, due at the review date', () => {
    given(inEffect.events)
      .when(periodicReview(at(90), at(76)))
      .then([
        {
          type: 'ReviewTaskOpened',
          data: {
            taskId: `periodic-${at(90)}`,
            planId: PLAN_ID,
            clinicianId: CLINICIAN_ID,
            kind: 'periodic_review',
            trigger: null,
            reviewAt: at(90),
            reasons: ['review_interval'],
            urgency: 'routine',
            dueAt: at(90),
            openedAt: at(76),
            firstTriggeredAt: at(76),
          },
        },
      ]);
  });

  test('an open plan-update task takes the review date on instead of a second task', () => {
    const open = inEffect.run(trigger('goal', goalMet(), at(70)));
    const [joined] = given(open.events).when(periodicReview(at(90), at(76))).thenTypes(['ReviewTaskTriggerJoined']);
    expect(joined.data).toMatchObject({ taskId: 'task-goal', trigger: null, reviewAt: at(90), joinedReasons: ['review_interval'], dueAt: at(84) });
  });

  test('a trigger arriving during the notice period joins the periodic task', () => {
    const open = inEffect.run(periodicReview(at(90), at(76)));
    const [joined] = given(open.events).when(trigger('sx', symptoms({ urgency: 'urgent' }), at(80))).thenTypes(['ReviewTaskTriggerJoined']);
    expect(joined.data).toMatchObject({ taskId: `periodic-${at(90)}`, urgency: 'urgent', dueAt: at(81) });
  });

  test('it decides nothing for a review date that moved, before its notice period, twice, or for a plan not in effect or closed', () => {
    given(inEffect.run(revised(2, [], at(30))).events).when(periodicReview(at(90), at(76))).thenNothingHappens();
    given(inEffect.events).when(periodicReview(at(90), at(75))).thenNothingHappens();
    given(inEffect.run(periodicReview(at(90), at(76))).events).when(periodicReview(at(90), at(77))).thenNothingHappens();
    given(aPlan().events).when(periodicReview(at(90), at(76))).thenNothingHappens();
    given(inEffect.run(closed(at(10))).events).when(periodicReview(at(90), at(76))).thenNothingHappens();
  });

  test('the timer of a review date that a revision moved decides nothing, even once the new date is near', () => {
    given(inEffect.run(revised(2, [], at(30))).events).when(periodicReview(at(90), at(110))).thenNothingHappens();
    given(inEffect.run(revised(2, [], at(30))).events).when(periodicReview(at(120), at(110))).thenTypes(['ReviewTaskOpened']);
  });

  test('the review date joins the open plan-update task once, whatever the number of timer firings', () => {
    const joined = inEffect.run(trigger('goal', goalMet(), at(70)), periodicReview(at(90), at(76)));
    given(joined.events).when(periodicReview(at(90), at(77))).thenNothingHappens();
  });

  test('a trigger joining the plan-update task before the notice period leaves the review date to come', () => {
    const open = inEffect.run(trigger('goal', goalMet(), at(60)), trigger('life', lifeEvent(), at(70)));
    given(open.events)
      .when(periodicReview(at(90), at(76)))
      .then([
        {
          type: 'ReviewTaskTriggerJoined',
          data: {
            taskId: 'task-goal',
            planId: PLAN_ID,
            trigger: null,
            reviewAt: at(90),
            joinedReasons: ['review_interval'],
            reasons: ['goal_met', 'life_event', 'review_interval'],
            urgency: 'routine',
            dueAt: at(74),
            previousUrgency: 'routine',
            previousDueAt: at(74),
            joinedAt: at(76),
          },
        },
      ]);
  });

  test('the revision made for it moves the next review date on', () => {
    const history = inEffect.run(periodicReview(at(90), at(76)), revised(2, [], at(85)));
    expect(trackedAfter(history.events).periodicReview).toEqual({ reviewAt: at(175), opensAt: at(161), intervalDays: 90, opened: false });
    const opened = trackedAfter(history.run(periodicReview(at(175), at(161))).events).tasks.at(-1) as unknown as ReviewTaskOpened['data'];
    expect(opened).toMatchObject({ kind: 'periodic_review', dueAt: at(175) });
  });
});
