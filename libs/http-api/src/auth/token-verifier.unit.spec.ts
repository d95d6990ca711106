import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { TokenRefused, TokenVerifier } from './token-verifier';

// The development issuer the services trust locally (infra/auth); here a fresh key pair per run.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createIssuer } = require(join(__dirname, '../../../../infra/auth/dev-issuer.cjs')) as {
  createIssuer: (options?: { issuer?: string; audience?: string }) => {
    issuer: string;
    audience: string;
    jwks: { keys: Record<string, unknown>[] };
    mint(claims: Record<string, unknown>): string;
  };
};

let issuer: ReturnType<typeof createIssuer>;
let verifier: TokenVerifier;
const clinician = randomUUID();

beforeAll(() => {
  issuer = createIssuer();
  verifier = new TokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: { jwks: issuer.jwks as never }, clockToleranceSeconds: 5 });
});

const bearer = (token: string) => `Bearer ${token}`;

describe('bearer tokens', () => {
  test('a token of the issuer gives the principal: subject, roles, supervised clinicians', async () => {
    const supervised = randomUUID();
    const token = issuer.mint({ sub: clinician.toUpperCase(), roles: ['supervisor', 'clinician'], supervises: [supervised] });
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ userId: clinician, roles: ['supervisor', 'clinician'], supervises: [supervised] });
  });

  test('no token is 401 token_missing, with a Bearer challenge', async () => {
    const refused = verifier.verify(undefined);
    await expect(refused).rejects.toBeInstanceOf(TokenRefused);
    await expect(refused).rejects.toMatchObject({ status: 401, code: 'token_missing', headers: { 'WWW-Authenticate': expect.stringMatching(/^Bearer realm="golden-loop"/) } });
  });

  const tampered: [string, () => string | Promise<string>, string][] = [
    ['a bad signature', async () => {
      const [header, payload] = (issuer.mint({ roles: ['clinician'] })).split('.');
      const other = createIssuer().mint({ roles: ['clinician'] });
      return `${header}.${payload}.${other.split('.')[2]}`;
    }, 'token_invalid'],
    ['a payload changed after signing', async () => {
      const [header, , signature] = (issuer.mint({ roles: ['client'] })).split('.');
      const payload = Buffer.from(JSON.stringify({ sub: randomUUID(), roles: ['admin'], iss: issuer.issuer, aud: issuer.audience, exp: 9999999999 })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }, 'token_invalid'],
    ['an expired token', () => issuer.mint({ roles: ['clinician'], ttlSeconds: -60 }), 'token_expired'],
    ['a token not yet valid', () => issuer.mint({ roles: ['clinician'], notBefore: Math.floor(Date.now() / 1000) + 3600 }), 'token_invalid'],
    ['another issuer', () => issuer.mint({ roles: ['clinician'], iss: 'https://evil.example' }), 'token_invalid'],
    ['another audience', () => issuer.mint({ roles: ['clinician'], aud: 'someone-else' }), 'token_invalid'],
    ['alg: none', async () => new UnsecuredJWT({ sub: randomUUID(), roles: ['admin'] }).setIssuer(issuer.issuer).setAudience(issuer.audience).setExpirationTime('1h').encode(), 'token_invalid'],
    ['HS256 with the public key as the secret', async () =>
      new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', kid: issuer.jwks.keys[0].kid as string })
        .setSubject(randomUUID())
        .setIssuer(issuer.issuer)
        .setAudience(issuer.audience)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(JSON.stringify(issuer.jwks.keys[0]))), 'token_invalid'],
    ['a subject that is not a user id', () => issuer.mint({ sub: 'root', roles: ['admin'] }), 'token_invalid'],
    ['no role', () => issuer.mint({ roles: [] }), 'token_invalid'],
    ['a role this system does not know', () => issuer.mint({ roles: ['superuser'] }), 'token_invalid'],
    ['supervises that are not user ids', () => issuer.mint({ roles: ['supervisor'], supervises: ['*'] }), 'token_invalid'],
    ['not a JWT at all', async () => 'definitely-not-a-token', 'token_invalid'],
  ];

  test.each(tampered)('%s is refused with 401 %s', async (_, make, code) => {
    await expect(verifier.verify(bearer(await make()))).rejects.toMatchObject({ status: 401, code });
  });
});

describe('verified tokens are remembered (docs/security.md)', () => {
  const fresh = () => new TokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: { jwks: issuer.jwks as never }, clockToleranceSeconds: 5 });

  test('the same token again is answered from memory, with the same principal', async () => {
    const remembering = fresh();
    const token = bearer(issuer.mint({ sub: clinician, roles: ['clinician'] }));
    const first = await remembering.verify(token);
    const again = await remembering.verify(token);
    expect(again).toBe(first);
    expect(Object.isFrozen(again) && Object.isFrozen(again.roles) && Object.isFrozen(again.supervises)).toBe(true);
    expect(remembering.cacheStats()).toEqual({ size: 1, hits: 1, misses: 1 });
    await remembering.verify(bearer(issuer.mint({ sub: clinician, roles: ['clinician'] })));
    expect(remembering.cacheStats()).toMatchObject({ size: 2, misses: 2 });
  });

  test('a refused token is never remembered: each try is checked again', async () => {
    const remembering = fresh();
    const forged = bearer(`${issuer.mint({ roles: ['clinician'] }).split('.').slice(0, 2).join('.')}.${createIssuer().mint({ roles: ['clinician'] }).split('.')[2]}`);
    await expect(remembering.verify(forged)).rejects.toMatchObject({ code: 'token_invalid' });
    await expect(remembering.verify(forged)).rejects.toMatchObject({ code: 'token_invalid' });
    expect(remembering.cacheStats()).toEqual({ size: 0, hits: 0, misses: 2 });
  });

  test('a token is remembered no longer than its exp: after it, the signature and the clock are checked again', async () => {
    const remembering = fresh();
    const token = bearer(issuer.mint({ roles: ['clinician'], ttlSeconds: 1 }));
    await remembering.verify(token);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Past exp, within the clock tolerance: jose accepts it again, but only after checking it again.
    await remembering.verify(token);
    expect(remembering.cacheStats()).toMatchObject({ hits: 0, misses: 2, size: 0 });
  });

  test('at most maxTokens are remembered, each at most maxAgeSeconds', async () => {
    const small = new TokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: { jwks: issuer.jwks as never }, clockToleranceSeconds: 5, cache: { maxTokens: 2, maxAgeSeconds: 0.3 } });
    const [a, b, c] = [1, 2, 3].map(() => bearer(issuer.mint({ roles: ['clinician'] })));
    for (const token of [a, b, c]) await small.verify(token);
    expect(small.cacheStats()).toMatchObject({ size: 2, misses: 3 });
    await small.verify(c);
    await small.verify(a);
    expect(small.cacheStats()).toMatchObject({ hits: 1, misses: 4 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await small.verify(a);
    expect(small.cacheStats()).toMatchObject({ hits: 1, misses: 5 });
  });

  test('an expired token is refused even right after a remembered one of the same subject', async () => {
    const remembering = fresh();
    await remembering.verify(bearer(issuer.mint({ sub: clinician, roles: ['clinician'] })));
    await expect(remembering.verify(bearer(issuer.mint({ sub: clinician, roles: ['clinician'], ttlSeconds: -60 })))).rejects.toMatchObject({ code: 'token_expired' });
  });
});
