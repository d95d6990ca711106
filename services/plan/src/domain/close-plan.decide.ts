import type { ClosePlan } from './commands';
import type { PlanEvent } from './events';
import { closureReason, optionalText } from './field-rules';
import { TEXT_LIMITS } from './plan-limits';
import type { OpenedPlan } from './plan-state';

// Closing the plan (discharge) withdraws an open draft with it; the plan can be read, never changed again.

export const closePlan = ({ data, metadata }: ClosePlan, plan: OpenedPlan): PlanEvent[] => [
  {
    type: 'PlanClosed',
    data: {
      planId: plan.planId,
      reason: closureReason('reason', data.reason),
      note: optionalText('note', data.note, 'The note', TEXT_LIMITS.note),
      lastRevision: plan.revisionInEffect,
      withdrawnRevision: plan.draft?.revision ?? null,
      closedAt: metadata.now,
      by: metadata.userId,
    },
  },
];
