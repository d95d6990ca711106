import { payerPlanOf } from './authorization.decide';
import { withCheck } from './checked';
import type { FlagDecisionOverdue, RecordPayerDecision, RequestReauthorization } from './commands';
import { AuthorizationNotFound, DecisionInconsistent, PlanIsClosed, ReauthorizationAlreadyDecided, ReauthorizationNotFound } from './errors';
import type { ReadinessEvent } from './events';
import { reauthorizationBundle } from './reauthorization-bundle';
import { authorizationOn } from './rules/authorization.rules';
import { addDays, dateOf, startOfDate } from './rules/rule-evaluation';
import type { PlanReadiness } from './state';

// CMS-0057-F (Interoperability and Prior Authorization final rule): impacted payers decide expedited requests within
// 72 hours and standard ones within 7 calendar days (docs/payer-rules.md, "Re-authorization").
export const DECISION_WINDOW_HOURS = { expedited: 72, standard: 7 * 24 } as const;

/** Requested sessions run from the day after the authorization they extend ends (or today) for 90 days by default. */
const DEFAULT_PERIOD_DAYS = 90;

export const decisionDueAt = (submittedAt: string, priority: keyof typeof DECISION_WINDOW_HOURS): string =>
  new Date(new Date(submittedAt).getTime() + DECISION_WINDOW_HOURS[priority] * 3_600_000).toISOString();

export const decideRequestReauthorization = (command: RequestReauthorization, state: PlanReadiness): ReadinessEvent[] => {
  const plan = payerPlanOf(state);
  if (state.closed) throw new PlanIsClosed();
  const { requestId, priority, serviceCodes, sessionsRequested, period } = command.data;
  const now = new Date(command.metadata.now);
  const authorization =
    command.data.authorizationId === null
      ? authorizationOn(state, dateOf(now))
      : (state.authorizations.find((a) => a.authorizationId === command.data.authorizationId) ?? null);
  if (command.data.authorizationId !== null && authorization === null) throw new AuthorizationNotFound();
  const start = period?.start ?? (authorization && authorization.endsOn >= dateOf(now) ? dateOf(addDays(startOfDate(authorization.endsOn), 1)) : dateOf(now));
  const end = period?.end ?? dateOf(addDays(startOfDate(start), DEFAULT_PERIOD_DAYS - 1));
  const submittedAt = command.metadata.now;
  const bundle = reauthorizationBundle(state, {
    requestId,
    priority,
    serviceCodes,
    sessionsRequested,
    authorizationNumber: authorization?.authorizationNumber ?? null,
    period: { start, end },
    submittedAt,
  });
  const requested: ReadinessEvent = {
    type: 'ReauthorizationRequested',
    data: {
      planId: state.planId!,
      requestId,
      payerId: plan.payerId,
      authorizationId: authorization?.authorizationId ?? null,
      priority,
      serviceCodes,
      sessionsRequested,
      submittedAt,
      decisionDueAt: decisionDueAt(submittedAt, priority),
      bundle,
      by: command.metadata.userId ?? 'system',
    },
  };
  return withCheck(state, [requested], command, 'reauthorization', null);
};

const requestOf = (state: PlanReadiness, requestId: string) => {
  const request = state.reauthorizations.find((r) => r.requestId === requestId);
  if (!request) throw new ReauthorizationNotFound();
  return request;
};

export const decideRecordPayerDecision = (command: RecordPayerDecision, state: PlanReadiness): ReadinessEvent[] => {
  const plan = payerPlanOf(state);
  const request = requestOf(state, command.data.requestId);
  if (request.status !== 'submitted') throw new ReauthorizationAlreadyDecided();
  const { decision, sessionsApproved, authorization } = command.data;
  if (decision === 'approved' && sessionsApproved !== request.sessionsRequested) {
    throw new DecisionInconsistent('sessionsApproved', `An approval grants the ${request.sessionsRequested} sessions requested; record fewer as partial.`);
  }
  if (decision === 'partial' && (sessionsApproved < 1 || sessionsApproved >= request.sessionsRequested)) {
    throw new DecisionInconsistent('sessionsApproved', `A partial approval grants from 1 to ${request.sessionsRequested - 1} sessions.`);
  }
  if (decision === 'denied' && (sessionsApproved !== 0 || authorization !== null)) {
    throw new DecisionInconsistent('sessionsApproved', 'A denial grants no sessions and no authorization.');
  }
  if (decision !== 'denied' && authorization === null) {
    throw new DecisionInconsistent('authorization', 'An approval comes with the authorization the payer granted (number and dates).');
  }
  if (authorization && state.authorizations.some((a) => a.authorizationNumber === authorization.authorizationNumber)) {
    throw new DecisionInconsistent('authorization.authorizationNumber', 'An authorization with this number is already recorded for the plan.');
  }
  const now = command.metadata.now;
  const by = command.metadata.userId ?? 'system';
  const facts: ReadinessEvent[] = [];
  if (authorization) {
    facts.push({
      type: 'AuthorizationRecorded',
      data: { planId: state.planId!, ...authorization, payerId: plan.payerId, serviceCodes: request.serviceCodes, sessionsAuthorized: sessionsApproved, requestId: request.requestId, recordedAt: now, by },
    });
  }
  facts.push({
    type: 'ReauthorizationDecided',
    data: {
      planId: state.planId!,
      payerId: plan.payerId,
      requestId: request.requestId,
      decision,
      sessionsRequested: request.sessionsRequested,
      sessionsApproved,
      authorizationId: authorization?.authorizationId ?? null,
      decisionDueAt: request.decisionDueAt,
      decidedAt: now,
      late: now > request.decisionDueAt,
      by,
    },
  });
  return withCheck(state, facts, command, 'reauthorization', null);
};

/** The decision timer fired: flagged once, and only while the payer has still not decided. */
export const decideFlagDecisionOverdue = (command: FlagDecisionOverdue, state: PlanReadiness): ReadinessEvent[] => {
  const request = state.reauthorizations.find((r) => r.requestId === command.data.requestId);
  if (!request || request.status !== 'submitted' || request.overdue) return [];
  const overdue: ReadinessEvent = {
    type: 'ReauthorizationDecisionOverdue',
    data: {
      planId: state.planId!,
      payerId: request.payerId,
      requestId: request.requestId,
      priority: request.priority,
      submittedAt: request.submittedAt,
      decisionDueAt: request.decisionDueAt,
      flaggedAt: command.metadata.now,
    },
  };
  return withCheck(state, [overdue], command, 'scheduled', null);
};
