import { join } from 'node:path';
import { loadRuleSets } from '../rule-sets/rule-set-loader';
import { checkReadiness, evaluateRule } from './check';
import type { Rule, RuleCheck, RuleOf } from './rule-set';
import type { PlanReadiness } from './state';
import { aCompliantPlan, aRevisedPlan, credentialsOf, daysFromNow, dateFromNow, IDS, NOW } from './testing/readiness-builders';

// Every rule of every shipped rule set (rule-sets/*.json), each shown to hold on a compliant plan and to fail on
// the documentation it forbids (docs/payer-rules.md).

const loaded = loadRuleSets(join(__dirname, '..', '..', 'rule-sets'));
const context = { now: NOW, credentialsOf: credentialsOf() };
const inEffect = (plan: Partial<ReturnType<typeof aRevisedPlan>>): Partial<PlanReadiness> => {
  const base = aCompliantPlan();
  return { revisions: [{ ...base.revisions[0], plan: aRevisedPlan(plan) }] };
};

/** The documentation each check forbids, as a change to the compliant plan. */
const FORBIDDEN: { readonly [C in RuleCheck]: (rule: RuleOf<C>) => Partial<PlanReadiness> & { credentials?: Record<string, never[]> } } = {
  'primary-diagnosis-covered': () => inEffect({ diagnoses: [{ code: 'Z63.0', rank: 'primary' }] }),
  'goals-linked-to-diagnosis': () => inEffect({ goals: [{ goalId: IDS.goal, status: 'active', diagnosisCodes: ['F41.1'] }] }),
  'active-goal-required': () => inEffect({ goals: [{ goalId: IDS.goal, status: 'met', diagnosisCodes: ['F33.1'] }] }),
  'active-goal-focus': (rule) =>
    inEffect({
      goals: Array.from({ length: rule.params.maxActiveGoals + 1 }, (_, i) => ({ goalId: `7c3e5a91-2b4d-4f60-9e8a-1d2c3b4a5f${String(i).padStart(2, '0')}`, status: 'active' as const, diagnosisCodes: ['F33.1'] })),
    }),
  'objectives-measurable': () => inEffect({ objectives: [{ ...aRevisedPlan().objectives[0], measure: null }] }),
  'objective-target-dates': () => inEffect({ objectives: [{ ...aRevisedPlan().objectives[0], targetDate: null }] }),
  'interventions-documented': () => inEffect({ interventions: [] }),
  'service-parameters-stated': () => inEffect({ service: { ...aRevisedPlan().service, sessionType: null, expectedDurationWeeks: null } }),
  'revision-signed': () => ({ revisions: [], pendingSignatures: { 1: { client: { signerId: IDS.client, signedAt: daysFromNow(-1) } } } }),
  'clinician-credentials': () => ({ credentials: { [IDS.clinician]: [] } }),
  'clinical-change-answered': () => ({ pendingChanges: [{ eventId: 'a0000000-0000-4000-8000-000000000001', kind: 'symptoms_changed', occurredAt: daysFromNow(-1) }] }),
  'plan-update-task-not-overdue': () => ({ tasks: [{ taskId: IDS.task, status: 'overdue', reasons: ['reliable_change'], triggeredBy: [], dueAt: daysFromNow(-1) }] }),
  'assessment-window': (rule) => ({ assessments: [{ ...aCompliantPlan().assessments[0], assessedAt: daysFromNow(-rule.params.windowDays - 1) }] }),
  'plan-review-interval': (rule) => ({ revisions: [{ ...aCompliantPlan().revisions[0], revisedAt: daysFromNow(-rule.params.maxIntervalDays - 1) }] }),
  'authorization-required': () => ({ authorizations: [], sessions: [] }),
  'authorization-capacity': () => {
    const plan = aCompliantPlan();
    return { sessions: Array.from({ length: 20 }, (_, i) => ({ ...plan.sessions[0], sessionId: `s-${i}` })) };
  },
  'signed-plan-after-visits': (rule) => {
    const plan = aCompliantPlan();
    return { revisions: [], sessions: Array.from({ length: rule.params.afterVisits }, (_, i) => ({ ...plan.sessions[0], sessionId: `s-${i}`, authorizationId: null })) };
  },
};

const everyRule: [string, Rule][] = [...loaded.ruleSets.values()].flatMap((ruleSet) => ruleSet.rules.map((rule) => [`${ruleSet.id} ${rule.id}`, rule] as [string, Rule]));

