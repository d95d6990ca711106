import { join } from 'node:path';
import { loadRuleSets } from '../rule-sets/rule-set-loader';
import { checkReadiness, outcomeOf } from './check';
import type { Finding } from './events';
import type { RuleSet } from './rule-set';
import { cliniciansOf, clinicianSignerOf, initialState, revisionInEffectOn, sessionsUsed } from './state';
import { aCompliantPlan, credentialsOf, daysFromNow, IDS, NOW } from './testing/readiness-builders';

const medicaid = loadRuleSets(join(__dirname, '..', '..', 'rule-sets')).ruleSets.get('medicaid-standard')!;
const context = { now: NOW, credentialsOf: credentialsOf() };
const OTHER = 'a4e8c1f3-9d27-4b6a-b5e0-3c7d8f1a2b99';

describe('what a check reads of the state', () => {
  test('a plan billing has not heard of knows nothing', () => {
    expect(initialState()).toEqual({
      planId: null,
      opened: null,
      closed: null,
      revisions: [],
      latestRevision: 0,
      pendingSignatures: {},
      assessments: [],
      pendingChanges: [],
      progress: { goalsMet: [], objectivesMet: [] },
      tasks: [],
      authorizations: [],
      sessions: [],
      reauthorizations: [],
      lastCheck: null,
      checks: 0,
    });
  });

  test('the clinicians whose credentials a check may need: the treating clinician and every clinician signer, once each', () => {
    const [first] = aCompliantPlan().revisions;
    const TREATING = 'a4e8c1f3-9d27-4b6a-b5e0-3c7d8f1a2b98';
    const plan = aCompliantPlan({
      opened: { ...aCompliantPlan().opened!, clinicianId: TREATING },
      revisions: [first, { ...first, revision: 2, signatures: { client: first.signatures.client } }],
      pendingSignatures: { 3: { clinician: { signerId: OTHER, signedAt: daysFromNow(-1) } }, 4: { client: first.signatures.client } },
    });
    expect(cliniciansOf(plan)).toEqual([TREATING, IDS.clinician, OTHER]);
    expect(cliniciansOf(aCompliantPlan())).toEqual([IDS.clinician]);
    expect(cliniciansOf(initialState())).toEqual([]);
  });

  test('the clinician signer is the one who signed the revision in effect, if any', () => {
    const [first] = aCompliantPlan().revisions;
    expect(clinicianSignerOf(aCompliantPlan())).toBe(IDS.clinician);
    expect(clinicianSignerOf(aCompliantPlan({ revisions: [{ ...first, signatures: { client: first.signatures.client } }] }))).toBeNull();
    expect(clinicianSignerOf(aCompliantPlan({ revisions: [] }))).toBeNull();
  });

  test('the revision in effect on a date is the newest one in effect by that day; none before the first', () => {
    const [first] = aCompliantPlan().revisions;
    const plan = aCompliantPlan({ revisions: [first, { ...first, revision: 2, revisedAt: '2026-03-05T23:00:00.000Z' }] });
    expect(revisionInEffectOn(plan, '2026-02-27')).toBeNull();
    expect(revisionInEffectOn(plan, '2026-03-04')?.revision).toBe(1);
    expect(revisionInEffectOn(plan, '2026-03-05')?.revision).toBe(2);
  });

  test('the sessions used of an authorization are those drawn from it', () => {
    const plan = aCompliantPlan();
    expect(sessionsUsed({ ...plan, sessions: [...plan.sessions, { ...plan.sessions[0], sessionId: 's-other', authorizationId: 'other' }] }, IDS.authorization)).toBe(2);
  });
});

describe('a check (docs/payer-rules.md, "What a check is")', () => {
  const finding = (severity: Finding['severity']): Finding => ({ code: 'assessment_due_soon', rule: 'r', severity, evidence: {}, fix: { code: 'revise_plan' } });

  test('is not_ready with any error, at_risk with any warning, ready otherwise', () => {
    expect(outcomeOf([finding('warning'), finding('error')])).toBe('not_ready');
    expect(outcomeOf([finding('warning')])).toBe('at_risk');
    expect(outcomeOf([])).toBe('ready');
  });

  test('of a closed plan is not_ready with the built-in finding plan_closed, and nothing to re-check', () => {
    const closedAt = daysFromNow(-1);
    expect(checkReadiness(aCompliantPlan({ closed: { closedAt, reason: 'treatment_completed' } }), medicaid, context)).toEqual({
      outcome: 'not_ready',
      findings: [{ code: 'plan_closed', rule: 'billing.plan-open', severity: 'error', evidence: { closedAt }, fix: { code: 'open_new_plan' } }],
      nextCheckAt: null,
    });
  });

  test('is next due at the earliest boundary after now that any rule reports', () => {
    // Medicaid: the assessment warning from 2026-03-28T10:00Z is the earliest; the review interval and authorization come later.
    expect(checkReadiness(aCompliantPlan(), medicaid, context).nextCheckAt).toEqual(new Date('2026-03-28T10:00:00.000Z'));
    const laterFirst: RuleSet = { ...medicaid, rules: [...medicaid.rules].reverse() };
    expect(checkReadiness(aCompliantPlan(), laterFirst, context).nextCheckAt).toEqual(new Date('2026-03-28T10:00:00.000Z'));
  });

  test('a boundary at now itself is not a reason to re-check', () => {
    const atWarning = { now: new Date('2026-03-28T10:00:00.000Z'), credentialsOf: credentialsOf() };
    const assessmentOnly: RuleSet = { ...medicaid, rules: medicaid.rules.filter((rule) => rule.check === 'assessment-window') };
    expect(checkReadiness(aCompliantPlan(), assessmentOnly, atWarning).nextCheckAt).toEqual(new Date('2026-04-04T10:00:00.000Z'));
    const none: RuleSet = { ...medicaid, rules: medicaid.rules.filter((rule) => rule.check === 'revision-signed') };
    expect(checkReadiness(aCompliantPlan(), none, context)).toEqual({ outcome: 'ready', findings: [], nextCheckAt: null });
  });

  test('may be narrowed to some rules', () => {
    const result = checkReadiness(aCompliantPlan({ assessments: [] }), medicaid, context, (rule) => rule.check !== 'assessment-window');
    expect(result).toMatchObject({ outcome: 'ready', findings: [] });
  });
});
