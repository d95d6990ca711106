import type { RegisterPlan } from './commands';
import type { ReviewEvent } from './events';
import type { PlanReview } from './state';

/** The plan's opening names its clinician (whose inbox) and payer (whose review interval); a second one is ignored. */
export const registerPlan = ({ data }: RegisterPlan, plan: PlanReview): ReviewEvent[] => {
  if (plan.status !== 'untracked') return [];
  const { eventId, planId, clinicianId, payerId, openedAt } = data;
  return [{ type: 'PlanRegistered', data: { planId, clinicianId, payerId, openedAt, sourceEventId: eventId } }];
};
