import { DEFAULT_COVERED_PRIMARY_RANGES, isCoveredPrimaryDiagnosis, type Icd10Range } from './icd10';
import { networkPolicy, type NetworkPolicy } from './policy';

/** The plan as plain data, as much of it as the golden-loop checks read. */
export interface GoldenLoopPlan {
  readonly diagnoses: readonly { readonly id: string; readonly code: string; readonly primary: boolean }[];
  readonly symptoms: readonly { readonly id: string; readonly diagnosisId: string }[];
  readonly impairments: readonly { readonly id: string; readonly diagnosisId: string }[];
  readonly goals: readonly GoldenLoopGoal[];
  readonly objectives: readonly GoldenLoopObjective[];
}

/** What a goal can address: the one list (the plan's domain and its API read it from here). */
export const GOAL_LINK_KINDS = ['diagnosis', 'symptom', 'impairment'] as const;
export type GoalLinkKind = (typeof GOAL_LINK_KINDS)[number];

export interface GoalLink {
  readonly kind: GoalLinkKind;
  readonly id: string;
}

export interface GoldenLoopGoal {
  readonly id: string;
  readonly status: 'active' | 'met' | 'discontinued';
  readonly clientGoal: string;
  readonly clinicalGoal: string;
  readonly addresses: readonly GoalLink[];
}

export interface GoldenLoopObjective {
  readonly id: string;
  readonly goalId: string;
  readonly status: 'active' | 'met' | 'discontinued';
  readonly measure?: unknown;
  readonly targetDate?: string | null;
}

export type AdvisoryCode =
  | 'too_many_active_goals'
  | 'objective_without_measure'
  | 'objective_without_target_date'
  | 'goal_not_linked_to_covered_diagnosis'
  | 'canned_goal_text'
  | 'primary_diagnosis_not_covered';

/** A warning for the clinician, never a refusal. */
export interface Advisory {
  readonly code: AdvisoryCode;
  readonly severity: 'warning';
  /** Where the rule comes from. */
  readonly source: string;
  readonly message: string;
  /** The goal, objective or diagnosis the advisory is about, when it is about one. */
  readonly subjectId?: string;
}

export const ADVISORY_SOURCES: Readonly<Record<AdvisoryCode, string>> = {
  too_many_active_goals: 'docs/clinical-rules.md, rule 8 (focus on one goal or objective at a time)',
  objective_without_measure: 'docs/clinical-rules.md, rule 7 and payer check: each objective measurable (instrument or behavioural measure, baseline, target)',
  objective_without_target_date: 'docs/clinical-rules.md, rule 7 and payer check: each objective time-bound with a target date',
  goal_not_linked_to_covered_diagnosis: 'docs/clinical-rules.md, rule 5 (the golden loop): goals address the covered diagnosis, its symptoms and impairments',
  canned_goal_text: 'docs/clinical-rules.md, rule 4 (tailored, not canned)',
  primary_diagnosis_not_covered: 'docs/clinical-rules.md, payer check: primary diagnosis is a covered ICD-10-CM code (F01-F99 by default)',
};

const advisory = (code: AdvisoryCode, message: string, subjectId?: string): Advisory => ({
  code,
  severity: 'warning',
  source: ADVISORY_SOURCES[code],
  message,
  ...(subjectId === undefined ? {} : { subjectId }),
});

export const tooManyActiveGoals = (
  goals: readonly Pick<GoldenLoopGoal, 'status'>[],
  policy: Partial<NetworkPolicy> = {},
): Advisory[] => {
  const { maxActiveGoals } = networkPolicy(policy);
  const active = goals.filter((goal) => goal.status === 'active').length;
  return active > maxActiveGoals
    ? [
        advisory(
          'too_many_active_goals',
          `The plan has ${active} active goals; more than ${maxActiveGoals} makes progress hard to follow. Consider focusing on one goal at a time.`,
        ),
      ]
    : [];
};

const hasValue = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** Active objectives only: a met or discontinued objective no longer needs a measure to be billable. */
export const unmeasurableObjectives = (objectives: readonly GoldenLoopObjective[]): Advisory[] =>
  objectives
    .filter((objective) => objective.status === 'active')
    .flatMap((objective) => [
      ...(hasValue(objective.measure)
        ? []
        : [
            advisory(
              'objective_without_measure',
              'This objective has no measure; add an instrument (such as PHQ-9) or a behavioural measure with a baseline and a target.',
              objective.id,
            ),
          ]),
      ...(hasValue(objective.targetDate)
        ? []
        : [advisory('objective_without_target_date', 'This objective has no target date; add one so progress can be reviewed.', objective.id)]),
    ]);

