import { join } from 'node:path';
import { loadRuleSets } from '../rule-sets/rule-set-loader';
import { precheckSession } from './precheck';
import type { RuleSet } from './rule-set';
import { aCompliantPlan, credentialsOf, IDS, NOW } from './testing/readiness-builders';

// The pre-claim check (docs/payer-rules.md, "Pre-claim check"): is a session billable on its date? It stores nothing.
// The compliant plan: revision 1 in effect since 2026-02-28, PA-1 covers 90837 and 90834 from 2026-02-08 to 2026-05-09.

const ruleSets = loadRuleSets(join(__dirname, '..', '..', 'rule-sets')).ruleSets;
const medicaid = ruleSets.get('medicaid-standard')!;
const context = { now: NOW, credentialsOf: credentialsOf() };
const withoutAuthorizationRules: RuleSet = { ...medicaid, rules: medicaid.rules.filter((rule) => !rule.check.startsWith('authorization-')) };
const precheck = (state = aCompliantPlan(), dateOfService = '2026-03-10', serviceCode = '90837', ruleSet: RuleSet = medicaid) => precheckSession(state, ruleSet, context, { dateOfService, serviceCode });
const requiredRule = medicaid.rules.find((rule) => rule.check === 'authorization-required')!;

describe('a session is billable on its date', () => {
  test('with the plan open, a signed revision in effect, an authorization covering the date and service with a session left', () => {
    expect(precheck()).toEqual({ billable: true, outcome: 'ready', findings: [], revision: 1, authorizationId: IDS.authorization });
  });

  test('warnings do not stop it: at_risk is billable', () => {
    const result = precheck(aCompliantPlan({ pendingChanges: [{ eventId: 'e-1', kind: 'goal_met', occurredAt: NOW.toISOString() }] }));
    expect(result).toMatchObject({ billable: true, outcome: 'at_risk' });
  });
});

describe('a session is not billable', () => {
  test('on or after the day the plan was closed: plan_closed', () => {
    const closed = aCompliantPlan({ closed: { closedAt: '2026-03-10T08:00:00.000Z', reason: 'treatment_completed' } });
    expect(precheck(closed, '2026-03-10').findings).toEqual([
      { code: 'plan_closed', rule: 'billing.plan-open', severity: 'error', evidence: { closedAt: '2026-03-10T08:00:00.000Z', dateOfService: '2026-03-10' }, fix: { code: 'open_new_plan' } },
    ]);
    expect(precheck(closed, '2026-03-09')).toMatchObject({ billable: true, findings: [] });
  });

  test('before a signed revision took effect: plan_not_in_effect_on_date_of_service (the revision in effect that day counts)', () => {
    expect(precheck(aCompliantPlan(), '2026-02-27')).toMatchObject({
      billable: false,
      outcome: 'not_ready',
      revision: null,
      findings: [
        {
          code: 'plan_not_in_effect_on_date_of_service',
          rule: 'billing.plan-in-effect-on-date-of-service',
          severity: 'error',
          evidence: { dateOfService: '2026-02-27' },
          fix: { code: 'sign_plan_before_service' },
        },
      ],
    });
    expect(precheck(aCompliantPlan(), '2026-02-28')).toMatchObject({ billable: true, revision: 1 });
    const [first] = aCompliantPlan().revisions;
    const two = aCompliantPlan({ revisions: [first, { ...first, revision: 2, revisedAt: '2026-03-05T09:00:00.000Z' }] });
    expect(precheck(two, '2026-03-04').revision).toBe(1);
    expect(precheck(two, '2026-03-05').revision).toBe(2);
  });

  test('without an authorization for the date and service when the payer requires one: service_not_authorized', () => {
    expect(precheck(aCompliantPlan(), '2026-03-10', '90791')).toEqual({
      billable: false,
      outcome: 'not_ready',
      findings: [{ code: 'service_not_authorized', rule: requiredRule.id, severity: 'error', evidence: { serviceCode: '90791', dateOfService: '2026-03-10' }, fix: { code: 'request_authorization' } }],
      revision: 1,
      authorizationId: null,
    });
    expect(precheck(aCompliantPlan(), '2026-05-10').findings.map((f) => f.code)).toContain('service_not_authorized');
  });

  test('a payer that requires no authorization bills without one', () => {
    expect(precheck(aCompliantPlan({ authorizations: [], sessions: [] }), '2026-03-10', '90837', withoutAuthorizationRules)).toMatchObject({ billable: true, findings: [], authorizationId: null });
  });

  test('with every authorized session used: authorization_sessions_exhausted', () => {
    const base = aCompliantPlan();
    const used = aCompliantPlan({ sessions: Array.from({ length: 20 }, (_, i) => ({ ...base.sessions[0], sessionId: `s-${i}` })) });
    const exhausted = {
      code: 'authorization_sessions_exhausted',
      rule: requiredRule.id,
      severity: 'error',
      evidence: { authorizationId: IDS.authorization, sessionsAuthorized: 20, sessionsUsed: 20, sessionsRemaining: 0, authorizationEndsOn: base.authorizations[0].endsOn, serviceCode: '90837', dateOfService: '2026-03-10' },
      fix: { code: 'request_reauthorization' },
    };
    expect(precheck(used).findings).toEqual([exhausted]);
    expect(precheck(used, '2026-03-10', '90837', withoutAuthorizationRules).findings).toEqual([{ ...exhausted, rule: 'billing.service-authorized-on-date-of-service' }]);
    const nineteen = aCompliantPlan({ sessions: used.sessions.slice(1) });
    expect(precheck(nineteen).findings.map((f) => f.code)).not.toContain('authorization_sessions_exhausted');
  });

  test('when a documentation rule fails, read at midday of the date of service', () => {
    // The assessment of 2026-03-05T10:00Z is outside Medicaid's 30-day window from 2026-04-04T10:00Z: on 2026-04-04 at midday.
    expect(precheck(aCompliantPlan(), '2026-04-03').findings.map((f) => f.code)).toEqual(['assessment_due_soon']);
    expect(precheck(aCompliantPlan(), '2026-04-04')).toMatchObject({ billable: false, findings: [expect.objectContaining({ code: 'assessment_outside_window' })] });
  });
});
