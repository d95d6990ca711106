#!/usr/bin/env node
// npm run token -- --role clinician [--sub <uuid>] [--supervises <uuid,uuid>] [--ttl <seconds>]
// Prints a development bearer token (signed by infra/auth/dev-issuer.cjs) for the services `npm start` runs.
const { parseArgs } = require('node:util');
const { devIssuer } = require('./dev-issuer.cjs');

const ROLES = ['clinician', 'client', 'supervisor', 'billing', 'admin'];
const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    sub: { type: 'string' },
    supervises: { type: 'string' },
    ttl: { type: 'string', default: '3600' },
    json: { type: 'boolean', default: false },
  },
});
const roles = values.role ?? [];
if (roles.length === 0 || !roles.every((role) => ROLES.includes(role))) {
  console.error(`usage: npm run token -- --role <${ROLES.join('|')}> [--role ...] [--sub <uuid>] [--supervises <uuid,...>] [--ttl <seconds>] [--json]`);
  process.exit(2);
}
const issuer = devIssuer();
const sub = values.sub ?? require('node:crypto').randomUUID();
const supervises = values.supervises ? values.supervises.split(',').map((id) => id.trim()) : undefined;
const token = issuer.mint({ sub, roles, supervises, ttlSeconds: Number(values.ttl) });
console.log(values.json ? JSON.stringify({ sub, roles, supervises, token }) : token);
