import { idOf, problemOf } from '@golden-loop/http-api';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import { AuditTrail, PURPOSES_OF_USE, type PurposeOfUse } from './audit-trail';

export const AUDIT_ACTION = 'golden-loop:audit-action';

/** Names what a route does in the audit trail (default: its handler's name in snake_case). */
export const AuditAction = (action: string): MethodDecorator => SetMetadata(AUDIT_ACTION, action);

const defaultPurpose = (roles: readonly string[]): PurposeOfUse => {
  if (roles.includes('clinician') || roles.includes('supervisor')) return 'TREAT';
  if (roles.includes('billing')) return 'HPAYMT';
  if (roles.includes('client')) return 'PATRQT';
  return 'SYSADMIN';
};

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Plan ids a list answer names (`items[].planId`), for the plans' access histories. */
const planIdsIn = (body: unknown): string[] => {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const planId = (item as { planId?: unknown } | null)?.planId;
    return typeof planId === 'string' ? [planId] : [];
  });
};

/**
 * Records every authenticated request in the audit trail before its answer leaves: who (the token's subject and
 * roles), what (the action and route template), which plan, why (`X-Purpose-Of-Use`, or the role's default), and
 * how it ended (the status, refusals included). A request whose audit row cannot be written fails: PHI is never
 * shown without a record of it.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly trail: AuditTrail,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const principal = request.principal;
    if (!principal) return next.handle();
    const handler = context.getHandler();
    const stated = request.header('x-purpose-of-use')?.trim().toUpperCase();
    const entry = {
      actorId: principal.userId,
      actorRoles: principal.roles,
      action: this.reflector.get<string | undefined>(AUDIT_ACTION, handler) ?? snake(handler.name),
      method: request.method,
      route: `${request.baseUrl}${(request.route as { path?: string } | undefined)?.path ?? request.path}`,
      // Only a well-formed id: a malformed path is refused with its 400, and recorded without a plan.
      planId: idOf(request.params.planId) ?? undefined,
      purpose: stated !== undefined && (PURPOSES_OF_USE as readonly string[]).includes(stated) ? (stated as PurposeOfUse) : defaultPurpose(principal.roles),
      correlationId: request.correlation?.correlationId,
    };
    const succeeded = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ?? (request.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        // A command that made its plan names it in its answer (POST /plans).
        from(this.trail.record({ ...entry, planId: entry.planId ?? idOf((body as { planId?: unknown } | null)?.planId) ?? undefined, planIds: planIdsIn(body), outcome: succeeded }).then(() => body)),
      ),
      catchError((error: unknown) =>
        from(
          this.trail.record({ ...entry, outcome: problemOf(error).status }).then(() => {
            throw error;
          }),
        ),
      ),
    );
  }
}
