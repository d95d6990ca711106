import type { Authorization, PlanReadiness } from '../state';
import { sessionsUsed } from '../state';
import { addDays, dateOf, finding, passes, result, startOfDate, type RuleEvaluator } from './rule-evaluation';

// Authorizations (docs/clinical-rules.md, "Payer medical-necessity checks": sessions authorized, used, remaining, the end date; re-authorization due when few
// sessions remain or the end date nears) and the payer's decision deadline (CMS-0057-F): docs/payer-rules.md.
// Dates are calendar dates in UTC: an authorization covers startsOn to endsOn, both included.

const payerAuthorizations = (state: PlanReadiness): Authorization[] =>
  state.authorizations.filter((authorization) => authorization.payerId === state.opened?.payerId);

export const coversDate = (authorization: Authorization, date: string): boolean => authorization.startsOn <= date && date <= authorization.endsOn;

/** The authorization that covers a date (and a service, when given): the one ending last. */
export const authorizationOn = (state: PlanReadiness, date: string, serviceCode?: string): Authorization | null =>
  payerAuthorizations(state)
    .filter((authorization) => coversDate(authorization, date) && (serviceCode === undefined || authorization.serviceCodes.includes(serviceCode)))
    .sort((a, b) => (a.endsOn < b.endsOn ? 1 : a.endsOn > b.endsOn ? -1 : 0))[0] ?? null;

/** Every instant after `now` at which an authorization starts or lapses. */
const dateBoundaries = (state: PlanReadiness, now: Date): Date[] =>
  payerAuthorizations(state)
    .flatMap((authorization) => [startOfDate(authorization.startsOn), addDays(startOfDate(authorization.endsOn), 1)])
    .filter((instant) => instant > now);

export const authorizationRequired: RuleEvaluator<'authorization-required'> = (rule, state, { now }) => {
  const today = dateOf(now);
  const boundaries = dateBoundaries(state, now);
  if (authorizationOn(state, today)) return result([], boundaries);
  const lapsed = payerAuthorizations(state)
    .filter((authorization) => authorization.endsOn < today)
    .sort((a, b) => (a.endsOn < b.endsOn ? 1 : -1))[0];
  return lapsed
    ? result(
        [finding(rule, 'authorization_expired', 'request_reauthorization', { authorizationId: lapsed.authorizationId, authorizationEndsOn: lapsed.endsOn }, 'failing')],
        boundaries,
      )
    : result([finding(rule, 'authorization_missing', 'request_authorization', {}, 'failing')], boundaries);
};

export const authorizationCapacity: RuleEvaluator<'authorization-capacity'> = (rule, state, { now }) => {
  const { lowSessions, endingSoonDays } = rule.params;
  const overdue = state.reauthorizations.filter((request) => request.status === 'submitted' && request.overdue);
  const overdueFindings = overdue.map((request) =>
    finding(rule, 'reauthorization_decision_overdue', 'follow_up_with_payer', { requestId: request.requestId, decisionDueAt: request.decisionDueAt }, 'warning'),
  );
  const current = authorizationOn(state, dateOf(now));
  if (!current) return overdueFindings.length === 0 ? passes : result(overdueFindings);
  const used = sessionsUsed(state, current.authorizationId);
  const remaining = Math.max(0, current.sessionsAuthorized - used);
  const evidence = {
    authorizationId: current.authorizationId,
    sessionsAuthorized: current.sessionsAuthorized,
    sessionsUsed: used,
    sessionsRemaining: remaining,
    authorizationEndsOn: current.endsOn,
  };
  const lapsesAt = addDays(startOfDate(current.endsOn), 1);
  const warnFrom = addDays(lapsesAt, -endingSoonDays);
  const findings = [...overdueFindings];
  if (remaining === 0) findings.push(finding(rule, 'authorization_sessions_exhausted', 'request_reauthorization', evidence, 'failing'));
  else if (remaining <= lowSessions) findings.push(finding(rule, 'authorization_sessions_low', 'request_reauthorization', evidence, 'warning'));
  if (now >= warnFrom) findings.push(finding(rule, 'authorization_ending_soon', 'request_reauthorization', evidence, 'warning'));
  return result(findings, [now < warnFrom ? warnFrom : null, lapsesAt]);
};
