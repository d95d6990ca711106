// `npm start`: the whole loop on this machine, in the foreground.
//  1. PostgreSQL and Kafka: whatever already answers is used; what is missing is started (infra/postgres, infra/kafka).
//  2. The development token issuer's keys (infra/auth), for the services to trust and `npm run token` to sign with.
//  3. Every service with a src/main.ts: each runs its migrations and creates its topics at start-up.
//  4. Waits until every service's /health/ready answers 200, then prints where each one is and how long it took.
// Logs are the services' JSON lines, passed through as they come. Ctrl-C (or SIGTERM) stops the services, and
// the broker or database server only if this run started them; nothing else.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ensurePostgres, stopMachinePostgres, stopPrivatePostgres } = require('./postgres/postgres.cjs');
const { ensureKafka, stopKafka } = require('./kafka/kafka.cjs');
const { devIssuer, JWKS_FILE } = require('./auth/dev-issuer.cjs');

const began = performance.now();
const say = (line) => process.stderr.write(`[start] ${line}\n`);
const readyTimeoutMs = Number(process.env.START_READY_TIMEOUT_MS ?? 120_000);

const database = process.env.GOLDEN_LOOP_DATABASE ?? 'golden_loop';
const postgres = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, started: 'none' } : await ensurePostgres({ database });
const kafka = process.env.KAFKA_BROKERS ? { brokers: process.env.KAFKA_BROKERS, started: false } : await ensureKafka();
devIssuer();

const services = readdirSync(join(root, 'services')).filter((name) => existsSync(join(root, 'services', name, 'src/main.ts')));
say(`PostgreSQL ${postgres.url}${postgres.started === 'none' ? '' : ` (started: ${postgres.started})`}; Kafka ${kafka.brokers}${kafka.started ? ' (started)' : ''}; services: ${services.join(', ')}`);

let stopping = false;
const children = services.map((name) => {
  const { PORT: _ignored, ...inherited } = process.env; // each service has its own port default
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join('services', name, 'src', 'main.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { AUTH_JWKS_FILE: JWKS_FILE, ...inherited, DATABASE_URL: postgres.url, KAFKA_BROKERS: kafka.brokers },
  });
  const service = { name, child, url: undefined, ready: false, exited: false };
  createInterface({ input: child.stdout }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    // runService logs "<service> on http://host:port (...)": where to look for readiness.
    const found = service.url === undefined ? /on (http:\/\/[^\s]+) \(/.exec(line) : null;
    if (found) service.url = found[1];
  });
  child.on('exit', (code, signal) => {
    service.exited = true;
    if (!stopping) {
      say(`${name} exited (${signal ?? code}) — stopping everything`);
      void stop(1);
    }
  });
  return service;
});

const stop = async (exitCode = 0) => {
  if (stopping) return;
  stopping = true;
  say('stopping the services');
  for (const { child, exited } of children) if (!exited) child.kill('SIGTERM');
  await Promise.all(children.map(({ child, exited }) => (exited ? undefined : new Promise((resolve) => child.once('exit', resolve)))));
  if (kafka.started) await stopKafka();
  if (postgres.started === 'private') await stopPrivatePostgres();
  if (postgres.started === 'machine') await stopMachinePostgres();
  process.exit(exitCode);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const ready = async (service) => {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline && !stopping) {
    if (service.url) {
      try {
        if ((await fetch(`${service.url}/health/ready`)).ok) return true;
      } catch {
        // not listening yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
};

const results = await Promise.all(children.map(async (service) => ({ service, ok: await ready(service) })));
if (stopping) await new Promise(() => undefined);
const late = results.filter(({ ok }) => !ok).map(({ service }) => service.name);
if (late.length > 0) {
  say(`not ready within ${readyTimeoutMs / 1000} s: ${late.join(', ')}`);
  await stop(1);
}
const seconds = ((performance.now() - began) / 1000).toFixed(1);
const rows = children.map(({ name, url }) => `  ${name.padEnd(18)} ${url}   Swagger UI ${url}/docs   metrics ${url}/metrics   AsyncAPI ${url}/docs/asyncapi.json`);
say(`Golden Loop is ready in ${seconds} s:\n${rows.join('\n')}\n  tokens: npm run token -- --role clinician   (Ctrl-C stops what this started)`);
