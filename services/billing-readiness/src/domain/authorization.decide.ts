import { withCheck } from './checked';
import type { RecordAuthorization, RecordSession } from './commands';
import { AuthorizationAlreadyRecorded, AuthorizationPayerMismatch, PlanIsClosed, PlanIsSelfPay, PlanNotKnown, SessionAlreadyRecorded } from './errors';
import type { ReadinessEvent } from './events';
import { coversDate } from './rules/authorization.rules';
import { sessionsUsed, type OpenedPlan, type PlanReadiness } from './state';

/** The plan an API command is about: billing must know it, and it must have a payer. */
export const payerPlanOf = (state: PlanReadiness): OpenedPlan & { readonly payerId: string } => {
  if (!state.opened) throw new PlanNotKnown();
  if (state.opened.payerId === null) throw new PlanIsSelfPay();
  return state.opened as OpenedPlan & { readonly payerId: string };
};

export const decideRecordAuthorization = (command: RecordAuthorization, state: PlanReadiness): ReadinessEvent[] => {
  const plan = payerPlanOf(state);
  if (state.closed) throw new PlanIsClosed();
  const { payerId, ...data } = command.data;
  if (payerId !== null && payerId !== plan.payerId) throw new AuthorizationPayerMismatch();
  if (state.authorizations.some((a) => a.authorizationNumber === data.authorizationNumber)) throw new AuthorizationAlreadyRecorded();
  const recorded: ReadinessEvent = {
    type: 'AuthorizationRecorded',
    data: { planId: state.planId!, ...data, payerId: plan.payerId, requestId: null, recordedAt: command.metadata.now, by: command.metadata.userId ?? 'system' },
  };
  return withCheck(state, [recorded], command, 'authorization', null);
};

/**
 * A session counts against the payer's authorization that covers its date and service and still has a session
 * left, the one ending first when several do (the same order a payer draws them down); none when none covers it.
 */
export const authorizationFor = (state: PlanReadiness, dateOfService: string, serviceCode: string): string | null =>
  state.authorizations
    .filter((a) => a.payerId === state.opened?.payerId && coversDate(a, dateOfService) && a.serviceCodes.includes(serviceCode))
    .filter((a) => sessionsUsed(state, a.authorizationId) < a.sessionsAuthorized)
    .sort((a, b) => (a.endsOn < b.endsOn ? -1 : a.endsOn > b.endsOn ? 1 : 0))[0]?.authorizationId ?? null;

export const decideRecordSession = (command: RecordSession, state: PlanReadiness): ReadinessEvent[] => {
  payerPlanOf(state);
  const { sessionId, dateOfService, serviceCode, minutes } = command.data;
  if (state.sessions.some((session) => session.sessionId === sessionId)) throw new SessionAlreadyRecorded();
  const recorded: ReadinessEvent = {
    type: 'SessionRecorded',
    data: {
      planId: state.planId!,
      sessionId,
      dateOfService,
      serviceCode,
      minutes,
      authorizationId: authorizationFor(state, dateOfService, serviceCode),
      recordedAt: command.metadata.now,
      by: command.metadata.userId ?? 'system',
    },
  };
  return withCheck(state, [recorded], command, 'session', null);
};