describe('every rule of every rule set', () => {
  test('the shipped rule sets are the four documented ones', () => {
    expect([...loaded.ruleSets.keys()].sort()).toEqual(['commercial-default', 'medicaid-standard', 'medicare-l33632', 'qualchoice-bi273']);
  });

  test.each(everyRule)('%s holds on a compliant plan', (_, rule) => {
    expect(evaluateRule(rule, aCompliantPlan(), context).findings).toEqual([]);
  });

  test.each(everyRule)('%s fails on the documentation it forbids', (_, rule) => {
    const { credentials, ...change } = (FORBIDDEN[rule.check] as (r: Rule) => Partial<PlanReadiness> & { credentials?: Record<string, never[]> })(rule);
    const findings = evaluateRule(rule, aCompliantPlan(change), { now: NOW, credentialsOf: credentials ? credentialsOf(credentials) : context.credentialsOf }).findings;
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding.rule).toBe(rule.id);
      expect(finding.severity).toBe(rule.severity ?? (rule.check === 'clinical-change-answered' ? 'warning' : 'error'));
    }
  });

  test.each([...loaded.ruleSets.values()].map((ruleSet) => [ruleSet.id, ruleSet] as const))('a compliant plan is ready under %s', (_, ruleSet) => {
    expect(checkReadiness(aCompliantPlan(), ruleSet, context)).toMatchObject({ outcome: 'ready', findings: [] });
  });
});

describe('time alone changes the answer: at_risk before the failure, and the boundary to re-check at', () => {
  const medicaid = loaded.ruleSets.get('medicaid-standard')!;

  test('an assessment 24 days old is due soon under a 30-day window, and lapses on day 30', () => {
    const plan = aCompliantPlan({ assessments: [{ ...aCompliantPlan().assessments[0], assessedAt: daysFromNow(-24) }] });
    const result = checkReadiness(plan, medicaid, context);
    expect(result.outcome).toBe('at_risk');
    expect(result.findings.map((f) => f.code)).toEqual(['assessment_due_soon']);
    expect(result.nextCheckAt).toEqual(new Date(daysFromNow(6)));
    expect(checkReadiness(plan, medicaid, { ...context, now: new Date(daysFromNow(6)) }).outcome).toBe('not_ready');
  });

  test('a fresh plan is next re-checked when its first warning begins', () => {
    const result = checkReadiness(aCompliantPlan(), medicaid, context);
    // Assessment 5 days old: window 30, warn 7 → warning starts on day 23, i.e. 18 days from now.
    expect(result.nextCheckAt).toEqual(new Date(daysFromNow(18)));
  });

  test('a plan revised 80 days ago is due for its 90-day review', () => {
    const plan = aCompliantPlan({ revisions: [{ ...aCompliantPlan().revisions[0], revisedAt: daysFromNow(-80) }] });
    expect(checkReadiness(plan, medicaid, context).findings.map((f) => f.code)).toEqual(['plan_review_due_soon']);
  });

  test('an authorization with 3 sessions left, ending in 10 days, is low and ending soon', () => {
    const base = aCompliantPlan();
    const plan = aCompliantPlan({
      authorizations: [{ ...base.authorizations[0], endsOn: dateFromNow(9) }],
      sessions: Array.from({ length: 17 }, (_, i) => ({ ...base.sessions[0], sessionId: `s-${i}` })),
    });
    const result = checkReadiness(plan, medicaid, context);
    expect(result.outcome).toBe('at_risk');
    expect(result.findings.map((f) => f.code).sort()).toEqual(['authorization_ending_soon', 'authorization_sessions_low']);
    expect(result.findings[0].evidence).toMatchObject({ sessionsAuthorized: 20, sessionsUsed: 17, sessionsRemaining: 3 });
  });

  test('the commercial visit limit warns from visit 12 and fails from visit 15 without a signed plan', () => {
    const commercial = loaded.ruleSets.get('commercial-default')!;
    const rule = commercial.rules.find((r) => r.check === 'signed-plan-after-visits')!;
    const sessions = (n: number) => Array.from({ length: n }, (_, i) => ({ ...aCompliantPlan().sessions[0], sessionId: `s-${i}` }));
    expect(evaluateRule(rule, aCompliantPlan({ revisions: [], sessions: sessions(12) }), context).findings.map((f) => [f.code, f.severity])).toEqual([['signed_plan_due_by_visit_count', 'warning']]);
    expect(evaluateRule(rule, aCompliantPlan({ revisions: [], sessions: sessions(11) }), context).findings).toEqual([]);
  });

  test('QualChoice accepts a plan signed by a psychiatrist but not by a counsellor after 15 visits', () => {
    const qualchoice = loaded.ruleSets.get('qualchoice-bi273')!;
    const rule = qualchoice.rules.find((r) => r.check === 'signed-plan-after-visits')!;
    const plan = aCompliantPlan({ sessions: Array.from({ length: 15 }, (_, i) => ({ ...aCompliantPlan().sessions[0], sessionId: `s-${i}` })) });
    expect(evaluateRule(rule, plan, context).findings).toEqual([]);
    expect(evaluateRule(rule, plan, { now: NOW, credentialsOf: credentialsOf({ [IDS.clinician]: ['lpc'] }) }).findings).toEqual([
      expect.objectContaining({ code: 'signed_plan_required_after_visits', fix: { code: 'obtain_qualified_signature' } }),
    ]);
  });

  test('a closed plan is not_ready whatever its documentation, with nothing to re-check', () => {
    const result = checkReadiness(aCompliantPlan({ closed: { closedAt: daysFromNow(-1), reason: 'treatment_completed' } }), medicaid, context);
    expect(result).toEqual({ outcome: 'not_ready', findings: [expect.objectContaining({ code: 'plan_closed' })], nextCheckAt: null });
  });
});
