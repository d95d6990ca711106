// A development token issuer: an ES256 key pair and a function that mints tokens for each role. For local runs
// (`npm start`, `npm run token`, the demo) the pair lives in infra/auth/.keys (git-ignored, made on first use) and
// the services read the public half from AUTH_JWKS_FILE; tests make a pair of their own in memory. Production
// points the services at the real issuer's JWKS URL instead (AUTH_JWKS_URL) and never loads this file.
// Signing is synchronous (node:crypto), so a test can write `.set(api.as('clinician'))`.
const { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const DEV_ISSUER = 'urn:goldenloop:dev-issuer';
const DEV_AUDIENCE = 'golden-loop';
const KEYS_DIR = join(__dirname, '.keys');
const PRIVATE_FILE = join(KEYS_DIR, 'dev-private.jwk.json');
const JWKS_FILE = join(KEYS_DIR, 'dev-jwks.json');

const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * An issuer over a private JWK (EC P-256): `mint({ sub, roles, supervises?, ttlSeconds?, notBefore?, iss?, aud?, ...claims })`
 * returns a signed JWT at once.
 */
function issuerOf(privateJwk, { issuer = DEV_ISSUER, audience = DEV_AUDIENCE } = {}) {
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const { d: _d, ...publicJwk } = privateJwk;
  return {
    issuer,
    audience,
    jwks: { keys: [publicJwk] },
    mint({ sub = randomUUID(), roles, supervises, ttlSeconds = 3600, notBefore, iss, aud, header = {}, ...claims }) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        ...claims,
        roles,
        ...(supervises ? { supervises } : {}),
        sub,
        iss: iss ?? issuer,
        aud: aud ?? audience,
        iat: now,
        exp: now + ttlSeconds,
        jti: randomUUID(),
        ...(notBefore === undefined ? {} : { nbf: notBefore }),
      };
      const input = `${base64url({ alg: 'ES256', kid: publicJwk.kid, typ: 'JWT', ...header })}.${base64url(payload)}`;
      const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    },
  };
}

function newPrivateJwk() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: randomUUID() };
}

/** A fresh in-memory issuer (tests). */
function createIssuer(options) {
  return issuerOf(newPrivateJwk(), options);
}

/** The file-backed development issuer; makes its key pair on first use and writes the public JWKS for the services. */
function devIssuer() {
  if (!existsSync(PRIVATE_FILE)) {
    mkdirSync(KEYS_DIR, { recursive: true });
    writeFileSync(PRIVATE_FILE, JSON.stringify(newPrivateJwk()), { mode: 0o600 });
  }
  const issuer = issuerOf(JSON.parse(readFileSync(PRIVATE_FILE, 'utf8')));
  if (!existsSync(JWKS_FILE)) writeFileSync(JWKS_FILE, JSON.stringify(issuer.jwks));
  return issuer;
}

// The public half of a private JWK, as a KeyObject (for a test that forges with it).
const publicKeyOf = (jwk) => createPublicKey({ key: jwk, format: 'jwk' });

module.exports = { createIssuer, devIssuer, publicKeyOf, DEV_AUDIENCE, DEV_ISSUER, JWKS_FILE };