/**
 * An active goal must trace back to a covered diagnosis: directly, or through a symptom or impairment documented
 * for it. A goal linked only to a Z-code (a relational problem, say) does not show medical necessity.
 */
export const goalsNotLinkedToCoveredDiagnosis = (
  plan: Pick<GoldenLoopPlan, 'diagnoses' | 'symptoms' | 'impairments' | 'goals'>,
  coveredRanges: readonly Icd10Range[] = DEFAULT_COVERED_PRIMARY_RANGES,
): Advisory[] => {
  const covered = new Set(
    plan.diagnoses.filter((diagnosis) => isCoveredPrimaryDiagnosis(diagnosis.code, coveredRanges)).map((d) => d.id),
  );
  const diagnosisOf = (link: GoalLink): string | undefined => {
    switch (link.kind) {
      case 'diagnosis':
        return link.id;
      case 'symptom':
        return plan.symptoms.find((symptom) => symptom.id === link.id)?.diagnosisId;
      case 'impairment':
        return plan.impairments.find((impairment) => impairment.id === link.id)?.diagnosisId;
      default: {
        const unknownKind: never = link.kind;
        void unknownKind;
        return undefined;
      }
    }
  };
  return plan.goals
    .filter((goal) => goal.status === 'active')
    .filter((goal) => !goal.addresses.some((link) => covered.has(diagnosisOf(link) ?? '')))
    .map((goal) =>
      advisory(
        'goal_not_linked_to_covered_diagnosis',
        'This goal is not linked to a covered diagnosis or to a symptom or impairment of one; payers expect every goal to address the diagnosis.',
        goal.id,
      ),
    );
};

/** Case, punctuation and spacing do not make a goal text individual. */
export const normaliseGoalText = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * A goal whose client or clinical text matches, once normalised, a goal text in other clients' plans is a sign
 * of a canned plan. The other texts come from the caller (a read model of the clinician's other plans).
 */
export const cannedGoals = (
  goals: readonly Pick<GoldenLoopGoal, 'id' | 'status' | 'clientGoal' | 'clinicalGoal'>[],
  otherPlansGoalTexts: readonly string[],
): Advisory[] => {
  const others = new Set(otherPlansGoalTexts.map(normaliseGoalText).filter((text) => text !== ''));
  return goals
    .filter((goal) => goal.status === 'active')
    .filter((goal) => [goal.clientGoal, goal.clinicalGoal].some((text) => others.has(normaliseGoalText(text))))
    .map((goal) =>
      advisory(
        'canned_goal_text',
        "This goal's wording is identical to a goal in another client's plan; tailor it to this client's own words and needs.",
        goal.id,
      ),
    );
};

export const primaryDiagnosisNotCovered = (
  diagnoses: GoldenLoopPlan['diagnoses'],
  coveredRanges: readonly Icd10Range[] = DEFAULT_COVERED_PRIMARY_RANGES,
): Advisory[] =>
  diagnoses
    .filter((diagnosis) => diagnosis.primary && !isCoveredPrimaryDiagnosis(diagnosis.code, coveredRanges))
    .map((diagnosis) =>
      advisory(
        'primary_diagnosis_not_covered',
        `The primary diagnosis ${diagnosis.code} is not a covered primary diagnosis; payers may not authorize care under it.`,
        diagnosis.id,
      ),
    );

export interface GoldenLoopOptions {
  readonly otherPlansGoalTexts?: readonly string[];
  readonly policy?: Partial<NetworkPolicy>;
  readonly coveredRanges?: readonly Icd10Range[];
}

/** Every golden-loop advisory for a plan, in a stable order. */
export const goldenLoopAdvisories = (plan: GoldenLoopPlan, options: GoldenLoopOptions = {}): Advisory[] => [
  ...primaryDiagnosisNotCovered(plan.diagnoses, options.coveredRanges),
  ...tooManyActiveGoals(plan.goals, options.policy),
  ...goalsNotLinkedToCoveredDiagnosis(plan, options.coveredRanges),
  ...cannedGoals(plan.goals, options.otherPlansGoalTexts ?? []),
  ...unmeasurableObjectives(plan.objectives),
];
