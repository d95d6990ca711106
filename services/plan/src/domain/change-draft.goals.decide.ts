import { activeGoal, existingDiagnosis, inRevision, type ChangeContext } from './change-draft.context';
import { discontinueObjective } from './change-draft.objectives.decide';
import type { AddGoal, DiscontinueGoal, ReviseGoal } from './commands';
import { CollectionFull, FieldInvalid, GoalNotLinked, IdAlreadyUsed, NotFoundInPlan } from './errors';
import type { PlanEvent } from './events';
import { diagnosisCodesOf, type Goal, type ProblemLink } from './plan-content';
import { PLAN_LIMITS } from './plan-limits';

// The draft's goals: each in the client's words and in clinical words, and linked to at least one diagnosis,
// symptom or impairment of the plan (the golden loop).

/** Every link must name a diagnosis, symptom or impairment of this plan (the golden loop). */
const problemLinks = (context: ChangeContext, addresses: readonly ProblemLink[]): ProblemLink[] => {
  if (addresses.length === 0) throw new GoalNotLinked();
  addresses.forEach((link, index) => {
    const field = `addresses[${index}].id`;
    switch (link.kind) {
      case 'diagnosis':
        existingDiagnosis(context, field, link.id);
        break;
      case 'symptom':
        if (!context.content.symptoms.some((symptom) => symptom.symptomId === link.id)) throw new NotFoundInPlan('symptom', link.id, field);
        break;
      case 'impairment':
        if (!context.content.impairments.some((impairment) => impairment.impairmentId === link.id)) throw new NotFoundInPlan('impairment', link.id, field);
        break;
      // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustiveness check; parsing refused any other kind (linkKind)
      default: {
        const unknownKind: never = link.kind;
        void unknownKind;
      }
    }
  });
  addresses.forEach((link, index) => {
    if (addresses.findIndex((other) => other.kind === link.kind && other.id === link.id) < index) {
      throw new FieldInvalid(`addresses[${index}]`, `The ${link.kind} ${link.id} is listed twice.`);
    }
  });
  return [...addresses];
};

export const addGoal = ({ data }: AddGoal, context: ChangeContext): PlanEvent[] => {
  // Met and discontinued goals count: PlanRevised lists every goal of the plan.
  if (context.content.goals.length >= PLAN_LIMITS.goals) {
    throw new CollectionFull('goals', PLAN_LIMITS.goals, 'met and discontinued goals count too, so revise an existing goal instead');
  }
  const { goalId } = data;
  if (context.content.goals.some((goal) => goal.goalId === goalId)) throw new IdAlreadyUsed('goal', goalId, 'goalId');
  const goal: Goal = {
    goalId,
    clientGoal: data.clientGoal,
    clinicalGoal: data.clinicalGoal,
    addresses: problemLinks(context, data.addresses),
    status: 'active',
  };
  return [
    {
      type: 'GoalAdded',
      data: { ...inRevision(context), goal, diagnosisCodes: diagnosisCodesOf(context.content, goal.addresses), addedAt: context.now },
    },
  ];
};

export const reviseGoal = ({ data }: ReviseGoal, context: ChangeContext): PlanEvent[] => {
  const goal = activeGoal(context.content, data.goalId);
  if (data.clientGoal === undefined && data.clinicalGoal === undefined && data.addresses === undefined) {
    throw new FieldInvalid('goalId', 'Say what to revise: the client goal, the clinical goal or what the goal addresses.');
  }
  const addresses = data.addresses === undefined ? goal.addresses : problemLinks(context, data.addresses);
  return [
    {
      type: 'GoalRevised',
      data: {
        ...inRevision(context),
        goalId: goal.goalId,
        clientGoal: data.clientGoal ?? goal.clientGoal,
        clinicalGoal: data.clinicalGoal ?? goal.clinicalGoal,
        addresses,
        diagnosisCodes: diagnosisCodesOf(context.content, addresses),
        revisedAt: context.now,
      },
    },
  ];
};

/** A discontinued goal takes its active objectives with it, and they their interventions. */
export const discontinueGoal = ({ data }: DiscontinueGoal, context: ChangeContext): PlanEvent[] => {
  const goal = activeGoal(context.content, data.goalId);
  return [
    {
      type: 'GoalDiscontinued',
      data: {
        ...inRevision(context),
        goalId: goal.goalId,
        reason: data.reason,
        discontinuedAt: context.now,
      },
    },
    ...context.content.objectives
      .filter((objective) => objective.goalId === goal.goalId && objective.status === 'active')
      .flatMap((objective) => discontinueObjective(context, objective.objectiveId, 'goal_discontinued')),
  ];
};
