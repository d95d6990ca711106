import type { ProposeRevision, WithdrawRevision } from './commands';
import { FieldInvalid, FirstRevisionCannotBeWithdrawn, NotFoundInPlan, PlanWouldHaveNoActiveGoal, RevisionAlreadyOpen } from './errors';
import type { PlanEvent } from './events';
import { activeGoals } from './plan-content';
import { openDraft, type OpenedPlan } from './plan-state';

// A plan in effect changes only through a new draft revision, proposed with its reason and the triggers it answers;
// a draft can be withdrawn, except revision 1 and a draft that is the only way back to an active goal.

export const proposeRevision = ({ data, metadata }: ProposeRevision, plan: OpenedPlan): PlanEvent[] => {
  if (plan.draft) throw new RevisionAlreadyOpen(plan.draft.revision);
  if (data.reason === 'initial_plan') {
    throw new FieldInvalid('reason', "'initial_plan' is the reason of revision 1 only; name what this revision answers.");
  }
  data.triggers.forEach(({ type, id }, index) => {
    if (!plan.triggers.some((trigger) => trigger.type === type && trigger.id === id)) {
      throw new NotFoundInPlan('trigger', `${type} ${id}`, `triggers[${index}]`);
    }
    if (data.triggers.findIndex((other) => other.type === type && other.id === id) < index) {
      throw new FieldInvalid(`triggers[${index}]`, `${type} ${id} is listed twice.`);
    }
  });
  return [
    {
      type: 'RevisionProposed',
      data: {
        planId: plan.planId,
        revision: (plan.revisionInEffect ?? 0) + 1,
        reason: data.reason,
        note: data.note,
        triggers: data.triggers,
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
        note: data.note,
        withdrawnAt: metadata.now,
        by: metadata.userId,
      },
    },
  ];
};
