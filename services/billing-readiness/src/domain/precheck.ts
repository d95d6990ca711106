import { BUILT_IN_RULES, checkReadiness, outcomeOf } from './check';
import type { CheckOutcome, Finding } from './events';
import { authorizationOn } from './rules/authorization.rules';
import type { CheckContext } from './rules/rule-evaluation';
import { rulesOf, type RuleSet } from './rule-set';
import { revisionInEffectOn, sessionsUsed, type PlanReadiness } from './state';

export interface PrecheckRequest {
  readonly dateOfService: string;
  readonly serviceCode: string;
}

export interface PrecheckResult {
  readonly billable: boolean;
  readonly outcome: CheckOutcome;
  readonly findings: readonly Finding[];
  readonly revision: number | null;
  readonly authorizationId: string | null;
}

/** Documentation rules are read at midday of the date of service, so a day-long window counts whole days. */
const instantOf = (date: string): Date => new Date(`${date}T12:00:00.000Z`);

const AUTHORIZATION_CHECKS = new Set(['authorization-required', 'authorization-capacity']);

/**
 * Is a session billable on its date (docs/payer-rules.md, "Pre-claim check")? The plan must be open and a signed
 * revision in effect on that date, an authorization must cover the date and the service when the payer requires one
 * (with a session left), and the documentation rules must hold — read on the documentation as it stands, with the
 * time rules as of the date of service.
 */
export const precheckSession = (state: PlanReadiness, ruleSet: RuleSet, context: CheckContext, request: PrecheckRequest): PrecheckResult => {
  const { dateOfService, serviceCode } = request;
  const findings: Finding[] = [];
  if (state.closed && state.closed.closedAt.slice(0, 10) <= dateOfService) {
    findings.push({ code: 'plan_closed', rule: BUILT_IN_RULES.planOpen, severity: 'error', evidence: { closedAt: state.closed.closedAt, dateOfService }, fix: { code: 'open_new_plan' } });
  }
  const revision = revisionInEffectOn(state, dateOfService);
  if (!revision) {
    findings.push({
      code: 'plan_not_in_effect_on_date_of_service',
      rule: BUILT_IN_RULES.planInEffectOnDate,
      severity: 'error',
      evidence: { dateOfService },
      fix: { code: 'sign_plan_before_service' },
    });
  }
  const authorization = authorizationOn(state, dateOfService, serviceCode);
  const required = rulesOf(ruleSet, 'authorization-required')[0];
  if (!authorization && required) {
    findings.push({
      code: 'service_not_authorized',
      rule: required.id,
      severity: required.severity ?? 'error',
      evidence: { serviceCode, dateOfService },
      fix: { code: 'request_authorization' },
    });
  }
  if (authorization && sessionsUsed(state, authorization.authorizationId) >= authorization.sessionsAuthorized) {
    findings.push({
      code: 'authorization_sessions_exhausted',
      rule: required?.id ?? BUILT_IN_RULES.serviceAuthorized,
      severity: 'error',
      evidence: {
        authorizationId: authorization.authorizationId,
        sessionsAuthorized: authorization.sessionsAuthorized,
        sessionsUsed: sessionsUsed(state, authorization.authorizationId),
        sessionsRemaining: 0,
        authorizationEndsOn: authorization.endsOn,
        serviceCode,
        dateOfService,
      },
      fix: { code: 'request_reauthorization' },
    });
  }
  const open = { ...state, closed: null };
  const documentation = checkReadiness(open, ruleSet, { ...context, now: instantOf(dateOfService) }, (rule) => !AUTHORIZATION_CHECKS.has(rule.check));
  findings.push(...documentation.findings);
  const outcome = outcomeOf(findings);
  return {
    billable: outcome !== 'not_ready',
    outcome,
    findings,
    revision: revision?.revision ?? null,
    authorizationId: authorization?.authorizationId ?? null,
  };
};
