import { join } from 'node:path';
import type { Role } from '@golden-loop/service-kit';

export interface TokenClaims {
  readonly sub?: string;
  readonly roles: readonly Role[];
  readonly supervises?: readonly string[];
  readonly ttlSeconds?: number;
  readonly notBefore?: number;
  readonly iss?: string;
  readonly aud?: string;
  readonly [claim: string]: unknown;
}

/** A token issuer of a test's own (infra/auth/dev-issuer.cjs with a fresh key pair): the services trust its JWKS. */
export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: { readonly keys: readonly Record<string, unknown>[] };
  mint(claims: TokenClaims): string;
}

// The issuer is plain CommonJS so that `npm run token` and `npm start` share it without a TypeScript loader.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const devIssuer = require(join(__dirname, '..', '..', '..', 'infra', 'auth', 'dev-issuer.cjs')) as { createIssuer: () => TestIssuer };

export const createTestIssuer = (): TestIssuer => devIssuer.createIssuer();

/** `Authorization: Bearer <token>` for supertest's `.set(...)`. */
export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/** The environment that makes a service trust this issuer (AUTH_ISSUER, AUTH_AUDIENCE, inline AUTH_JWKS). */
export const issuerEnvironment = (issuer: TestIssuer): Record<string, string> => ({
  AUTH_ISSUER: issuer.issuer,
  AUTH_AUDIENCE: issuer.audience,
  AUTH_JWKS: JSON.stringify(issuer.jwks),
});

/** `Authorization` values of clinicians, one long-lived token each, made once (benches and load runs). */
export const clinicianBearers = (issuer: TestIssuer): ((clinicianId: string) => string) => {
  const tokens = new Map<string, string>();
  return (clinicianId) => {
    let token = tokens.get(clinicianId);
    if (token === undefined) tokens.set(clinicianId, (token = `Bearer ${issuer.mint({ sub: clinicianId, roles: ['clinician'], ttlSeconds: 86_400 })}`));
    return token;
  };
};
