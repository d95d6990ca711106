import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What ties a request to the events it causes and to every log line about it. */
export interface RequestCorrelation {
  /** A lower-case UUID: the events' `correlationId` (ce_correlationid). */
  readonly correlationId: string;
  /** The incoming W3C trace context, when it is well formed; carried as ce_traceparent. */
  readonly traceparent?: string;
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// W3C Trace Context §3.2: version-traceid-parentid-flags; an all-zero trace id is invalid.
const traceparentShape = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const uuidOfTraceId = (traceId: string): string =>
  `${traceId.slice(0, 8)}-${traceId.slice(8, 12)}-${traceId.slice(12, 16)}-${traceId.slice(16, 20)}-${traceId.slice(20)}`;

/**
 * The correlation of a request, in this order: `X-Correlation-Id` when it is a UUID; else the trace id of a valid
 * `traceparent` (its 128 bits written as a UUID, so one trace is one correlation); else a new one made here, at the edge.
 */
export const correlationOf = (headers: { correlationId?: string; traceparent?: string }): RequestCorrelation => {
  const trace = headers.traceparent === undefined ? null : traceparentShape.exec(headers.traceparent.trim());
  const validTrace = trace !== null && !/^0+$/.test(trace[1]) && !/^0+$/.test(trace[2]) ? trace : null;
  const given = headers.correlationId?.trim();
  const correlationId =
    given !== undefined && uuidShape.test(given)
      ? given.toLowerCase()
      : validTrace
        ? uuidOfTraceId(validTrace[1])
        : randomUUID();
  return { correlationId, ...(validTrace ? { traceparent: validTrace[0] } : {}) };
};

declare module 'express-serve-static-core' {
  interface Request {
    correlation?: RequestCorrelation;
  }
}

/** Express middleware: sets `request.correlation` and answers with `X-Correlation-Id`. */
export const correlationMiddleware = (request: Request, response: Response, next: NextFunction): void => {
  request.correlation = correlationOf({
    correlationId: request.header('x-correlation-id'),
    traceparent: request.header('traceparent'),
  });
  response.setHeader('X-Correlation-Id', request.correlation.correlationId);
  next();
};

export const requestCorrelation = (request: Request): RequestCorrelation =>
  request.correlation ?? correlationOf({});
