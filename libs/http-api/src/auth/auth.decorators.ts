import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal, Role } from './principal';

export const PUBLIC_ROUTE = 'golden-loop:public';
export const ROUTE_ROLES = 'golden-loop:roles';

/** Needs no token: liveness, readiness, metrics, the API documents. Nothing else. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The roles a route admits (deny by default: a route that names none admits nobody). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROUTE_ROLES, roles);

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The verified caller of the request (set by the AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new Error('CurrentPrincipal on a route without the AuthGuard');
  return principal;
});
