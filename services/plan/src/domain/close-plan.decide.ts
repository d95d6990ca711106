import type { ClosePlan } from './commands';
import type { PlanEvent } from './events';
import type { OpenedPlan } from './plan-state';

// Closing the plan (discharge) withdraws an open draft with it; the plan can be read, never changed again.

export const closePlan = ({ data, metadata }: ClosePlan, plan: OpenedPlan): PlanEvent[] => [
  {
    type: 'PlanClosed',
    data: {
      planId: plan.planId,
      reason: data.reason,
      note: data.note,
      lastRevision: plan.revisionInEffect,
      withdrawnRevision: plan.draft?.revision ?? null,
      closedAt: metadata.now,
      by: metadata.userId,
    },
  },
];
