import { isCoveredPrimaryDiagnosis } from '@golden-loop/clinical';
import { SERVICE_PARAMETERS } from '@golden-loop/contracts';
import { revisionInEffect } from '../state';
import { finding, passes, result, type RuleEvaluator } from './rule-evaluation';

// The plan's content as a payer reads it (docs/clinical-rules.md, "Payer medical-necessity checks"; docs/payer-rules.md).
// Content rules read the revision in effect: a draft nobody signed documents nothing yet (revision-signed says so).

export const primaryDiagnosisCovered: RuleEvaluator<'primary-diagnosis-covered'> = (rule, state) => {
  const diagnoses = revisionInEffect(state)?.plan.diagnoses ?? state.opened?.diagnoses ?? [];
  const primary = diagnoses.find((diagnosis) => diagnosis.rank === 'primary');
  if (!primary) {
    return result([finding(rule, 'primary_diagnosis_missing', 'add_covered_primary_diagnosis', { diagnosisCodes: diagnoses.map((d) => d.code) }, 'failing')]);
  }
  if (!isCoveredPrimaryDiagnosis(primary.code, rule.params.coveredRanges)) {
    return result([finding(rule, 'primary_diagnosis_not_covered', 'add_covered_primary_diagnosis', { diagnosisCodes: [primary.code] }, 'failing')]);
  }
  return passes;
};

const activeGoalsOf = (state: Parameters<RuleEvaluator<'active-goal-required'>>[1]) =>
  revisionInEffect(state)?.plan.goals.filter((goal) => goal.status === 'active') ?? null;

export const goalsLinkedToDiagnosis: RuleEvaluator<'goals-linked-to-diagnosis'> = (rule, state) => {
  const inEffect = revisionInEffect(state);
  if (!inEffect) return passes;
  const codes = new Set(inEffect.plan.diagnoses.map((diagnosis) => diagnosis.code));
  const unlinked = inEffect.plan.goals.filter((goal) => goal.status === 'active' && !goal.diagnosisCodes.some((code) => codes.has(code)));
  return unlinked.length === 0
    ? passes
    : result([finding(rule, 'goal_not_linked_to_diagnosis', 'link_goal_to_diagnosis', { goalIds: unlinked.map((goal) => goal.goalId) }, 'failing')]);
};

export const activeGoalRequired: RuleEvaluator<'active-goal-required'> = (rule, state) => {
  const active = activeGoalsOf(state);
  return active === null || active.length > 0 ? passes : result([finding(rule, 'no_active_goal', 'add_active_goal', { activeGoalCount: 0 }, 'failing')]);
};

export const activeGoalFocus: RuleEvaluator<'active-goal-focus'> = (rule, state) => {
  const active = activeGoalsOf(state);
  return active === null || active.length <= rule.params.maxActiveGoals
    ? passes
    : result([finding(rule, 'too_many_active_goals', 'focus_active_goals', { activeGoalCount: active.length }, 'failing')]);
};

const activeObjectivesOf = (state: Parameters<RuleEvaluator<'objectives-measurable'>>[1]) =>
  revisionInEffect(state)?.plan.objectives.filter((objective) => objective.status === 'active') ?? [];

export const objectivesMeasurable: RuleEvaluator<'objectives-measurable'> = (rule, state) => {
  const unmeasured = activeObjectivesOf(state).filter((objective) => objective.measure === null);
  return unmeasured.length === 0
    ? passes
    : result([finding(rule, 'objective_not_measurable', 'make_objective_measurable', { objectiveIds: unmeasured.map((o) => o.objectiveId) }, 'failing')]);
};

export const objectiveTargetDates: RuleEvaluator<'objective-target-dates'> = (rule, state) => {
  const undated = activeObjectivesOf(state).filter((objective) => objective.targetDate === null);
  return undated.length === 0
    ? passes
    : result([finding(rule, 'objective_target_date_missing', 'set_objective_target_date', { objectiveIds: undated.map((o) => o.objectiveId) }, 'failing')]);
};

export const interventionsDocumented: RuleEvaluator<'interventions-documented'> = (rule, state) => {
  const inEffect = revisionInEffect(state);
  if (!inEffect) return passes;
  const { interventions } = inEffect.plan;
  const withoutFrequency = interventions.filter((intervention) => intervention.frequency === null);
  if (interventions.length > 0 && withoutFrequency.length === 0) return passes;
  return result([
    finding(rule, 'interventions_not_documented', 'document_interventions', { interventionIds: withoutFrequency.map((i) => i.interventionId) }, 'failing'),
  ]);
};

export const serviceParametersStated: RuleEvaluator<'service-parameters-stated'> = (rule, state) => {
  const inEffect = revisionInEffect(state);
  if (!inEffect) return passes;
  const { service } = inEffect.plan;
  const stated: Record<(typeof SERVICE_PARAMETERS)[number], boolean> = {
    session_type: service.sessionType !== null,
    session_minutes: service.sessionMinutes !== null,
    frequency: service.frequency !== null,
    expected_duration: service.expectedDurationWeeks !== null,
  };
  const missing = SERVICE_PARAMETERS.filter((parameter) => !stated[parameter]);
  return missing.length === 0
    ? passes
    : result([finding(rule, 'service_parameters_missing', 'complete_service_parameters', { revision: inEffect.revision, missingServiceParameters: missing }, 'failing')]);
};
