import type { SignRevision } from './commands';
import { CLINIC_TIMES, instantInTreatment } from './date-rules';
import { AlreadySigned, RevisionHasNoActiveGoal, SignerNotOnPlan } from './errors';
import type { PlanEvent } from './events';
import { activeGoals, type Attestation } from './plan-content';
import { openDraft, type OpenedPlan } from './plan-state';

// A signature attests the draft revision as the client or the clinician; the second of the two puts it in effect
// (PlanRevised).

export const signRevision = ({ data, metadata }: SignRevision, plan: OpenedPlan): PlanEvent[] => {
  const draft = openDraft(plan, data.revision);
  const { signerRole: role, method } = data;
  const expectedSigner = role === 'client' ? plan.clientId : plan.clinicianId;
  if (data.signerId !== expectedSigner) throw new SignerNotOnPlan(role, data.signerId);
  if (draft.attestations.some((attestation) => attestation.signerRole === role)) throw new AlreadySigned(draft.revision, role);
  if (activeGoals(draft.content).length === 0) throw new RevisionHasNoActiveGoal(draft.revision);

  const signedAt = data.signedAt === null ? metadata.now : instantInTreatment('signedAt', data.signedAt, plan, metadata.now, CLINIC_TIMES.signedAt);
  const attestation: Attestation = { signerRole: role, signerId: data.signerId, signedAt, method };
  const signed: PlanEvent = {
    type: 'PlanSigned',
    data: { planId: plan.planId, revision: draft.revision, ...attestation, by: metadata.userId },
  };
  if (draft.attestations.length === 0) return [signed];
  return [
    signed,
    {
      type: 'PlanRevised',
      data: {
        planId: plan.planId,
        revision: draft.revision,
        reason: draft.reason,
        note: draft.note,
        triggersAnswered: draft.triggers,
        changes: draft.changes,
        plan: draft.content,
        attestations: [...draft.attestations, attestation],
        revisedAt: metadata.now,
      },
    },
  ];
};
