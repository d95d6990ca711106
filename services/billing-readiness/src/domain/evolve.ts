import type { ReadinessEvent } from './events';
import type { PlanReadiness, Reauthorization } from './state';

/** Assessments kept for the window rules and the re-authorization trend; older ones no longer decide anything. */
const ASSESSMENTS_KEPT = 24;

const updateRequest = (state: PlanReadiness, requestId: string, change: (request: Reauthorization) => Reauthorization): PlanReadiness => ({
  ...state,
  reauthorizations: state.reauthorizations.map((request) => (request.requestId === requestId ? change(request) : request)),
});

export const evolve = (state: PlanReadiness, event: ReadinessEvent): PlanReadiness => {
  switch (event.type) {
    case 'PlanOpenedNoted': {
      const { planId, clientId, clinicianId, payerId, openedAt, diagnoses, revision } = event.data;
      return { ...state, planId, opened: { clientId, clinicianId, payerId, openedAt, diagnoses }, latestRevision: Math.max(state.latestRevision, revision) };
    }
    case 'PlanSignatureNoted': {
      const { revision, signerRole, signerId, signedAt } = event.data;
      return {
        ...state,
        latestRevision: Math.max(state.latestRevision, revision),
        pendingSignatures: { ...state.pendingSignatures, [revision]: { ...state.pendingSignatures[revision], [signerRole]: { signerId, signedAt } } },
      };
    }
    case 'PlanRevisionNoted': {
      const { revision, revisedAt, plan, triggersAnswered } = event.data;
      const pendingSignatures = Object.fromEntries(Object.entries(state.pendingSignatures).filter(([n]) => Number(n) > revision));
      // The first revision is drafted from the picture as it stands: what happened before it took effect is in it.
      // Later revisions answer the changes they name (PlanRevised.triggersAnswered), and only those.
      const answered = new Set(triggersAnswered);
      const pendingChanges = state.revisions.length === 0 ? [] : state.pendingChanges.filter((change) => !answered.has(change.eventId));
      return {
        ...state,
        latestRevision: Math.max(state.latestRevision, revision),
        revisions: [...state.revisions, { revision, revisedAt, plan, signatures: state.pendingSignatures[revision] ?? {} }],
        pendingSignatures,
        pendingChanges,
      };
    }
    case 'AssessmentNoted': {
      const { assessmentId, instrument, score, band, assessedAt } = event.data;
      // Kept in the order they were taken (a score entered late takes its place by date, ties in arrival order), so
      // the ones let go are the oldest taken, never a newer one (docs/clinical-dates.md).
      const taken = [...state.assessments, { assessmentId, instrument, score, band, assessedAt }].sort((a, b) => (a.assessedAt < b.assessedAt ? -1 : a.assessedAt > b.assessedAt ? 1 : 0));
      return { ...state, assessments: taken.slice(-ASSESSMENTS_KEPT) };
    }
    case 'ClinicalChangeNoted': {
      const { sourceEventId, kind, occurredAt, goalId, objectiveId } = event.data;
      const progress =
        kind === 'goal_met' && goalId
          ? { ...state.progress, goalsMet: [...state.progress.goalsMet, { goalId, metAt: occurredAt }] }
          : kind === 'objective_met' && objectiveId
            ? { ...state.progress, objectivesMet: [...state.progress.objectivesMet, { objectiveId, ...(goalId ? { goalId } : {}), metAt: occurredAt }] }
            : state.progress;
      return { ...state, progress, pendingChanges: [...state.pendingChanges, { eventId: sourceEventId, kind, occurredAt }] };
    }
    case 'PlanClosedNoted':
      return { ...state, closed: { closedAt: event.data.closedAt, reason: event.data.reason }, pendingChanges: [] };
    case 'ReviewTaskNoted': {
      const { taskId, status, reasons, triggeredBy, dueAt } = event.data;
      const task = { taskId, status, reasons, triggeredBy, dueAt };
      const tasks = state.tasks.some((t) => t.taskId === taskId) ? state.tasks.map((t) => (t.taskId === taskId ? task : t)) : [...state.tasks, task];
      // A completed review (revised, closed, or reviewed without change) answers the changes that opened or joined it.
      const reviewed = new Set(status === 'completed' ? triggeredBy : []);
      return { ...state, tasks, pendingChanges: state.pendingChanges.filter((change) => !reviewed.has(change.eventId)) };
    }
    case 'ReadinessChecked': {
      const { checkId, outcome, findings, checkedAt, ruleSetId, ruleSetVersion, nextCheckAt } = event.data;
      return { ...state, lastCheck: { checkId, outcome, findings, checkedAt, ruleSetId, ruleSetVersion, nextCheckAt }, checks: state.checks + 1 };
    }
    case 'AuthorizationRecorded': {
      const { by: _by, planId: _planId, ...authorization } = event.data;
      return { ...state, authorizations: [...state.authorizations, authorization] };
    }
    case 'SessionRecorded': {
      const { sessionId, dateOfService, serviceCode, minutes, authorizationId } = event.data;
      return { ...state, sessions: [...state.sessions, { sessionId, dateOfService, serviceCode, minutes, authorizationId }] };
    }
    case 'ReauthorizationRequested': {
      const { requestId, payerId, authorizationId, priority, serviceCodes, sessionsRequested, submittedAt, decisionDueAt } = event.data;
      const request: Reauthorization = {
        requestId,
        payerId,
        authorizationId,
        priority,
        serviceCodes,
        sessionsRequested,
        submittedAt,
        decisionDueAt,
        status: 'submitted',
        overdue: false,
        sessionsApproved: null,
        approvedAuthorizationId: null,
        decidedAt: null,
      };
      return { ...state, reauthorizations: [...state.reauthorizations, request] };
    }
    case 'ReauthorizationDecided': {
      const { requestId, decision, sessionsApproved, authorizationId, decidedAt } = event.data;
      return updateRequest(state, requestId, (request) => ({ ...request, status: decision, sessionsApproved, approvedAuthorizationId: authorizationId, decidedAt }));
    }
    case 'ReauthorizationDecisionOverdue':
      return updateRequest(state, event.data.requestId, (request) => ({ ...request, overdue: true }));
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
};
