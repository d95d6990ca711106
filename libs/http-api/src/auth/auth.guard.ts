import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { RequestRefused } from '../request-errors';
import { PUBLIC_ROUTE, ROUTE_ROLES } from './auth.decorators';
import type { Role } from './principal';
import { TokenVerifier } from './token-verifier';

/**
 * Every route needs a verified bearer token unless it is @Public(), and a role the route admits (@Roles); a route
 * that names no roles admits nobody (deny by default). 401 without a valid token, 403 with a valid token of a role
 * the route does not admit. Scoping to a caseload (another clinician's plan answers 404) is the service's, where it
 * knows the plan's clinician.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const principal = await this.verifier.verify(request.header('authorization'));
    request.principal = principal;
    const admitted = this.reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets) ?? [];
    if (!admitted.some((role) => principal.roles.includes(role))) {
      throw new RequestRefused('forbidden_role', 403, 'Your role does not allow this request.');
    }
    return true;
  }
}
