import { NotActive, NotFoundInPlan } from './errors';
import type { Diagnosis, Goal, Objective, PlanContent } from './plan-content';

// What every change to the draft is decided against: the draft's content, and lookups that refuse an item the
// draft does not hold (or no longer holds active).

export interface ChangeContext {
  readonly planId: string;
  /** When the plan opened: no objective targets a date before it. */
  readonly openedAt: string;
  readonly revision: number;
  readonly by: string;
  readonly now: string;
  readonly content: PlanContent;
}

export const inRevision = (context: ChangeContext) => ({ planId: context.planId, revision: context.revision, by: context.by });

export const existingDiagnosis = (context: ChangeContext, field: string, code: string): Diagnosis => {
  const diagnosis = context.content.diagnoses.find((candidate) => candidate.code === code);
  if (!diagnosis) throw new NotFoundInPlan('diagnosis', code, field);
  return diagnosis;
};

export const activeGoal = (content: PlanContent, goalId: string, field = 'goalId'): Goal => {
  const goal = content.goals.find((candidate) => candidate.goalId === goalId);
  if (!goal) throw new NotFoundInPlan('goal', goalId, field);
  if (goal.status !== 'active') throw new NotActive('goal', goal.goalId, goal.status);
  return goal;
};

export const activeObjective = (content: PlanContent, objectiveId: string, field = 'objectiveId'): Objective => {
  const objective = content.objectives.find((candidate) => candidate.objectiveId === objectiveId);
  if (!objective) throw new NotFoundInPlan('objective', objectiveId, field);
  if (objective.status !== 'active') throw new NotActive('objective', objective.objectiveId, objective.status);
  return objective;
};
