import type { ProposeRevision, WithdrawRevision } from './commands';
import { FieldInvalid, FirstRevisionCannotBeWithdrawn, NotFoundInPlan, PlanWouldHaveNoActiveGoal, RevisionAlreadyOpen } from './errors';
import type { PlanEvent } from './events';
import { listOf, optionalText, requireId, revisionReason, triggerType } from './field-rules';
import { activeGoals, type TriggerRef, type TriggerType } from './plan-content';
import { PLAN_LIMITS, TEXT_LIMITS } from './plan-limits';
import { openDraft, type OpenedPlan } from './plan-state';

// A plan in effect changes only through a new draft revision, proposed with its reason and the triggers it answers;
// a draft can be withdrawn, except revision 1 and a draft that is the only way back to an active goal.

export const proposeRevision = ({ data, metadata }: ProposeRevision, plan: OpenedPlan): PlanEvent[] => {
  if (plan.draft) throw new RevisionAlreadyOpen(plan.draft.revision);
  const reason = revisionReason('reason', data.reason);
  if (reason === 'initial_plan') {
    throw new FieldInvalid('reason', "'initial_plan' is the reason of revision 1 only; name what this revision answers.");
  }
  const triggers: TriggerRef[] = [];
  listOf('triggers', data.triggers, 'The triggers', PLAN_LIMITS.triggersPerRevision).forEach((given, index) => {
    const type: TriggerType = triggerType(`triggers[${index}].type`, given.type);
    const id = requireId(`triggers[${index}].id`, given.id);
    if (!plan.triggers.some((trigger) => trigger.type === type && trigger.id === id)) {
      throw new NotFoundInPlan('trigger', `${type} ${id}`, `triggers[${index}]`);
    }
    if (triggers.some((trigger) => trigger.type === type && trigger.id === id)) {
      throw new FieldInvalid(`triggers[${index}]`, `${type} ${id} is listed twice.`);
    }
    triggers.push({ type, id });
  });
  return [
    {
      type: 'RevisionProposed',
      data: {
        planId: plan.planId,
        revision: (plan.revisionInEffect ?? 0) + 1,
        reason,
        note: optionalText('note', data.note, 'The note', TEXT_LIMITS.note),
        triggers,
        proposedAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};

export const withdrawRevision = ({ data, metadata }: WithdrawRevision, plan: OpenedPlan): PlanEvent[] => {
  const draft = openDraft(plan, data.revision);
  if (draft.revision === 1) throw new FirstRevisionCannotBeWithdrawn();
  if (plan.inEffect && activeGoals(plan.inEffect).length === 0) throw new PlanWouldHaveNoActiveGoal(draft.revision);
  return [
    {
      type: 'RevisionWithdrawn',
      data: {
        planId: plan.planId,
        revision: draft.revision,
        note: optionalText('note', data.note, 'The note', TEXT_LIMITS.note),
        withdrawnAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};
