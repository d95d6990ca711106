import { NotASafetyReview, PlanReviewNotFound, ReviewTaskNotFound, ReviewTaskNotOpen, SafetyReviewNeedsRiskAssessment } from './errors';
import { given } from './testing/given';
import { aPlan, at, closed, completeWithoutChange, riskAssessment, safetyFlag, symptoms, trigger } from './testing/review-builders';

// Codes and messages are part of the contract with clients (docs/errors.md): a client switches on `code`, the
// kind gives the status (not_found 404, conflict 409), and the message is the sentence a clinician reads.

describe("the refusals of a plan's review, as a client receives them", () => {
  test.each([
    [() => new ReviewTaskNotFound('task-1'), 'review_task_not_found', 'not_found', 'This plan has no review task with this id.'],
    [() => new ReviewTaskNotOpen('task-1', 'completed'), 'review_task_not_open', 'conflict', 'This review task is already completed.'],
    [() => new ReviewTaskNotOpen('task-1', 'cancelled'), 'review_task_not_open', 'conflict', 'This review task was cancelled (the plan was closed).'],
    [
      () => new SafetyReviewNeedsRiskAssessment('task-1'),
      'safety_review_needs_risk_assessment',
      'conflict',
      'A safety review is completed with a structured risk assessment, not as reviewed without change.',
    ],
    [
      () => new NotASafetyReview('task-1'),
      'not_a_safety_review',
      'conflict',
      'A risk assessment completes a safety review; this task is a plan review: revise the plan or complete it as reviewed without change.',
    ],
    [
      () => new PlanReviewNotFound(),
      'plan_review_not_found',
      'not_found',
      'No treatment plan with this id has been opened (or its opening has not reached this service yet).',
    ],
  ])('%p: %s (%s)', (make, code, kind, message) => {
    const error = make();
    expect({ code: error.code, kind: error.kind, message: error.message }).toEqual({ code, kind, message });
  });

  test('a task that is not open says whether it was completed or cancelled, also as the taskStatus extension', () => {
    expect(new ReviewTaskNotOpen('task-1', 'cancelled').extensions).toEqual({ taskStatus: 'cancelled' });
    expect(new ReviewTaskNotOpen('task-1', 'completed').extensions).toEqual({ taskStatus: 'completed' });
  });
});

describe("the clinician's completions are refused with those codes and messages", () => {
  const opened = aPlan().run(trigger('sx', symptoms(), at(1)));
  const flagged = aPlan().run(trigger('flag', safetyFlag(), at(1)));

  test('completing a task of a plan that was closed: cancelled, not completed', () => {
    given(opened.run(closed(at(2))).events)
      .when(completeWithoutChange('task-sx', at(3)))
      .thenThrows(ReviewTaskNotOpen, {
        code: 'review_task_not_open',
        kind: 'conflict',
        taskId: 'task-sx',
        status: 'cancelled',
        message: 'This review task was cancelled (the plan was closed).',
        extensions: { taskStatus: 'cancelled' },
      });
  });

  test('completing a task twice: already completed', () => {
    given(opened.run(completeWithoutChange('task-sx', at(2))).events)
      .when(completeWithoutChange('task-sx', at(3)))
      .thenThrows(ReviewTaskNotOpen, { code: 'review_task_not_open', status: 'completed', message: 'This review task is already completed.' });
  });

  test('an unknown task, whether the plan is unknown or the task is not one of its tasks', () => {
    for (const history of [[], opened.events]) {
      given(history)
        .when(riskAssessment('task-other'))
        .thenThrows(ReviewTaskNotFound, { code: 'review_task_not_found', kind: 'not_found', taskId: 'task-other', message: 'This plan has no review task with this id.' });
    }
  });

  test('a safety review reviewed without change, and a plan review given a risk assessment', () => {
    given(flagged.events)
      .when(completeWithoutChange('safety-flag', at(1, 2)))
      .thenThrows(SafetyReviewNeedsRiskAssessment, {
        code: 'safety_review_needs_risk_assessment',
        kind: 'conflict',
        taskId: 'safety-flag',
        message: 'A safety review is completed with a structured risk assessment, not as reviewed without change.',
      });
    given(flagged.events)
      .when(riskAssessment('task-flag'))
      .thenThrows(NotASafetyReview, { code: 'not_a_safety_review', kind: 'conflict', taskId: 'task-flag', message: expect.stringMatching(/^A risk assessment completes a safety review;/) });
  });
});
