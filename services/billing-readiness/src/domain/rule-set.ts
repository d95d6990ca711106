import type { ClinicianCredential, InstrumentCode } from '@golden-loop/contracts';

// A payer rule set as the checks read it: loaded and validated from `rule-sets/*.json` (src/rule-sets), each rule a
// stable id, the check it runs with its parameters, and its source. Every check is described in docs/payer-rules.md.

export const RULE_CHECKS = [
  'primary-diagnosis-covered',
  'goals-linked-to-diagnosis',
  'active-goal-required',
  'active-goal-focus',
  'objectives-measurable',
  'objective-target-dates',
  'interventions-documented',
  'service-parameters-stated',
  'revision-signed',
  'clinician-credentials',
  'clinical-change-answered',
  'plan-update-task-not-overdue',
  'assessment-window',
  'plan-review-interval',
  'authorization-required',
  'authorization-capacity',
  'signed-plan-after-visits',
] as const;

export type RuleCheck = (typeof RULE_CHECKS)[number];

/** `error` makes a plan not_ready, `warning` at_risk. A rule's `severity` replaces the level of its failing finding. */
export type FindingSeverity = 'error' | 'warning';

export interface Icd10Range {
  readonly from: string;
  readonly to: string;
}

/** The parameters of each check; a check without parameters takes `{}`. */
export interface RuleParams {
  readonly 'primary-diagnosis-covered': { readonly coveredRanges: readonly Icd10Range[] };
  readonly 'goals-linked-to-diagnosis': Record<string, never>;
  readonly 'active-goal-required': Record<string, never>;
  readonly 'active-goal-focus': { readonly maxActiveGoals: number };
  readonly 'objectives-measurable': Record<string, never>;
  readonly 'objective-target-dates': Record<string, never>;
  readonly 'interventions-documented': Record<string, never>;
  readonly 'service-parameters-stated': Record<string, never>;
  readonly 'revision-signed': Record<string, never>;
  readonly 'clinician-credentials': { readonly accepted: readonly ClinicianCredential[] };
  readonly 'clinical-change-answered': Record<string, never>;
  readonly 'plan-update-task-not-overdue': Record<string, never>;
  readonly 'assessment-window': { readonly windowDays: number; readonly warnDays: number; readonly instruments?: readonly InstrumentCode[] };
  readonly 'plan-review-interval': { readonly maxIntervalDays: number; readonly warnDays: number };
  readonly 'authorization-required': Record<string, never>;
  readonly 'authorization-capacity': { readonly lowSessions: number; readonly endingSoonDays: number };
  readonly 'signed-plan-after-visits': {
    readonly afterVisits: number;
    readonly warnVisits: number;
    readonly accepted?: readonly ClinicianCredential[];
  };
}

export type RuleOf<C extends RuleCheck> = {
  /** Stable id, e.g. `medicaid.assessment-within-30-days`; findings name it. */
  readonly id: string;
  readonly check: C;
  readonly params: RuleParams[C];
  /** Where the rule comes from (docs/clinical-rules.md, LCD L33632, QualChoice BI273, a state Medicaid manual, CMS-0057-F). */
  readonly source: string;
  readonly severity?: FindingSeverity;
};

export type Rule = { [C in RuleCheck]: RuleOf<C> }[RuleCheck];

export interface RuleSet {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  /** sha-256 of the file as loaded: a change with the same version is still a change. */
  readonly hash: string;
  readonly rules: readonly Rule[];
}

/** Which rule set checks a payer's plans: a configured payer's own, the default otherwise. */
export type RuleSetOf = (payerId: string) => RuleSet;

export const rulesOf = <C extends RuleCheck>(ruleSet: RuleSet, check: C): RuleOf<C>[] =>
  ruleSet.rules.filter((rule) => rule.check === check) as unknown as RuleOf<C>[];
