import { revisionInEffect } from '../state';
import { addDays, finding, passes, result, type RuleEvaluator } from './rule-evaluation';

// Rules that time alone can break: each answers the instant it will change, so the plan is re-checked then
// (docs/payer-rules.md, "Time"). A rule holds while now < deadline; it warns from deadline - warnDays.

export const assessmentWindow: RuleEvaluator<'assessment-window'> = (rule, state, { now }) => {
  const { windowDays, warnDays, instruments } = rule.params;
  const latest = state.assessments
    .filter((assessment) => instruments === undefined || instruments.includes(assessment.instrument))
    .reduce<(typeof state.assessments)[number] | null>((last, assessment) => (last === null || assessment.assessedAt > last.assessedAt ? assessment : last), null);
  if (latest === null) {
    return result([finding(rule, 'assessment_outside_window', 'record_standardized_assessment', { windowDays }, 'failing')]);
  }
  const deadline = addDays(latest.assessedAt, windowDays);
  const warnFrom = addDays(deadline, -warnDays);
  const evidence = { assessmentIds: [latest.assessmentId], instrument: latest.instrument, lastAssessedAt: latest.assessedAt, windowDays, dueAt: deadline.toISOString() };
  if (now >= deadline) return result([finding(rule, 'assessment_outside_window', 'record_standardized_assessment', evidence, 'failing')]);
  if (now >= warnFrom) return result([finding(rule, 'assessment_due_soon', 'record_standardized_assessment', evidence, 'warning')], [deadline]);
  return result([], [warnFrom]);
};

export const planReviewInterval: RuleEvaluator<'plan-review-interval'> = (rule, state, { now }) => {
  const inEffect = revisionInEffect(state);
  if (!inEffect) return passes;
  const { maxIntervalDays, warnDays } = rule.params;
  const deadline = addDays(inEffect.revisedAt, maxIntervalDays);
  const warnFrom = addDays(deadline, -warnDays);
  const evidence = { revision: inEffect.revision, revisedAt: inEffect.revisedAt, maxIntervalDays, dueAt: deadline.toISOString() };
  if (now >= deadline) return result([finding(rule, 'plan_review_interval_exceeded', 'revise_plan', evidence, 'failing')]);
  if (now >= warnFrom) return result([finding(rule, 'plan_review_due_soon', 'revise_plan', evidence, 'warning')], [deadline]);
  return result([], [warnFrom]);
};
