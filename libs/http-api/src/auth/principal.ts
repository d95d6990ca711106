/**
 * Who may do what (docs/security.md). Deny by default: a route names the roles it admits; a role not named is 403.
 * - clinician: the plans of their own caseload (plan → clinician, known to each service from the events it consumes);
 * - client: their own plan only (sign it, read their own scores), with a client-scoped token;
 * - supervisor: read the caseloads of the clinicians they supervise (claim `supervises`), task and escalation views;
 * - billing: readiness, authorizations, pre-claim checks and plan summaries without free text;
 * - admin: payer rule sets and the audit trail.
 */
export const ROLES = ['clinician', 'client', 'supervisor', 'billing', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller of a request, from a verified bearer token. */
export interface Principal {
  /** `sub`: the user's id (a clinician, a client, a supervisor, ...), a lower-case UUID. */
  readonly userId: string;
  readonly roles: readonly Role[];
  /** For a supervisor: the clinicians whose caseloads they read (claim `supervises`). */
  readonly supervises: readonly string[];
  /** `jti`, when the issuer sets one. */
  readonly tokenId?: string;
  readonly expiresAt: Date;
}

export const hasRole = (principal: Principal, ...roles: readonly Role[]): boolean => roles.some((role) => principal.roles.includes(role));

/** A clinician's own caseload, or a supervisor's team: may this principal see a plan of `clinicianId`? */
export const seesCaseloadOf = (principal: Principal, clinicianId: string): boolean =>
  (hasRole(principal, 'clinician') && principal.userId === clinicianId) ||
  (hasRole(principal, 'supervisor') && principal.supervises.includes(clinicianId));
