import { SetMetadata } from '@nestjs/common';
import { hasRole, seesCaseloadOf, type Principal, type Role } from './principal';

export const PLAN_SCOPE = 'golden-loop:plan-scope';
export const CLINICIAN_SCOPE = 'golden-loop:clinician-scope';

/** Who a plan belongs to, as the service learned it from the events it consumes (PlanOpened). */
export interface Caseload {
  readonly clinicianId: string;
  readonly clientId?: string;
}

/**
 * Each service's answer to "whose plan is this?" (docs/security.md): from its own store, never from the request.
 * `notFound` is the service's own answer for a plan it does not know, so that another clinician's plan and a plan
 * that does not exist answer alike.
 */
export abstract class CaseloadDirectory {
  abstract caseloadOf(planId: string): Promise<Caseload | undefined>;
  abstract notFound(): Error;
}

/** The route is about the plan in this path parameter: callers outside its caseload get the service's 404. */
export const PlanScoped = (parameter = 'planId'): MethodDecorator & ClassDecorator => SetMetadata(PLAN_SCOPE, parameter);

/** The route is about the clinician in this path parameter (an inbox, a clinician's settings): their own, or their supervisor's. */
export const ClinicianScoped = (parameter = 'clinicianId'): MethodDecorator & ClassDecorator => SetMetadata(CLINICIAN_SCOPE, parameter);

/** Roles that work across caseloads where a route admits them: billing (the payer-facing team) and admin. */
export const NETWORK_ROLES: readonly Role[] = ['billing', 'admin'];

/** Does the caller hold a network role this route admits (no caseload applies to them here)? */
const actsNetworkWide = (principal: Principal, admitted: readonly Role[]): boolean => NETWORK_ROLES.some((role) => admitted.includes(role) && hasRole(principal, role));

/** May this caller, on a route admitting `admitted`, see the plan of this caseload? */
export const mayAccessPlan = (principal: Principal, caseload: Caseload, admitted: readonly Role[]): boolean =>
  actsNetworkWide(principal, admitted) ||
  (admitted.includes('client') && hasRole(principal, 'client') && caseload.clientId === principal.userId) ||
  ((admitted.includes('clinician') || admitted.includes('supervisor')) && seesCaseloadOf(principal, caseload.clinicianId));

/** May this caller, on a route admitting `admitted`, act on what belongs to this clinician? */
export const mayAccessClinician = (principal: Principal, clinicianId: string, admitted: readonly Role[]): boolean =>
  actsNetworkWide(principal, admitted) ||
  ((admitted.includes('clinician') || admitted.includes('supervisor')) && seesCaseloadOf(principal, clinicianId));

/** The clinicians whose plans a caller sees in lists: undefined for a network role (all of them). */
export const visibleCliniciansOf = (principal: Principal, admitted: readonly Role[]): readonly string[] | undefined => {
  if (actsNetworkWide(principal, admitted)) return undefined;
  return [...(hasRole(principal, 'clinician') ? [principal.userId] : []), ...(hasRole(principal, 'supervisor') ? principal.supervises : [])];
};
