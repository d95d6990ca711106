/**
 * npm run bench:logging
 *
 * What logging costs a request, measured where the services pay it: pino-http's middleware (as nestjs-pino runs it)
 * on a real `http.IncomingMessage` and `ServerResponse`, with a parsed body, through to its "request completed"
 * line. At `warn` the line is filtered out and only the request logger (a child bound to the raw request) is made;
 * at `info` the line is written too. Cases: the services' logger (`loggerParams`: `redactPhi` on every line and
 * every child's bindings, the request and response left to their serializers); the same middleware on a pino logger
 * redacting by pino's own `redact` paths (one wildcard path per field and level, as the services did before
 * df79f54, to 4 levels; and to REDACT_DEPTH); on pino with no redaction; and no middleware at all (what making the
 * request and response costs, in every row). Lines go to a sink that drops them. BENCH_LINES (default 50,000)
 * requests per case.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';
import pinoHttp, { type Options } from 'pino-http';
import { loggerParams, REDACT_DEPTH, REDACTED_FIELDS, redirectLogs } from '../src/logging';

const requests = Number(process.env.BENCH_LINES ?? 50_000);
const drop = { write: () => undefined };
/** pino `redact` paths for every field at every level down to `levels`: `note`, `*.note`, `*.*.note`, ... */
const pathsTo = (levels: number): string[] => REDACTED_FIELDS.flatMap((field) => Array.from({ length: levels }, (_, level) => [...Array<string>(level).fill('*'), field].join('.')));

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;
const socket = new Socket();

const perRequestUs = (middleware: Middleware): number => {
  const request = () => {
    const req = Object.assign(new IncomingMessage(socket), {
      method: 'POST',
      url: '/plans/p-1/assessments',
      header: () => undefined,
      body: { instrument: 'PHQ-9', items: [2, 2, 1, 2, 2, 1, 2, 2, 0], note: 'in my own words' },
    });
    const res = new ServerResponse(req);
    middleware(req, res, () => undefined);
    res.writeHead(201);
    res.end();
    res.emit('finish');
  };
  for (let i = 0; i < 2_000; i++) request(); // warm-up
  const began = performance.now();
  for (let i = 0; i < requests; i++) request();
  return ((performance.now() - began) * 1000) / requests;
};

/** The services' pino-http options, on another logger. */
const middlewareOn = (logger: Logger): Middleware => pinoHttp({ ...(loggerParams('plan', 'info').pinoHttp as Options), logger });

redirectLogs(drop);
console.log(`${requests.toLocaleString('en-US')} requests per case; µs per request (request and response made, the middleware, its line)`);
console.log('| logger | level warn (line filtered) | level info (line written) |\n| --- | ---: | ---: |');
const cases: [string, (level: string) => Middleware][] = [
  ['services (redactPhi)', (level) => pinoHttp(loggerParams('plan', level).pinoHttp as Options)],
  ...[4, REDACT_DEPTH].map((levels): [string, (level: string) => Middleware] => [
    `pino redact, ${levels} levels (${pathsTo(levels).length} paths)${levels === 4 ? ', as before df79f54' : ''}`,
    (level) => middlewareOn(pino({ level, base: { service: 'plan' }, redact: { paths: pathsTo(levels), censor: '[redacted]' } }, drop)),
  ]),
  ['pino, no redaction', (level) => middlewareOn(pino({ level, base: { service: 'plan' } }, drop))],
  ['no logging middleware', () => (_request, _response, next) => next()],
];
for (const [label, make] of cases) console.log(`| ${label} | ${perRequestUs(make('warn')).toFixed(1)} | ${perRequestUs(make('info')).toFixed(1)} |`);
