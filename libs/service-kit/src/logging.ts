import { correlationOf } from '@golden-loop/http-api';
import type { Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';

/**
 * Field names whose values are protected health information or secrets: a client's own words, narrative,
 * names and birth dates, item responses, request bodies, credentials. Whatever logs them, at a depth of up to
 * REDACT_DEPTH levels, the line carries `[redacted]` instead (docs/privacy.md).
 */
export const REDACTED_FIELDS = [
  'clientGoal',
  'clinicalGoal',
  'presentingProblem',
  'strengths',
  'description',
  'note',
  'notes',
  'narrative',
  'text',
  'name',
  'firstName',
  'lastName',
  'fullName',
  'birthDate',
  'dateOfBirth',
  'items',
  'body',
  'authorization',
  'cookie',
  'password',
  'token',
] as const;

/** How deep `redactPhi` looks: a field of the logged object is level 1, a field of one of its fields level 2, ... */
export const REDACT_DEPTH = 6;

const redactedFields: ReadonlySet<string> = new Set(REDACTED_FIELDS);
const nothingLeft: ReadonlySet<string> = new Set();
const CENSOR = '[redacted]';

/** A shallow copy of `value` that keeps what it is: an error its message and stack, an instance its prototype. */
const copyOf = (value: object): Record<string, unknown> => {
  const prototype = Object.getPrototypeOf(value) as object | null;
  const copy = (prototype === Object.prototype || prototype === null ? { ...value } : Object.assign(Object.create(prototype) as object, value)) as Record<string, unknown>;
  if (value instanceof Error) Object.defineProperties(copy, { message: { value: value.message, enumerable: false, writable: true }, stack: { value: value.stack, enumerable: false, writable: true } });
  return copy;
};

/**
 * `value` with every field named in REDACTED_FIELDS, down to REDACT_DEPTH levels, replaced by `[redacted]`;
 * arrays count as a level. What holds none of them comes back as it is, and nothing passed in is changed (a
 * copy is made only along the way to a redacted field). Fields of `value` named in `leave` are left as they are
 * (the serialized ones, below). It runs on every line pino writes (`formatters.log`, after the level check) and
 * on every child logger's bindings (`withRedactedBindings`). pino's own `redact`
 * option did the same by path, but with a wildcard path per field and level it cost about 35 µs for each
 * request's child logger and 75 µs for each line at 4 levels (`npm run bench:logging`; docs/loop-performance.md,
 * "Logging: redaction by path on every request").
 */
export const redactPhi = <T>(value: T, level = 1, leave: ReadonlySet<string> = nothingLeft): T => {
  if (value === null || typeof value !== 'object' || level > REDACT_DEPTH || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const redacted = redactPhi(item, level + 1);
      if (redacted !== item) (copy ??= [...(value as unknown[])])[index] = redacted;
    });
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(value) as [string, unknown][]) {
    if (leave.has(key)) continue;
    const redacted = redactedFields.has(key) ? CENSOR : redactPhi(field, level + 1);
    if (redacted !== field) (copy ??= copyOf(value))[key] = redacted;
  }
  return (copy ?? value) as T;
};

/**
 * What a logged request, response and error become: pino applies these after `formatters.log` and to a child's
 * bindings, so each redacts what it makes, and `redactPhi` leaves their fields to them. A raw request or response
 * (what pino-http binds and logs) is a tree of sockets and servers; walking it took 14 % of the plan service's CPU
 * (docs/loop-performance.md, "Logging: the request logger walked the raw request").
 */
const serializers = {
  req: (request: { method?: string; url?: string }) => ({ method: request.method, url: request.url?.split('?')[0] }),
  res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
  // pino-http hands this what pino's own error serializer made of the error; pino, the error itself.
  err: (error: unknown) => redactPhi(error instanceof Error ? pino.stdSerializers.err(error) : error, 2),
};
const serialized: ReadonlySet<string> = new Set(Object.keys(serializers));
const redactLine = (object: Record<string, unknown>): Record<string, unknown> => redactPhi(object, 1, serialized);

/** Where every service's log lines go: stdout, unless a test captures them (`captureLogs`). */
const sink: { target: DestinationStream } = { target: process.stdout };

const forwarding: DestinationStream = { write: (line: string) => sink.target.write(line) };

/** Sends the log lines of every service in this process to `target` until the returned function is called. */
export const redirectLogs = (target: DestinationStream): (() => void) => {
  const previous = sink.target;
  sink.target = target;
  return () => {
    sink.target = previous;
  };
};

const quietRoutes = /^\/(health|metrics)(\/|$)/;

/**
 * A pino logger whose child loggers, and theirs, are bound to their bindings with `redactPhi` applied. pino runs
 * `formatters.bindings` for the root logger alone; a child's bindings (the request logger's, `PinoLogger.assign`'s)
 * would go out as given.
 */
const withRedactedBindings = (logger: Logger): Logger => {
  const { child } = Object.getPrototypeOf(logger) as { child: (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger };
  Object.defineProperty(logger, 'child', {
    value: function (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) {
      return child.call(this, redactLine(bindings), options);
    },
  });
  return logger;
};

/**
 * JSON log lines (pino) with the service's name, the request's correlation id (taken from `X-Correlation-Id`
 * or `traceparent`, or made here), and none of the fields above: `redactPhi` sees every line and every child
 * logger's bindings. Requests are logged without bodies or headers; probes and scrapes are not logged.
 */
export const loggerParams = (service: string, level: string): Params => ({
  pinoHttp: {
    logger: withRedactedBindings(pino({ level, base: { service }, messageKey: 'message', serializers, formatters: { log: redactLine } }, forwarding)),
    genReqId: (request, response) => {
      const req = request as Request;
      req.correlation ??= correlationOf({ correlationId: req.header('x-correlation-id'), traceparent: req.header('traceparent') });
      (response as Response).setHeader('X-Correlation-Id', req.correlation.correlationId);
      return req.correlation.correlationId;
    },
    // Bound to every line logged while the request is handled, the request's own log line included.
    customProps: (request) => ({ correlationId: (request as Request).correlation?.correlationId }),
    autoLogging: { ignore: (request) => quietRoutes.test((request as Request).url ?? '') },
    serializers,
  },
  renameContext: 'context',
});
