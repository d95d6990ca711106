import { SIGNER_ROLES } from '@golden-loop/contracts';
import { clinicianSignerOf, revisionInEffect } from '../state';
import { finding, passes, result, type RuleEvaluator } from './rule-evaluation';

// Signatures, credentials and the loop (docs/clinical-rules.md, rules 1 and 6; LCD L33632; QualChoice BI273): docs/payer-rules.md.

export const revisionSigned: RuleEvaluator<'revision-signed'> = (rule, state) => {
  if (revisionInEffect(state)) return passes;
  const revision = Math.max(1, state.latestRevision);
  const signatures = state.pendingSignatures[revision] ?? {};
  const missing = SIGNER_ROLES.filter((role) => signatures[role] === undefined);
  // Both signed, and PlanRevised (which carries the revision's content) not heard yet: nothing is documented so far.
  if (missing.length === 0) return result([finding(rule, 'revision_not_in_effect', 'sign_plan_before_service', { revision }, 'failing')]);
  return result(
    missing.map((role) =>
      role === 'client'
        ? finding(rule, 'revision_not_signed_by_client', 'obtain_client_signature', { revision, missingSignerRoles: missing }, 'failing')
        : finding(rule, 'revision_not_signed_by_clinician', 'obtain_clinician_signature', { revision, missingSignerRoles: missing }, 'failing'),
    ),
  );
};

export const clinicianCredentials: RuleEvaluator<'clinician-credentials'> = (rule, state, context) => {
  const clinicianId = clinicianSignerOf(state);
  if (clinicianId === null) return passes;
  const credentials = context.credentialsOf(clinicianId) ?? [];
  if (credentials.length === 0) {
    return result([finding(rule, 'clinician_credentials_missing', 'record_clinician_credentials', { clinicianId }, 'failing')]);
  }
  return credentials.some((credential) => rule.params.accepted.includes(credential))
    ? passes
    : result([finding(rule, 'clinician_credentials_not_accepted', 'obtain_qualified_signature', { clinicianId, credentials: [...credentials] }, 'failing')]);
};

export const clinicalChangeAnswered: RuleEvaluator<'clinical-change-answered'> = (rule, state) =>
  state.pendingChanges.length === 0
    ? passes
    : result([finding(rule, 'clinical_change_not_reflected', 'revise_plan', { eventIds: state.pendingChanges.map((change) => change.eventId) }, 'warning')]);

export const planUpdateTaskNotOverdue: RuleEvaluator<'plan-update-task-not-overdue'> = (rule, state) => {
  const overdue = state.tasks.filter((task) => task.status === 'overdue');
  if (overdue.length === 0) return passes;
  const dueAt = overdue.map((task) => task.dueAt).sort()[0];
  return result([
    finding(rule, 'plan_update_overdue', 'revise_plan', { taskIds: overdue.map((task) => task.taskId), ...(dueAt ? { dueAt } : {}) }, 'failing'),
  ]);
};

export const signedPlanAfterVisits: RuleEvaluator<'signed-plan-after-visits'> = (rule, state, context) => {
  const { afterVisits, warnVisits, accepted } = rule.params;
  const visitCount = state.sessions.length;
  const signer = clinicianSignerOf(state);
  const credentials = signer === null ? [] : (context.credentialsOf(signer) ?? []);
  const qualified = signer !== null && (accepted === undefined || credentials.some((credential) => accepted.includes(credential)));
  if (qualified) return passes;
  const evidence = { visitCount, visitLimit: afterVisits, ...(signer === null ? {} : { clinicianId: signer }) };
  // A plan signed by someone the payer does not accept needs another signature; no plan at all needs one signed.
  const fix = signer === null ? 'sign_plan_before_next_visit' : 'obtain_qualified_signature';
  if (visitCount >= afterVisits) return result([finding(rule, 'signed_plan_required_after_visits', fix, evidence, 'failing')]);
  if (visitCount >= afterVisits - warnVisits) return result([finding(rule, 'signed_plan_due_by_visit_count', fix, evidence, 'warning')]);
  return passes;
};
