import { NotASafetyReview, ReviewTaskNotFound, ReviewTaskNotOpen, SafetyReviewNeedsRiskAssessment } from './errors';
import { given, trackedAfter } from './testing/given';
import {
  aPlan,
  at,
  completeWithoutChange,
  goalMet,
  periodicReview,
  PLAN_ID,
  revised,
  RISK_ASSESSMENT,
  riskAssessment,
  safetyFlag,
  symptoms,
  trigger,
  USER_ID,
} from './testing/review-builders';

describe('the clinician completes a plan-update task as reviewed, no change needed', () => {
  const opened = aPlan().run(trigger('sx', symptoms(), at(1)));

  test('with a reason code; who did it and the time from the first trigger are recorded', () => {
    given(opened.events)
      .when(completeWithoutChange('task-sx', at(3), 'expected_course_of_treatment'))
      .then([
        {
          type: 'ReviewTaskCompleted',
          data: {
            taskId: 'task-sx',
            planId: PLAN_ID,
            resolution: 'reviewed_no_change',
            resolvedBy: null,
            revision: null,
            noChangeReason: 'expected_course_of_treatment',
            riskAssessment: null,
            completedAt: at(3),
            by: USER_ID,
            firstTriggeredAt: at(1),
            secondsToCompletion: 2 * 86_400,
          },
        },
      ]);
  });

  test('a periodic review done without change starts the next interval from today', () => {
    const due = aPlan().run(revised(1, [], at(0)), periodicReview(at(90), at(76)));
    const [, scheduled] = given(due.events).when(completeWithoutChange(`periodic-${at(90)}`, at(80))).thenTypes(['ReviewTaskCompleted', 'PeriodicReviewScheduled']);
    expect(scheduled.data).toMatchObject({ basis: 'review_without_change', reviewAt: at(170), opensAt: at(156) });
  });

  test('a plan-update task that took the review date on, done without change, starts the next interval too', () => {
    const due = aPlan().run(revised(1, [], at(0)), trigger('goal', goalMet(), at(70)), periodicReview(at(90), at(76)));
    const [, scheduled] = given(due.events).when(completeWithoutChange('task-goal', at(80))).thenTypes(['ReviewTaskCompleted', 'PeriodicReviewScheduled']);
    expect(scheduled.data).toMatchObject({ basis: 'review_without_change', reviewAt: at(170) });
  });

  test('a plan-update task done without change before the review date leaves the interval as it is', () => {
    given(aPlan().run(revised(1, [], at(0)), trigger('goal', goalMet(), at(70))).events).when(completeWithoutChange('task-goal', at(72))).thenTypes(['ReviewTaskCompleted']);
  });

  test('a safety review cannot be completed without a risk assessment', () => {
    const flagged = aPlan().run(trigger('flag', safetyFlag(), at(1)));
    given(flagged.events).when(completeWithoutChange('safety-flag', at(1, 2))).thenThrows(SafetyReviewNeedsRiskAssessment, { code: 'safety_review_needs_risk_assessment' });
  });

  test.each([
    ['a task this plan does not have', aPlan().run(trigger('sx', symptoms())).events],
    ['a plan never registered here', []],
  ])('%s is review_task_not_found', (_, history) => {
    given(history).when(completeWithoutChange('task-other')).thenThrows(ReviewTaskNotFound, { code: 'review_task_not_found' });
  });

  test('a completed task is review_task_not_open', () => {
    given(opened.run(completeWithoutChange('task-sx', at(2))).events)
      .when(completeWithoutChange('task-sx', at(3)))
      .thenThrows(ReviewTaskNotOpen, { code: 'review_task_not_open', status: 'completed', extensions: { taskStatus: 'completed' } });
  });
});

describe('a safety review is completed with a structured risk assessment', () => {
  const flagged = aPlan().run(trigger('flag', safetyFlag(), at(1)));

  test('instrument, risk level and whether a safety plan was made, as codes', () => {
    given(flagged.events)
      .when(riskAssessment('safety-flag', at(1, 3)))
      .then([
        {
          type: 'ReviewTaskCompleted',
          data: {
            taskId: 'safety-flag',
            planId: PLAN_ID,
            resolution: 'risk_assessed',
            resolvedBy: null,
            revision: null,
            noChangeReason: null,
            riskAssessment: RISK_ASSESSMENT,
            completedAt: at(1, 3),
            by: USER_ID,
            firstTriggeredAt: at(1),
            secondsToCompletion: 3 * 3600,
          },
        },
      ]);
    const plan = trackedAfter(flagged.run(riskAssessment('safety-flag', at(1, 3))).events);
    expect(plan.tasks.map((task) => [task.kind, task.status])).toEqual([['plan_update', 'open'], ['safety_review', 'completed']]);
  });

  test('a plan-update task is not completed by a risk assessment', () => {
    given(flagged.events).when(riskAssessment('task-flag')).thenThrows(NotASafetyReview, { code: 'not_a_safety_review' });
  });

  test('an unknown or finished safety review is refused', () => {
    given(flagged.events).when(riskAssessment('safety-other')).thenThrows(ReviewTaskNotFound);
    given(flagged.run(riskAssessment('safety-flag')).events).when(riskAssessment('safety-flag')).thenThrows(ReviewTaskNotOpen);
  });
});
