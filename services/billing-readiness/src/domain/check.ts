import type { CheckOutcome, Finding } from './events';
import { authorizationCapacity, authorizationRequired } from './rules/authorization.rules';
import {
  activeGoalFocus,
  activeGoalRequired,
  goalsLinkedToDiagnosis,
  interventionsDocumented,
  objectivesMeasurable,
  objectiveTargetDates,
  primaryDiagnosisCovered,
  serviceParametersStated,
} from './rules/documentation.rules';
import type { CheckContext, RuleEvaluator, RuleResult } from './rules/rule-evaluation';
import { clinicalChangeAnswered, clinicianCredentials, planUpdateTaskNotOverdue, revisionSigned, signedPlanAfterVisits } from './rules/signature.rules';
import { assessmentWindow, planReviewInterval } from './rules/timing.rules';
import type { Rule, RuleCheck, RuleSet } from './rule-set';
import type { PlanReadiness } from './state';

// A check is a pure function of (documentation state, rule set, authorizations in the state, now): docs/payer-rules.md.

export const EVALUATORS: { readonly [C in RuleCheck]: RuleEvaluator<C> } = {
  'primary-diagnosis-covered': primaryDiagnosisCovered,
  'goals-linked-to-diagnosis': goalsLinkedToDiagnosis,
  'active-goal-required': activeGoalRequired,
  'active-goal-focus': activeGoalFocus,
  'objectives-measurable': objectivesMeasurable,
  'objective-target-dates': objectiveTargetDates,
  'interventions-documented': interventionsDocumented,
  'service-parameters-stated': serviceParametersStated,
  'revision-signed': revisionSigned,
  'clinician-credentials': clinicianCredentials,
  'clinical-change-answered': clinicalChangeAnswered,
  'plan-update-task-not-overdue': planUpdateTaskNotOverdue,
  'assessment-window': assessmentWindow,
  'plan-review-interval': planReviewInterval,
  'authorization-required': authorizationRequired,
  'authorization-capacity': authorizationCapacity,
  'signed-plan-after-visits': signedPlanAfterVisits,
};

/** Rule ids of the checks every rule set has, whatever its files say. */
export const BUILT_IN_RULES = {
  planOpen: 'billing.plan-open',
  planInEffectOnDate: 'billing.plan-in-effect-on-date-of-service',
  serviceAuthorized: 'billing.service-authorized-on-date-of-service',
} as const;

export const evaluateRule = (rule: Rule, state: PlanReadiness, context: CheckContext): RuleResult =>
  (EVALUATORS[rule.check] as RuleEvaluator<RuleCheck>)(rule, state, context);

export interface CheckResult {
  readonly outcome: CheckOutcome;
  readonly findings: readonly Finding[];
  /** The earliest instant after now at which time alone may change the answer; null when none. */
  readonly nextCheckAt: Date | null;
}

export const outcomeOf = (findings: readonly Finding[]): CheckOutcome =>
  findings.some((f) => f.severity === 'error') ? 'not_ready' : findings.some((f) => f.severity === 'warning') ? 'at_risk' : 'ready';

export const checkReadiness = (state: PlanReadiness, ruleSet: RuleSet, context: CheckContext, only?: (rule: Rule) => boolean): CheckResult => {
  if (state.closed) {
    const closed: Finding = {
      code: 'plan_closed',
      rule: BUILT_IN_RULES.planOpen,
      severity: 'error',
      evidence: { closedAt: state.closed.closedAt },
      fix: { code: 'open_new_plan' },
    };
    return { outcome: 'not_ready', findings: [closed], nextCheckAt: null };
  }
  const findings: Finding[] = [];
  let nextCheckAt: Date | null = null;
  for (const rule of ruleSet.rules) {
    if (only && !only(rule)) continue;
    const evaluated = evaluateRule(rule, state, context);
    findings.push(...evaluated.findings);
    for (const boundary of evaluated.boundaries) {
      if (boundary > context.now && (nextCheckAt === null || boundary < nextCheckAt)) nextCheckAt = boundary;
    }
  }
  return { outcome: outcomeOf(findings), findings, nextCheckAt };
};
