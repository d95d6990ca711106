import type { Advisory } from '@golden-loop/clinical';
import type { OpenedPlan } from '../../domain/plan-state';

/** The plan as the API shows it: its state, its version (the ETag) and, for the current plan, its advisories. */
export const planDocument = (plan: OpenedPlan, version: number, advisories?: readonly Advisory[]) => ({
  planId: plan.planId,
  clientId: plan.clientId,
  clinicianId: plan.clinicianId,
  payerId: plan.payerId,
  status: plan.status === 'closed' ? 'closed' : plan.inEffect === null ? 'draft' : 'in_effect',
  version,
  openedAt: plan.openedAt,
  revisionInEffect: plan.revisionInEffect,
  inEffect: plan.inEffect,
  draft: plan.draft,
  assessments: plan.assessments,
  lifeEvents: plan.lifeEvents,
  triggers: plan.triggers,
  closure: plan.closure,
  ...(advisories === undefined ? {} : { advisories }),
});

export type PlanDocument = ReturnType<typeof planDocument>;
