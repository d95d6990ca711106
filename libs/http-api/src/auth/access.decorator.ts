import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemDetails } from '../problem-details';
import { Roles } from './auth.decorators';
import { ClinicianScoped, PlanScoped } from './caseload';
import type { Role } from './principal';

export interface AccessRule {
  /** The roles the route admits; every other role is 403 (deny by default). */
  readonly roles: readonly Role[];
  /** The path parameter naming the plan: callers outside its caseload get the service's 404. */
  readonly plan?: string;
  /** The path parameter naming a clinician: only they, their supervisor, or a network role admitted here. */
  readonly clinician?: string;
}

/**
 * Who may call a route, in one decorator (docs/security.md): a bearer token, one of these roles, and the plan's or
 * clinician's caseload when the route names one; the OpenAPI document says so too. On a method it replaces the
 * controller's rule.
 */
export const Access = (rule: AccessRule): MethodDecorator & ClassDecorator =>
  applyDecorators(
    Roles(...rule.roles),
    ...(rule.plan === undefined ? [] : [PlanScoped(rule.plan)]),
    ...(rule.clinician === undefined ? [] : [ClinicianScoped(rule.clinician)]),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ProblemDetails, description: 'No bearer token, or one that is not valid here (token_missing, token_invalid, token_expired)' }),
    ApiForbiddenResponse({ type: ProblemDetails, description: `Admits ${rule.roles.join(', ')} (forbidden_role)` }),
  );
