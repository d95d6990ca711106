import { goldenLoopAdvisories, type Advisory, type Icd10Range, type NetworkPolicy } from '@golden-loop/clinical';
import type { PlanContent } from './plan-content';
import { workingContent, type TreatmentPlan } from './plan-state';

export interface AdvisoryOptions {
  /** Goal texts (client and clinical) from the same clinician's other clients' plans: the canned-plan check. */
  readonly otherPlansGoalTexts?: readonly string[];
  readonly policy?: Partial<NetworkPolicy>;
  /** The payer's covered primary-diagnosis ranges; F01-F99 by default. */
  readonly coveredRanges?: readonly Icd10Range[];
}

/** The plan as libs/clinical's golden-loop checks read it: a diagnosis is identified by its code. */
export const goldenLoopView = (content: PlanContent) => ({
  diagnoses: content.diagnoses.map((diagnosis) => ({ id: diagnosis.code, code: diagnosis.code, primary: diagnosis.rank === 'primary' })),
  symptoms: content.symptoms.map((symptom) => ({ id: symptom.symptomId, diagnosisId: symptom.diagnosisCode })),
  impairments: content.impairments.map((impairment) => ({ id: impairment.impairmentId, diagnosisId: impairment.diagnosisCode })),
  goals: content.goals.map((goal) => ({
    id: goal.goalId,
    status: goal.status,
    clientGoal: goal.clientGoal,
    clinicalGoal: goal.clinicalGoal,
    addresses: goal.addresses,
  })),
  objectives: content.objectives.map((objective) => ({
    id: objective.objectiveId,
    goalId: objective.goalId,
    status: objective.status,
    measure: objective.measure,
    targetDate: objective.targetDate,
  })),
});

/**
 * Warnings for the clinician, never refusals: more active goals than the network's limit, objectives without a
 * measure or target date, goals not traced to a covered diagnosis, goal texts identical to other clients' plans
 * (canned plans), and a primary diagnosis payers do not cover. None for a closed plan. Judged on the content being worked on: the open
 * draft revision if there is one (what the clinician is about to sign), else the plan in effect.
 */
export const advisoriesFor = (plan: TreatmentPlan, options: AdvisoryOptions = {}): Advisory[] => {
  if (plan.status !== 'open') return [];
  const content = workingContent(plan);
  // Stryker disable next-line ArrayDeclaration: an open plan always has content (the draft of revision 1 until it takes effect)
  return content ? goldenLoopAdvisories(goldenLoopView(content), options) : [];
};
