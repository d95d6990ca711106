import type { ChangeContext } from './change-draft.context';
import { addGoal, discontinueGoal, reviseGoal } from './change-draft.goals.decide';
import { addIntervention, addObjective, discontinueIntervention, discontinueObjective, reviseObjective } from './change-draft.objectives.decide';
import {
  addDiagnosis,
  addImpairment,
  addSymptom,
  changeService,
  removeDiagnosis,
  removeImpairment,
  removeSymptom,
  setPrimaryDiagnosis,
} from './change-draft.problems.decide';
import type { RevisionChangeCommand } from './commands';
import { FieldInvalid } from './errors';
import type { PlanEvent } from './events';
import { openDraft, type OpenedPlan } from './plan-state';

// A change to what the open draft revision agrees on, one decision per command (change-draft.problems, .goals and
// .objectives); a change to a draft that someone already signed voids their signatures first.

export const changeRevision = (command: RevisionChangeCommand, plan: OpenedPlan): PlanEvent[] => {
  const draft = openDraft(plan);
  const context: ChangeContext = {
    planId: plan.planId,
    openedAt: plan.openedAt,
    revision: draft.revision,
    by: command.metadata.userId,
    now: command.metadata.now,
    content: draft.content,
  };
  const changes = decideChange(command, context);
  if (changes.length === 0 || draft.attestations.length === 0) return changes;
  return [
    {
      type: 'RevisionSignaturesVoided',
      data: {
        planId: plan.planId,
        revision: draft.revision,
        voided: draft.attestations,
        voidedAt: context.now,
        by: context.by,
      },
    },
    ...changes,
  ];
};

const decideChange = (command: RevisionChangeCommand, context: ChangeContext): PlanEvent[] => {
  switch (command.type) {
    case 'AddDiagnosis':
      return addDiagnosis(command, context);
    case 'RemoveDiagnosis':
      return removeDiagnosis(command, context);
    case 'SetPrimaryDiagnosis':
      return setPrimaryDiagnosis(command, context);
    case 'AddSymptom':
      return addSymptom(command, context);
    case 'RemoveSymptom':
      return removeSymptom(command, context);
    case 'AddImpairment':
      return addImpairment(command, context);
    case 'RemoveImpairment':
      return removeImpairment(command, context);
    case 'ChangeService':
      return changeService(command, context);
    case 'AddGoal':
      return addGoal(command, context);
    case 'ReviseGoal':
      return reviseGoal(command, context);
    case 'DiscontinueGoal':
      return discontinueGoal(command, context);
    case 'AddObjective':
      return addObjective(command, context);
    case 'ReviseObjective':
      return reviseObjective(command, context);
    case 'DiscontinueObjective':
      return discontinueObjective(context, command.data.objectiveId, command.data.reason);
    case 'AddIntervention':
      return addIntervention(command, context);
    case 'DiscontinueIntervention':
      return discontinueIntervention(command, context);
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustiveness check; decide passes only the revision changes listed here (an unknown command is refused in decide)
    default: {
      const unknown: never = command;
      // Stryker disable next-line all: unreachable, as above
      throw new FieldInvalid('type', `Unknown command ${(unknown as { type: string }).type}.`);
    }
  }
};
