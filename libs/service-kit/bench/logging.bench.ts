/**
 * npm run bench:logging
 *
 * What logging costs a request: the request logger pino-http makes for it (a child with the request's bindings)
 * and its "request completed" line, at `warn` (the line filtered out) and at `info` (the line written), through
 * the services' logger (`loggerParams`: `redactPhi` on every line and every child's bindings), next to the same
 * pino logger redacting by pino's own `redact` paths (one wildcard path per field and level, as the services
 * did before, to 4 levels; and to REDACT_DEPTH) and next to pino with no redaction at all. Lines go to a sink that drops them.
 * BENCH_LINES (default 50,000) requests per case.
 */
import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';
import { loggerParams, REDACT_DEPTH, REDACTED_FIELDS, redirectLogs } from '../src/logging';

const requests = Number(process.env.BENCH_LINES ?? 50_000);
const drop = { write: () => undefined };
/** pino `redact` paths for every field at every level down to `levels`: `note`, `*.note`, `*.*.note`, ... */
const pathsTo = (levels: number): string[] => REDACTED_FIELDS.flatMap((field) => Array.from({ length: levels }, (_, level) => [...Array<string>(level).fill('*'), field].join('.')));

const perRequestUs = (logger: Logger): number => {
  const request = () => logger.child({ req: { id: 'c-1', method: 'POST', url: '/plans/p-1/assessments' }, correlationId: 'c-1' }).info({ res: { statusCode: 201 }, responseTime: 3 }, 'request completed');
  for (let i = 0; i < 2_000; i++) request(); // warm-up
  const began = performance.now();
  for (let i = 0; i < requests; i++) request();
  return ((performance.now() - began) * 1000) / requests;
};

redirectLogs(drop);
console.log(`${requests.toLocaleString('en-US')} requests per case; µs per request (child logger + its line)`);
console.log('| logger | level warn (line filtered) | level info (line written) |\n| --- | ---: | ---: |');
const cases: [string, (level: string) => Logger][] = [
  ['services (redactPhi)', (level) => (loggerParams('plan', level).pinoHttp as { logger: Logger }).logger],
  ...[4, REDACT_DEPTH].map((levels): [string, (level: string) => Logger] => [
    `pino redact, ${levels} levels (${pathsTo(levels).length} paths)${levels === 4 ? ', as before' : ''}`,
    (level) => pino({ level, base: { service: 'plan' }, redact: { paths: pathsTo(levels), censor: '[redacted]' } }, drop),
  ]),
  ['pino, no redaction', (level) => pino({ level, base: { service: 'plan' } }, drop)],
];
for (const [label, make] of cases) console.log(`| ${label} | ${perRequestUs(make('warn')).toFixed(1)} | ${perRequestUs(make('info')).toFixed(1)} |`);
