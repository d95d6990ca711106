import type { MarkGoalMet, MarkObjectiveMet } from './commands';
import { LastActiveGoal, NotActive, NotFoundInPlan } from './errors';
import type { PlanEvent } from './events';
import { activeGoals, type Goal, type PlanContent } from './plan-content';
import type { OpenedPlan } from './plan-state';

// A goal or an objective met: a fact recorded whenever the plan is open, not a change to a revision, and a
// trigger a later revision answers.

/** The goal as it stands now: in the draft if the draft has it, else in the plan in effect. */
const latestGoal = (plan: OpenedPlan, goalId: string): Goal | undefined =>
  plan.draft?.content.goals.find((goal) => goal.goalId === goalId) ??
  plan.inEffect?.goals.find((goal) => goal.goalId === goalId);

export const markGoalMet = ({ data, metadata }: MarkGoalMet, plan: OpenedPlan): PlanEvent[] => {
  const goal = latestGoal(plan, data.goalId);
  if (!goal) throw new NotFoundInPlan('goal', data.goalId, 'goalId');
  if (goal.status !== 'active') throw new NotActive('goal', goal.goalId, goal.status);
  if (plan.inEffect) {
    const othersActive = (content: PlanContent | undefined) =>
      (content ? activeGoals(content) : []).some((candidate) => candidate.goalId !== goal.goalId);
    if (!othersActive(plan.inEffect) && !othersActive(plan.draft?.content)) throw new LastActiveGoal(goal.goalId);
  }
  return [{ type: 'GoalMet', data: { planId: plan.planId, goalId: goal.goalId, metAt: metadata.now, by: metadata.userId } }];
};

export const markObjectiveMet = ({ data, metadata }: MarkObjectiveMet, plan: OpenedPlan): PlanEvent[] => {
  const objective =
    plan.draft?.content.objectives.find((candidate) => candidate.objectiveId === data.objectiveId) ??
    plan.inEffect?.objectives.find((candidate) => candidate.objectiveId === data.objectiveId);
  if (!objective) throw new NotFoundInPlan('objective', data.objectiveId, 'objectiveId');
  if (objective.status !== 'active') throw new NotActive('objective', objective.objectiveId, objective.status);
  return [
    {
      type: 'ObjectiveMet',
      data: {
        planId: plan.planId,
        goalId: objective.goalId,
        objectiveId: objective.objectiveId,
        metAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};
