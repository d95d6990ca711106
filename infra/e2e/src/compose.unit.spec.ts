import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';

// docker-compose.yml against the Compose Specification's JSON schema (the copy dclint ships, draft-07), since CI has
// no Docker engine to run `docker compose config`; and the stack it describes: the broker, the database and the
// three services, each on node:24, each with the keys it needs to verify tokens.

const repo = join(__dirname, '..', '..', '..');
const compose = parse(readFileSync(join(repo, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image?: string; environment?: Record<string, unknown>; depends_on?: unknown; healthcheck?: unknown }> };
// Its $schema names draft-07 by an https address Ajv does not hold; the schema itself is plain draft-07.
const schema = JSON.parse(readFileSync(join(repo, 'node_modules', 'dclint', 'schemas', 'compose.schema.json'), 'utf8')) as Record<string, unknown>;

test('docker-compose.yml is valid against the Compose Specification', () => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  const validate = ajv.compile(schema);
  const valid = validate(compose);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
});

test('a mistake in it would be caught', () => {
  const validate = new Ajv({ strict: false, validateFormats: false, validateSchema: false }).compile(schema);
  expect(validate({ ...compose, services: { ...compose.services, plan: { ...compose.services.plan, depends_on: 'kafka' } } })).toBe(false);
  expect(validate({ ...compose, servics: {} })).toBe(false);
});

test('it runs the whole loop: Kafka and PostgreSQL with healthchecks, the three services on Node 24 trusting the issuer', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['billing-readiness', 'kafka', 'plan', 'postgres', 'review-scheduler']);
  for (const infra of ['kafka', 'postgres']) expect(compose.services[infra].healthcheck).toBeDefined();
  for (const service of ['plan', 'review-scheduler', 'billing-readiness']) {
    expect(compose.services[service].image).toMatch(/^node:24/);
    expect(compose.services[service].environment).toMatchObject({ AUTH_JWKS_FILE: expect.any(String), HOST: '0.0.0.0' });
    expect(compose.services[service].depends_on).toMatchObject({ kafka: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
  }
});
