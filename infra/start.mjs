// `npm start`: brings up PostgreSQL and Kafka (reusing whatever already answers), then runs every service
// that has a src/main.ts in the foreground (each creates the topics it owns on start-up).
// Ctrl-C stops the services; the broker keeps running for the next start (`npm stop` stops it).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ensurePostgres } = require('./postgres/postgres.cjs');
const { ensureKafka } = require('./kafka/kafka.cjs');

const database = process.env.GOLDEN_LOOP_DATABASE ?? 'golden_loop';
const { url } = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : await ensurePostgres({ database });
const { brokers } = process.env.KAFKA_BROKERS ? { brokers: process.env.KAFKA_BROKERS } : await ensureKafka();

const services = readdirSync(join(root, 'services')).filter((name) => existsSync(join(root, 'services', name, 'src/main.ts')));
console.log(`PostgreSQL: ${url}\nKafka: ${brokers}\nservices: ${services.join(', ') || '(none yet)'}`);
if (services.length === 0) process.exit(0);

const children = services.map((name) =>
  spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join('services', name, 'src/main.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url, KAFKA_BROKERS: brokers },
  }),
);
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
let exited = 0;
children.forEach((child, i) =>
  child.on('exit', (code) => {
    console.log(`${services[i]} exited with ${code}`);
    if (++exited === children.length) process.exit(0);
  }),
);
