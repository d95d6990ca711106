import {
  AuthorizationAlreadyRecorded,
  AuthorizationNotFound,
  AuthorizationPayerMismatch,
  DecisionInconsistent,
  PlanIsClosed,
  PlanIsSelfPay,
  PlanNotKnown,
  ReauthorizationAlreadyDecided,
  ReauthorizationNotFound,
  SessionAlreadyRecorded,
} from './errors';

// Codes and messages are part of the contract with clients (docs/errors.md): a client switches on `code`, the kind
// gives the status (invalid 400, not_found 404, conflict 409), `field` names the field at fault, and the message is
// the sentence a person reads.

describe('the refusals of the readiness API, as a client receives them', () => {
  test.each([
    [() => new PlanNotKnown(), 'plan_not_found', 'not_found', undefined, 'Billing has not heard of this plan yet (no PlanOpened); try again once the plan is open.'],
    [() => new PlanIsSelfPay(), 'plan_self_pay', 'conflict', undefined, 'The client pays for this plan directly: there is no payer to authorize or check it.'],
    [() => new PlanIsClosed(), 'plan_closed', 'conflict', undefined, 'The plan is closed; open a new plan first.'],
    [() => new AuthorizationPayerMismatch(), 'authorization_payer_mismatch', 'conflict', 'payerId', "The authorization is from another payer than the plan's."],
    [() => new AuthorizationAlreadyRecorded(), 'authorization_already_recorded', 'conflict', 'authorizationNumber', 'An authorization with this number is already recorded for the plan.'],
    [() => new AuthorizationNotFound(), 'authorization_not_found', 'not_found', 'authorizationId', 'The plan has no such authorization.'],
    [() => new SessionAlreadyRecorded(), 'session_already_recorded', 'conflict', 'sessionId', 'A session with this id is already recorded.'],
    [() => new ReauthorizationNotFound(), 'reauthorization_not_found', 'not_found', undefined, 'The plan has no such re-authorization request.'],
    [() => new ReauthorizationAlreadyDecided(), 'reauthorization_already_decided', 'conflict', undefined, "The payer's decision on this request is already recorded."],
    [() => new DecisionInconsistent('sessionsApproved', 'A denial grants no sessions and no authorization.'), 'decision_inconsistent', 'invalid', 'sessionsApproved', 'A denial grants no sessions and no authorization.'],
  ])('%p is %s (%s)', (make, code, kind, field, message) => {
    const error = make();
    expect({ code: error.code, kind: error.kind, field: error.field, message: error.message }).toEqual({ code, kind, field, message });
    expect(error.problems).toEqual(field === undefined ? [] : [{ field, reason: message }]);
  });
});
