import { DomainError } from '@golden-loop/decider';

// Refusals of the readiness API, one code per fact; the HTTP status follows from the kind (libs/http-api).

export class PlanNotKnown extends DomainError {
  readonly code = 'plan_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('Billing has not heard of this plan yet (no PlanOpened); try again once the plan is open.');
  }
}

export class PlanIsSelfPay extends DomainError {
  readonly code = 'plan_self_pay';
  readonly kind = 'conflict';
  constructor() {
    super('The client pays for this plan directly: there is no payer to authorize or check it.');
  }
}

export class PlanIsClosed extends DomainError {
  readonly code = 'plan_closed';
  readonly kind = 'conflict';
  constructor() {
    super('The plan is closed; open a new plan first.');
  }
}

export class AuthorizationPayerMismatch extends DomainError {
  readonly code = 'authorization_payer_mismatch';
  readonly kind = 'conflict';
  constructor() {
    super("The authorization is from another payer than the plan's.", 'payerId');
  }
}

export class AuthorizationAlreadyRecorded extends DomainError {
  readonly code = 'authorization_already_recorded';
  readonly kind = 'conflict';
  constructor() {
    super('An authorization with this number is already recorded for the plan.', 'authorizationNumber');
  }
}

export class AuthorizationNotFound extends DomainError {
  readonly code = 'authorization_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('The plan has no such authorization.', 'authorizationId');
  }
}

export class SessionAlreadyRecorded extends DomainError {
  readonly code = 'session_already_recorded';
  readonly kind = 'conflict';
  constructor() {
    super('A session with this id is already recorded.', 'sessionId');
  }
}

export class ReauthorizationNotFound extends DomainError {
  readonly code = 'reauthorization_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('The plan has no such re-authorization request.');
  }
}

export class ReauthorizationAlreadyDecided extends DomainError {
  readonly code = 'reauthorization_already_decided';
  readonly kind = 'conflict';
  constructor() {
    super("The payer's decision on this request is already recorded.");
  }
}

export class DecisionInconsistent extends DomainError {
  readonly code = 'decision_inconsistent';
  readonly kind = 'invalid';
  constructor(field: string, reason: string) {
    super(reason, field);
  }
}
