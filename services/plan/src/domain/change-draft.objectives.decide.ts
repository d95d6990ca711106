import { activeGoal, activeObjective, inRevision, type ChangeContext } from './change-draft.context';
import type { AddIntervention, AddObjective, DiscontinueIntervention, ReviseObjective } from './commands';
import { targetDate } from './date-rules';
import { CollectionFull, FieldInvalid, IdAlreadyUsed, NotActive, NotFoundInPlan } from './errors';
import type { PlanEvent } from './events';
import { objectiveMeasure } from './objective-measure';
import { PLAN_LIMITS } from './plan-limits';

// The objectives of a goal and the interventions of an objective. A discontinued objective takes its active
// interventions with it.

/** A target date as given (null: none), held to the plan's treatment. */
const targetDateIn = (context: ChangeContext, given: string | null): string | null =>
  // Stryker disable next-line ConditionalExpression: `false` is equivalent: targetDate(null) gives null too (every comparison with null is false); the guard narrows the type
  given === null ? null : targetDate('targetDate', given, context, context.now);

export const addObjective = ({ data }: AddObjective, context: ChangeContext): PlanEvent[] => {
  if (context.content.objectives.length >= PLAN_LIMITS.objectives) {
    throw new CollectionFull('objectives', PLAN_LIMITS.objectives, 'met and discontinued objectives count too, so revise an existing objective instead');
  }
  const { objectiveId } = data;
  if (context.content.objectives.some((objective) => objective.objectiveId === objectiveId)) {
    throw new IdAlreadyUsed('objective', objectiveId, 'objectiveId');
  }
  const goal = activeGoal(context.content, data.goalId);
  return [
    {
      type: 'ObjectiveAdded',
      data: {
        ...inRevision(context),
        objective: {
          objectiveId,
          goalId: goal.goalId,
          description: data.description,
          measure: data.measure === null ? null : objectiveMeasure('measure', data.measure),
          targetDate: targetDateIn(context, data.targetDate),
          status: 'active',
        },
        addedAt: context.now,
      },
    },
  ];
};

export const reviseObjective = ({ data }: ReviseObjective, context: ChangeContext): PlanEvent[] => {
  const objective = activeObjective(context.content, data.objectiveId);
  if (data.description === undefined && data.measure === undefined && data.targetDate === undefined) {
    throw new FieldInvalid('objectiveId', 'Say what to revise: the description, the measure or the target date.');
  }
  return [
    {
      type: 'ObjectiveRevised',
      data: {
        ...inRevision(context),
        objectiveId: objective.objectiveId,
        goalId: objective.goalId,
        description: data.description ?? objective.description,
        measure:
          data.measure === undefined ? objective.measure : data.measure === null ? null : objectiveMeasure('measure', data.measure),
        targetDate: data.targetDate === undefined ? objective.targetDate : targetDateIn(context, data.targetDate),
        revisedAt: context.now,
      },
    },
  ];
};

export const discontinueObjective = (
  context: ChangeContext,
  objectiveId: string,
  reason: string | null,
): PlanEvent[] => {
  const objective = activeObjective(context.content, objectiveId);
  return [
    {
      type: 'ObjectiveDiscontinued',
      data: {
        ...inRevision(context),
        objectiveId: objective.objectiveId,
        goalId: objective.goalId,
        reason,
        discontinuedAt: context.now,
      },
    },
    ...context.content.interventions
      .filter((intervention) => intervention.objectiveId === objective.objectiveId && intervention.status === 'active')
      .map(
        (intervention): PlanEvent => ({
          type: 'InterventionDiscontinued',
          data: {
            ...inRevision(context),
            interventionId: intervention.interventionId,
            objectiveId: objective.objectiveId,
            reason: 'objective_discontinued',
            discontinuedAt: context.now,
          },
        }),
      ),
  ];
};

export const addIntervention = ({ data }: AddIntervention, context: ChangeContext): PlanEvent[] => {
  // Only active interventions are published, so only they count.
  if (context.content.interventions.filter((intervention) => intervention.status === 'active').length >= PLAN_LIMITS.activeInterventions) {
    throw new CollectionFull('active_interventions', PLAN_LIMITS.activeInterventions, 'discontinue one before adding another');
  }
  const { interventionId } = data;
  if (context.content.interventions.some((intervention) => intervention.interventionId === interventionId)) {
    throw new IdAlreadyUsed('intervention', interventionId, 'interventionId');
  }
  const objective = activeObjective(context.content, data.objectiveId);
  return [
    {
      type: 'InterventionAdded',
      data: {
        ...inRevision(context),
        intervention: {
          interventionId,
          objectiveId: objective.objectiveId,
          modality: data.modality,
          description: data.description,
          frequency: data.frequency,
          status: 'active',
        },
        addedAt: context.now,
      },
    },
  ];
};

export const discontinueIntervention = ({ data }: DiscontinueIntervention, context: ChangeContext): PlanEvent[] => {
  const intervention = context.content.interventions.find((candidate) => candidate.interventionId === data.interventionId);
  if (!intervention) throw new NotFoundInPlan('intervention', data.interventionId, 'interventionId');
  if (intervention.status !== 'active') throw new NotActive('intervention', intervention.interventionId, intervention.status);
  return [
    {
      type: 'InterventionDiscontinued',
      data: {
        ...inRevision(context),
        interventionId: intervention.interventionId,
        objectiveId: intervention.objectiveId,
        reason: data.reason,
        discontinuedAt: context.now,
      },
    },
  ];
};
