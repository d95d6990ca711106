// A development token issuer: an ES256 key pair and a function that mints tokens for each role. For local runs
// (`npm start`, `npm run token`, the demo) the pair lives in infra/auth/.keys (git-ignored, made on first use) and
// the services read the public half from AUTH_JWKS_FILE; tests make a pair of their own in memory. Production
// points the services at the real issuer's JWKS URL instead (AUTH_JWKS_URL) and never loads this file.
const { randomUUID } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { exportJWK, generateKeyPair, importJWK, SignJWT } = require('jose');

const DEV_ISSUER = 'urn:goldenloop:dev-issuer';
const DEV_AUDIENCE = 'golden-loop';
const KEYS_DIR = join(__dirname, '.keys');
const PRIVATE_FILE = join(KEYS_DIR, 'dev-private.jwk.json');
const JWKS_FILE = join(KEYS_DIR, 'dev-jwks.json');

/** An issuer over a private JWK: `mint({ sub, roles, supervises?, ttlSeconds?, ...claims })` signs a token. */
async function issuerOf(privateJwk, { issuer = DEV_ISSUER, audience = DEV_AUDIENCE } = {}) {
  const key = await importJWK(privateJwk, 'ES256');
  const { d: _d, ...publicJwk } = privateJwk;
  return {
    issuer,
    audience,
    jwks: { keys: [publicJwk] },
    async mint({ sub = randomUUID(), roles, supervises, ttlSeconds = 3600, notBefore, header = {}, ...claims }) {
      const token = new SignJWT({ roles, ...(supervises ? { supervises } : {}), ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: publicJwk.kid, typ: 'JWT', ...header })
        .setSubject(sub)
        .setIssuer(claims.iss ?? issuer)
        .setAudience(claims.aud ?? audience)
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
      if (notBefore !== undefined) token.setNotBefore(notBefore);
      return token.sign(key);
    },
  };
}

async function newPrivateJwk() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: randomUUID() };
}

/** A fresh in-memory issuer (tests). */
async function createIssuer(options) {
  return issuerOf(await newPrivateJwk(), options);
}

/** The file-backed development issuer; makes its key pair on first use and writes the public JWKS for the services. */
async function devIssuer() {
  if (!existsSync(PRIVATE_FILE)) {
    mkdirSync(KEYS_DIR, { recursive: true });
    const jwk = await newPrivateJwk();
    writeFileSync(PRIVATE_FILE, JSON.stringify(jwk), { mode: 0o600 });
  }
  const issuer = await issuerOf(JSON.parse(readFileSync(PRIVATE_FILE, 'utf8')));
  if (!existsSync(JWKS_FILE)) writeFileSync(JWKS_FILE, JSON.stringify(issuer.jwks));
  return issuer;
}

module.exports = { createIssuer, devIssuer, DEV_AUDIENCE, DEV_ISSUER, JWKS_FILE };
