import { given, trackedAfter } from './testing/given';
import { aPlan, at, CLINICIAN_ID, PAYER_ID, PLAN_ID, registerPlan } from './testing/review-builders';

describe("a plan's opening", () => {
  test('registers the clinician whose inbox gets its tasks and the payer whose interval applies', () => {
    given([])
      .when(registerPlan({}, at(0)))
      .then([{ type: 'PlanRegistered', data: { planId: PLAN_ID, clinicianId: CLINICIAN_ID, payerId: PAYER_ID, openedAt: at(0), sourceEventId: 'opened' } }]);
    expect(trackedAfter(aPlan().events)).toMatchObject({ status: 'active', revision: null, periodicReview: null, tasks: [] });
  });

  test('a second opening of the same plan decides nothing', () => {
    given(aPlan().events).when(registerPlan({ eventId: 'again', clinicianId: 'someone-else' })).thenNothingHappens();
  });
});
