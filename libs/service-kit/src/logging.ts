import { correlationOf } from '@golden-loop/http-api';
import type { Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

/**
 * Field names whose values are protected health information or secrets: a client's own words, narrative,
 * names and birth dates, item responses, request bodies, credentials. Whatever logs them, at whatever depth up
 * to three levels, pino writes `[redacted]` instead (docs/privacy.md).
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

const redactPaths = REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]);

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
 * JSON log lines (pino) with the service's name, the request's correlation id (taken from `X-Correlation-Id`
 * or `traceparent`, or made here), and none of the fields above. Requests are logged without bodies or headers;
 * probes and scrapes are not logged.
 */
export const loggerParams = (service: string, level: string): Params => ({
  pinoHttp: [
    {
      level,
      base: { service },
      messageKey: 'message',
      redact: { paths: redactPaths, censor: '[redacted]' },
      genReqId: (request, response) => {
        const req = request as Request;
        req.correlation ??= correlationOf({ correlationId: req.header('x-correlation-id'), traceparent: req.header('traceparent') });
        (response as Response).setHeader('X-Correlation-Id', req.correlation.correlationId);
        return req.correlation.correlationId;
      },
      // Bound to every line logged while the request is handled, the request's own log line included.
      customProps: (request) => ({ correlationId: (request as Request).correlation?.correlationId }),
      autoLogging: { ignore: (request) => quietRoutes.test((request as Request).url ?? '') },
      serializers: {
        req: (request: { method?: string; url?: string }) => ({ method: request.method, url: request.url?.split('?')[0] }),
        res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
      },
    },
    forwarding,
  ],
  renameContext: 'context',
});
