import { CaseloadDirectory, CLINICIAN_SCOPE, mayAccessClinician, mayAccessPlan, PLAN_SCOPE, ROUTE_ROLES, uuidParameter, type Role } from '@golden-loop/http-api';
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { from, type Observable, switchMap } from 'rxjs';

/**
 * Caseload scope (docs/security.md): a route marked @PlanScoped answers the service's own 404 to a caller outside
 * the plan's caseload, exactly as for a plan that does not exist; @ClinicianScoped does the same for what belongs to
 * a clinician. It runs inside the audit interceptor, so a refused look at someone else's plan is on the trail too.
 */
@Injectable()
export class CaseloadInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(CaseloadDirectory) private readonly directory?: CaseloadDirectory,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const targets = [context.getHandler(), context.getClass()];
    const planParameter = this.reflector.getAllAndOverride<string | undefined>(PLAN_SCOPE, targets);
    const clinicianParameter = this.reflector.getAllAndOverride<string | undefined>(CLINICIAN_SCOPE, targets);
    if (planParameter === undefined && clinicianParameter === undefined) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const principal = request.principal;
    if (!principal) throw new Error('A caseload-scoped route must not be @Public()');
    const admitted = this.reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets) ?? [];
    return from(this.check(request, principal, admitted, planParameter, clinicianParameter)).pipe(switchMap(() => next.handle()));
  }

  private async check(request: Request, principal: NonNullable<Request['principal']>, admitted: readonly Role[], planParameter?: string, clinicianParameter?: string) {
    const directory = this.directory;
    if (!directory) throw new Error('A caseload-scoped route needs the service to provide a CaseloadDirectory (ServiceKitOptions.caseload)');
    if (clinicianParameter !== undefined) {
      const clinicianId = uuidParameter(clinicianParameter, request.params[clinicianParameter]);
      if (!mayAccessClinician(principal, clinicianId, admitted)) throw directory.notFound();
    }
    if (planParameter !== undefined) {
      const planId = uuidParameter(planParameter, request.params[planParameter]);
      const caseload = await directory.caseloadOf(planId);
      // A plan the service does not know is the handler's to answer (its 404, or its own rule for a new plan).
      if (caseload !== undefined && !mayAccessPlan(principal, caseload, admitted)) throw directory.notFound();
    }
  }
}
