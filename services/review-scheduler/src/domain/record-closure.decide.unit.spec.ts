import { ReviewTaskNotOpen } from './errors';
import { given, trackedAfter } from './testing/given';
import { aPlan, at, closed, completeWithoutChange, goalMet, PLAN_ID, revised, riskAssessment, safetyFlag, symptoms, trigger } from './testing/review-builders';

describe('a closed plan cancels its open tasks', () => {
  const flagged = aPlan().run(trigger('flag', safetyFlag(), at(1)));

  test('PlanClosed cancels the plan-update task and the safety review, and records the closing', () => {
    given(flagged.events)
      .when(closed(at(2), 'closed-event'))
      .then([
        { type: 'ReviewTaskCancelled', data: { taskId: 'task-flag', planId: PLAN_ID, cancelledBy: 'closed-event', cancelledAt: at(2) } },
        { type: 'ReviewTaskCancelled', data: { taskId: 'safety-flag', planId: PLAN_ID, cancelledBy: 'closed-event', cancelledAt: at(2) } },
        { type: 'PlanClosureRecorded', data: { planId: PLAN_ID, closedAt: at(2), sourceEventId: 'closed-event' } },
      ]);
  });

  test('completed tasks stay completed', () => {
    const history = aPlan().run(trigger('sx', symptoms(), at(1)), revised(2, ['sx'], at(2)), trigger('goal', goalMet(), at(3)));
    const events = given(history.events).when(closed(at(4))).thenTypes(['ReviewTaskCancelled', 'PlanClosureRecorded']);
    expect(events[0].data).toMatchObject({ taskId: 'task-goal' });
    expect(trackedAfter([...history.events, ...events]).tasks.map((task) => task.status)).toEqual(['completed', 'cancelled']);
  });

  test('a cancelled task can no longer be completed', () => {
    const history = flagged.run(closed(at(2)));
    given(history.events).when(completeWithoutChange('task-flag', at(3))).thenThrows(ReviewTaskNotOpen, { code: 'review_task_not_open', status: 'cancelled' });
    given(history.events).when(riskAssessment('safety-flag', at(3))).thenThrows(ReviewTaskNotOpen, { status: 'cancelled' });
  });

  test('a second closing, or a closing of a plan never registered here, decides nothing', () => {
    given(flagged.run(closed(at(2))).events).when(closed(at(3), 'again')).thenNothingHappens();
    given([]).when(closed(at(3))).thenNothingHappens();
  });
});
