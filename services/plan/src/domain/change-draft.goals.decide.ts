import { activeGoal, existingDiagnosis, inRevision, type ChangeContext } from './change-draft.context';
import { discontinueObjective } from './change-draft.objectives.decide';
import type { AddGoal, DiscontinueGoal, ReviseGoal } from './commands';
import { CollectionFull, FieldInvalid, GoalNotLinked, IdAlreadyUsed, NotFoundInPlan } from './errors';
import type { PlanEvent } from './events';
import { linkKind, listOf, optionalText, requireId, requireText } from './field-rules';
import { diagnosisCodesOf, type Goal, type ProblemLink } from './plan-content';
import { PLAN_LIMITS, TEXT_LIMITS } from './plan-limits';

// The draft's goals: each in the client's words and in clinical words, and linked to at least one diagnosis,
// symptom or impairment of the plan (the golden loop).

// A guard that narrows to unknown elements, where Array.isArray would narrow to any[].
const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

/** Every link must name a diagnosis, symptom or impairment of this plan (the golden loop). */
const problemLinks = (context: ChangeContext, value: readonly ProblemLink[] | undefined): ProblemLink[] => {
  if (!isList(value) || value.length === 0) throw new GoalNotLinked();
  listOf('addresses', value, 'A goal', PLAN_LIMITS.linksPerGoal);
  const links = value.map((link, index) => {
    const field = `addresses[${index}]`;
    const kind = linkKind(`${field}.kind`, link?.kind);
    switch (kind) {
      case 'diagnosis':
        return { kind, id: existingDiagnosis(context, `${field}.id`, link.id).code };
      case 'symptom':
        if (!context.content.symptoms.some((symptom) => symptom.symptomId === link.id)) {
          throw new NotFoundInPlan('symptom', String(link.id), `${field}.id`);
        }
        return { kind, id: link.id };
      case 'impairment':
        if (!context.content.impairments.some((impairment) => impairment.impairmentId === link.id)) {
          throw new NotFoundInPlan('impairment', String(link.id), `${field}.id`);
        }
        return { kind, id: link.id };
      // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustiveness check; linkKind has already refused any other kind
      default: {
        const unknownKind: never = kind;
        return unknownKind;
      }
    }
  });
  links.forEach((link, index) => {
    if (links.findIndex((other) => other.kind === link.kind && other.id === link.id) < index) {
      throw new FieldInvalid(`addresses[${index}]`, `The ${link.kind} ${link.id} is listed twice.`);
    }
  });
  return links;
};

const CLIENT_GOAL = "The client goal, in the client's own words,";
const CLINICAL_GOAL = 'The clinical goal';

export const addGoal = ({ data }: AddGoal, context: ChangeContext): PlanEvent[] => {
  // Met and discontinued goals count: PlanRevised lists every goal of the plan.
  if (context.content.goals.length >= PLAN_LIMITS.goals) {
    throw new CollectionFull('goals', PLAN_LIMITS.goals, 'met and discontinued goals count too, so revise an existing goal instead');
  }
  const goalId = requireId('goalId', data.goalId);
  if (context.content.goals.some((goal) => goal.goalId === goalId)) throw new IdAlreadyUsed('goal', goalId, 'goalId');
  const goal: Goal = {
    goalId,
    clientGoal: requireText('clientGoal', data.clientGoal, CLIENT_GOAL, TEXT_LIMITS.goal),
    clinicalGoal: requireText('clinicalGoal', data.clinicalGoal, CLINICAL_GOAL, TEXT_LIMITS.goal),
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
        clientGoal: data.clientGoal === undefined ? goal.clientGoal : requireText('clientGoal', data.clientGoal, CLIENT_GOAL, TEXT_LIMITS.goal),
        clinicalGoal:
          data.clinicalGoal === undefined ? goal.clinicalGoal : requireText('clinicalGoal', data.clinicalGoal, CLINICAL_GOAL, TEXT_LIMITS.goal),
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
        reason: optionalText('reason', data.reason, 'The reason', TEXT_LIMITS.note),
        discontinuedAt: context.now,
      },
    },
    ...context.content.objectives
      .filter((objective) => objective.goalId === goal.goalId && objective.status === 'active')
      .flatMap((objective) => discontinueObjective(context, objective.objectiveId, 'goal_discontinued')),
  ];
};
