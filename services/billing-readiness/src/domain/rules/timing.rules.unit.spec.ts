import type { AssessmentFact } from '../state';
import { aCompliantPlan, IDS } from '../testing/readiness-builders';
import { aRule, at, contextAt } from '../testing/rule-builders';
import { assessmentWindow, planReviewInterval } from './timing.rules';

// Rules time alone can break (docs/payer-rules.md, "Time"): a rule holds while now < deadline and warns from
// deadline - warnDays; each answers the instant its answer changes next. NOW is 2026-03-10T10:00Z.

const assessment = (assessmentId: string, assessedAt: string, instrument: AssessmentFact['instrument'] = 'PHQ-9'): AssessmentFact => ({
  assessmentId,
  instrument,
  score: 12,
  band: 'moderate',
  assessedAt,
});

describe('assessment-window: a standardized assessment within windowDays (30 days in Medicaid-style programs)', () => {
  const rule = aRule('assessment-window', { windowDays: 30, warnDays: 7 });
  // The latest assessment on 2026-03-05T10:00Z: due 2026-04-04T10:00Z, warning from 2026-03-28T10:00Z.
  const plan = aCompliantPlan({ assessments: [assessment('a-old', '2026-02-01T10:00:00.000Z'), assessment(IDS.assessment, '2026-03-05T10:00:00.000Z'), assessment('a-older', '2026-01-01T10:00:00.000Z')] });
  const evidence = { assessmentIds: [IDS.assessment], instrument: 'PHQ-9', lastAssessedAt: '2026-03-05T10:00:00.000Z', windowDays: 30, dueAt: '2026-04-04T10:00:00.000Z' };

  test('holds on the latest assessment, whatever the order they were recorded in; re-checked when the warning begins', () => {
    expect(assessmentWindow(rule, plan, contextAt())).toEqual({ findings: [], boundaries: [at('2026-03-28T10:00:00.000Z')] });
  });

  test('from warnDays before the window closes: assessment_due_soon, re-checked when it closes', () => {
    expect(assessmentWindow(rule, plan, contextAt('2026-03-28T10:00:00.000Z'))).toEqual({
      findings: [{ code: 'assessment_due_soon', rule: 'test.assessment-window', severity: 'warning', evidence, fix: { code: 'record_standardized_assessment' } }],
      boundaries: [at('2026-04-04T10:00:00.000Z')],
    });
  });

  test('once the window closed: assessment_outside_window', () => {
    expect(assessmentWindow(rule, plan, contextAt('2026-04-04T10:00:00.000Z'))).toEqual({
      findings: [{ code: 'assessment_outside_window', rule: 'test.assessment-window', severity: 'error', evidence, fix: { code: 'record_standardized_assessment' } }],
      boundaries: [],
    });
  });

  test('no assessment at all is outside the window', () => {
    expect(assessmentWindow(rule, aCompliantPlan({ assessments: [] }), contextAt())).toEqual({
      findings: [{ code: 'assessment_outside_window', rule: 'test.assessment-window', severity: 'error', evidence: { windowDays: 30 }, fix: { code: 'record_standardized_assessment' } }],
      boundaries: [],
    });
  });

  test('with instruments named, only an assessment on one of them counts', () => {
    const gad = aRule('assessment-window', { windowDays: 30, warnDays: 7, instruments: ['GAD-7'] });
    expect(assessmentWindow(gad, plan, contextAt()).findings.map((f) => f.code)).toEqual(['assessment_outside_window']);
    const both = aCompliantPlan({ assessments: [assessment('a-gad', '2026-03-01T10:00:00.000Z', 'GAD-7'), ...plan.assessments] });
    expect(assessmentWindow(gad, both, contextAt())).toEqual({ findings: [], boundaries: [at('2026-03-24T10:00:00.000Z')] });
  });
});

describe('plan-review-interval: the revision in effect is no older than maxIntervalDays (90 Medicaid-style, 365 LCD L33632)', () => {
  const rule = aRule('plan-review-interval', { maxIntervalDays: 90, warnDays: 14 });
  // Revision 1 in effect since 2026-02-28T10:00Z: due 2026-05-29T10:00Z, warning from 2026-05-15T10:00Z.
  const evidence = { revision: 1, revisedAt: '2026-02-28T10:00:00.000Z', maxIntervalDays: 90, dueAt: '2026-05-29T10:00:00.000Z' };

  test('holds within the interval, re-checked when the warning begins', () => {
    expect(planReviewInterval(rule, aCompliantPlan(), contextAt())).toEqual({ findings: [], boundaries: [at('2026-05-15T10:00:00.000Z')] });
  });

  test('from warnDays before: plan_review_due_soon, re-checked at the deadline', () => {
    expect(planReviewInterval(rule, aCompliantPlan(), contextAt('2026-05-15T10:00:00.000Z'))).toEqual({
      findings: [{ code: 'plan_review_due_soon', rule: 'test.plan-review-interval', severity: 'warning', evidence, fix: { code: 'revise_plan' } }],
      boundaries: [at('2026-05-29T10:00:00.000Z')],
    });
  });

  test('at the deadline: plan_review_interval_exceeded, revise the plan', () => {
    expect(planReviewInterval(rule, aCompliantPlan(), contextAt('2026-05-29T10:00:00.000Z'))).toEqual({
      findings: [{ code: 'plan_review_interval_exceeded', rule: 'test.plan-review-interval', severity: 'error', evidence, fix: { code: 'revise_plan' } }],
      boundaries: [],
    });
  });

  test('the newest revision in effect counts', () => {
    const [first] = aCompliantPlan().revisions;
    const plan = aCompliantPlan({ revisions: [{ ...first, revisedAt: '2025-06-01T10:00:00.000Z' }, { ...first, revision: 2, revisedAt: '2026-02-28T10:00:00.000Z' }] });
    expect(planReviewInterval(rule, plan, contextAt()).findings).toEqual([]);
  });

  test('before a revision is in effect there is nothing to review yet (revision-signed reports it)', () => {
    expect(planReviewInterval(rule, aCompliantPlan({ revisions: [] }), contextAt('2030-01-01T00:00:00.000Z'))).toEqual({ findings: [], boundaries: [] });
  });
});
