import { randomUUID } from 'node:crypto';
import type { Role } from '@golden-loop/service-kit';
import type { OpenAPIObject } from '@nestjs/swagger';
import { operationsOf } from './hostile-input/openapi-operations';
import type { ServiceFixture } from './service-fixture';

// The role × endpoint × own/other-caseload matrix of a service (docs/security.md): every endpoint of its OpenAPI
// document called by every kind of caller, each answer compared with what the route's rule says it must be.

/** Who calls: a role, and whether the plan (or clinician) of the request is in their caseload. */
export const CALLERS = [
  'anonymous',
  'clinician (own)',
  'clinician (other)',
  'supervisor (own team)',
  'supervisor (other team)',
  'client (own)',
  'client (other)',
  'billing',
  'admin',
] as const;
export type Caller = (typeof CALLERS)[number];

/** One endpoint's rule as the test states it: the roles it admits and what it is scoped to. */
export interface AccessRoute {
  /** The OpenAPI operation, `GET /plans/{planId}`. */
  readonly id: string;
  readonly roles: readonly Role[];
  /** `plan`: the path's plan must be in the caller's caseload; `clinician`: the path's clinician must be. */
  readonly scope?: 'plan' | 'clinician';
  /** The query string to send (a list that needs a filter). */
  readonly query?: string;
  /** The body to send; `{}` by default for writes, so a caller who passes access control gets a 400 and changes nothing. */
  readonly body?: unknown;
}

/** What a cell must answer: 401, 403, 404 (the plan is not theirs: as for a plan that does not exist), or past access control. */
export type Expected = 401 | 403 | 404 | 'passes';

export const expectedFor = (route: AccessRoute, caller: Caller): Expected => {
  if (caller === 'anonymous') return 401;
  const [role, relation] = caller.split(' (') as [Role, string | undefined];
  if (!route.roles.includes(role)) return 403;
  if (route.scope === undefined || role === 'billing' || role === 'admin') return 'passes';
  // A client's caseload is their own plan; a clinician-scoped route has no client of its own.
  if (role === 'client' && route.scope === 'clinician') return 404;
  return relation?.startsWith('other') ? 404 : 'passes';
};

export interface AccessMatrixOptions {
  readonly fixture: ServiceFixture;
  readonly document: OpenAPIObject;
  readonly routes: readonly AccessRoute[];
  /** The plan the requests name, its clinician and client; `pathValues` fill the other path parameters. */
  readonly caseload: { readonly planId: string; readonly clinicianId: string; readonly clientId: string };
  readonly pathValues?: Readonly<Record<string, string>>;
  /** The service's code for a plan it does not know: a hidden plan must answer exactly that. */
  readonly unknownPlanCode: string;
}

export interface AccessCell {
  readonly route: string;
  readonly caller: Caller;
  readonly expected: Expected;
  readonly status: number;
  readonly code?: string;
}

const PUBLIC_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /docs/asyncapi.json'];

/** Does this answer match the cell's expectation? */
export const cellHolds = (cell: AccessCell, unknownPlanCode: string, scope: AccessRoute['scope']): boolean => {
  if (cell.expected === 'passes') {
    // Past access control: not refused for who the caller is, and not hidden as someone else's plan.
    return cell.status !== 401 && cell.status !== 403 && !(cell.status === 404 && cell.code === unknownPlanCode) && cell.status < 500;
  }
  if (cell.expected === 404 && scope === 'plan') return cell.status === 404 && cell.code === unknownPlanCode;
  return cell.status === cell.expected;
};

/**
 * Calls every endpoint of the document as every kind of caller and gives every cell; the routes must name every
 * endpoint that is not public, so that a new endpoint cannot ship without its row.
 */
export const runAccessMatrix = async (options: AccessMatrixOptions): Promise<{ cells: AccessCell[]; wrong: AccessCell[]; missing: string[] }> => {
  const { fixture, caseload } = options;
  const operations = operationsOf(options.document).filter((operation) => !PUBLIC_ROUTES.includes(operation.id));
  const missing = operations.filter((operation) => !options.routes.some((route) => route.id === operation.id)).map((operation) => operation.id);
  const otherClinician = randomUUID();
  const headersOf = (caller: Caller): Record<string, string> => {
    switch (caller) {
      case 'anonymous':
        return {};
      case 'clinician (own)':
        return fixture.callers.clinician(caseload.clinicianId);
      case 'clinician (other)':
        return fixture.callers.clinician(otherClinician);
      case 'supervisor (own team)':
        return fixture.callers.supervisor([caseload.clinicianId]);
      case 'supervisor (other team)':
        return fixture.callers.supervisor([otherClinician]);
      case 'client (own)':
        return fixture.callers.client(caseload.clientId);
      case 'client (other)':
        return fixture.callers.client(randomUUID());
      case 'billing':
        return fixture.callers.billing();
      case 'admin':
        return fixture.callers.admin();
    }
  };
  const values: Record<string, string> = { ...options.pathValues, planId: caseload.planId, clinicianId: caseload.clinicianId };
  const cells: AccessCell[] = [];
  const wrong: AccessCell[] = [];
  for (const route of options.routes) {
    const [method, template] = route.id.split(' ');
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`${route.id}: no value for the path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const url = route.query === undefined ? path : `${path}?${route.query}`;
    for (const caller of CALLERS) {
      let call = fixture.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](url).set(headersOf(caller));
      if (method !== 'GET') call = call.send((route.body ?? {}));
      const response = await call;
      const cell: AccessCell = { route: route.id, caller, expected: expectedFor(route, caller), status: response.status, code: (response.body as { code?: string } | undefined)?.code };
      cells.push(cell);
      if (!cellHolds(cell, options.unknownPlanCode, route.scope)) wrong.push(cell);
    }
  }
  return { cells, wrong, missing };
};

/** The matrix as a table for the test log: one row per endpoint, one column per caller. */
export const renderAccessMatrix = (cells: readonly AccessCell[]): string => {
  const routes = [...new Set(cells.map((cell) => cell.route))];
  const header = ['endpoint', ...CALLERS].join(' | ');
  const rows = routes.map((route) => [route, ...CALLERS.map((caller) => String(cells.find((cell) => cell.route === route && cell.caller === caller)?.status ?? ''))].join(' | '));
  return [header, ...rows].join('\n');
};
