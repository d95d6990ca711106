import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { RequestRefused } from '../request-errors';
import { ROLES, type Principal, type Role } from './principal';

/** Where the issuer's public keys come from: its JWKS URL in production, a file or inline JSON locally and in tests. */
export type KeySource = { readonly url: string } | { readonly file: string } | { readonly jwks: JSONWebKeySet };

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly keys: KeySource;
  /** Clock skew allowed on exp/nbf/iat (seconds). */
  readonly clockToleranceSeconds: number;
  /** How many verified tokens are remembered, and for how long at most (default TOKEN_CACHE). */
  readonly cache?: { readonly maxTokens: number; readonly maxAgeSeconds: number };
}

/**
 * Asymmetric signatures only: a token signed with a shared secret (HS*) — say HS256 with the issuer's public key used
 * as the secret, the classic algorithm-confusion attack — or not signed at all (`alg: none`) is refused whatever
 * its claims, because these algorithms are not on the list and the key set holds public keys only.
 */
export const ACCEPTED_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];

/**
 * Tokens verified lately are remembered (docs/security.md, "Verified tokens are remembered"): at most `maxTokens`,
 * each until its `exp` or `maxAgeSeconds` after it was verified, whichever comes first. A signature check is the
 * dearest step of a request (hundreds of microseconds for ES256) and a client sends the same token with every request.
 */
export const TOKEN_CACHE = { maxTokens: 10_000, maxAgeSeconds: 60 } as const;

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const keySetOf = (source: KeySource): JWTVerifyGetKey => {
  if ('url' in source) return createRemoteJWKSet(new URL(source.url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  if ('file' in source) return createLocalJWKSet(JSON.parse(readFileSync(source.file, 'utf8')) as JSONWebKeySet);
  return createLocalJWKSet(source.jwks);
};

const challenge = (error: string, description: string) => ({
  'WWW-Authenticate': `Bearer realm="golden-loop", error="${error}", error_description="${description}"`,
});

/** A 401 in the problem format, with the RFC 6750 challenge; the reason is generic on purpose (no oracle for forgers). */
export class TokenRefused extends RequestRefused {
  constructor(code: 'token_missing' | 'token_invalid' | 'token_expired', message: string) {
    super(code, 401, message, 'Authorization', code === 'token_missing' ? challenge('invalid_request', 'a bearer token is required') : challenge('invalid_token', message));
  }
}

const principalOf = (payload: JWTPayload): Principal => {
  const roles = payload.roles;
  const supervises = payload.supervises ?? [];
  if (typeof payload.sub !== 'string' || !uuidShape.test(payload.sub)) throw new TokenRefused('token_invalid', 'The token does not name its subject.');
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role): role is Role => (ROLES as readonly unknown[]).includes(role))) {
    throw new TokenRefused('token_invalid', 'The token carries no role this system knows.');
  }
  if (!Array.isArray(supervises) || !supervises.every((id) => typeof id === 'string' && uuidShape.test(id))) {
    throw new TokenRefused('token_invalid', 'The token’s supervises claim is not a list of user ids.');
  }
  // Frozen: one principal answers every request of a remembered token.
  return Object.freeze({
    userId: payload.sub.toLowerCase(),
    roles: Object.freeze([...roles]),
    supervises: Object.freeze(supervises.map((id: string) => id.toLowerCase())),
    ...(typeof payload.jti === 'string' ? { tokenId: payload.jti } : {}),
    expiresAt: new Date((payload.exp ?? 0) * 1000),
  });
};

/** Verifies bearer tokens (jose): signature against the issuer's keys, issuer, audience, expiry, not-before. */
export class TokenVerifier {
  private keySet?: JWTVerifyGetKey;
  /** Verified tokens by their SHA-256 (no bearer token is kept in memory), with their principal; refusals are never kept. */
  private readonly verified: LRUCache<string, Principal>;
  private readonly rememberMs: number;
  private hits = 0;
  private misses = 0;

  /** `keys` may be a function: resolved on first use (or by `loadKeys` at start-up), so documents can be built without keys. */
  constructor(private readonly settings: Omit<TokenSettings, 'keys'> & { readonly keys: KeySource | (() => KeySource) }) {
    const cache = settings.cache ?? TOKEN_CACHE;
    this.verified = new LRUCache<string, Principal>({ max: cache.maxTokens });
    this.rememberMs = cache.maxAgeSeconds * 1000;
  }

  /** Resolves the key source now: a service that cannot verify tokens should not start (runService calls it). */
  loadKeys(): JWTVerifyGetKey {
    this.keySet ??= keySetOf(typeof this.settings.keys === 'function' ? this.settings.keys() : this.settings.keys);
    return this.keySet;
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = authorization === undefined ? null : /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization.trim());
    if (authorization === undefined || authorization.trim() === '') throw new TokenRefused('token_missing', 'Send a bearer token: Authorization: Bearer <token>.');
    if (!match) throw new TokenRefused('token_invalid', 'The Authorization header is not a bearer token.');
    const key = createHash('sha256').update(match[1]).digest('base64url');
    const known = this.verified.get(key);
    if (known !== undefined) {
      this.hits += 1;
      return known;
    }
    this.misses += 1;
    const keys = this.loadKeys();
    try {
      const { payload } = await jwtVerify(match[1], keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      const principal = principalOf(payload);
      const ttl = Math.min(principal.expiresAt.getTime() - Date.now(), this.rememberMs);
      if (ttl > 0) this.verified.set(key, principal, { ttl });
      return principal;
    } catch (error) {
      if (error instanceof TokenRefused) throw error;
      if (error instanceof errors.JWTExpired) throw new TokenRefused('token_expired', 'The token has expired; get a new one.');
      throw new TokenRefused('token_invalid', 'The token is not valid here.');
    }
  }

  /** Remembered tokens, and verifications answered from memory (hits) or by a signature check (misses). */
  cacheStats(): { size: number; hits: number; misses: number } {
    return { size: this.verified.size, hits: this.hits, misses: this.misses };
  }
}
