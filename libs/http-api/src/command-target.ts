import type { CommandMetadata } from '@golden-loop/decider';
import { createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import type { Request, Response } from 'express';
import type {} from './auth/auth.decorators';
import type { Principal } from './auth/principal';
import { requestCorrelation } from './correlation';
import { ID_REASON, idOf } from './ids';
import { RequestInvalid, RequestRefused } from './request-errors';

/** A path id must be a UUID by the one rule bodies follow too (ids.ts); anything else is refused naming the parameter. */
export const uuidParameter = (field: string, value: unknown): string => {
  const id = idOf(value);
  if (id === null) throw new RequestInvalid([{ field, reason: ID_REASON }]);
  return id;
};

/** `@Param('goalId', UuidParam('goalId'))`: the path id, lower-cased, or a 400 naming the parameter. */
export const UuidParam = (field: string): PipeTransform<unknown, string> => ({ transform: (value) => uuidParameter(field, value) });

/**
 * `@Param('revision', PositiveIntegerParam('revision'))`: decimal digits only, so `0x1`, `+1`, `1e0` and `" 1"`
 * are refused instead of read as 1.
 */
export const PositiveIntegerParam = (field: string): PipeTransform<unknown, number> => ({
  transform: (value) => {
    if (typeof value !== 'string' || !/^[1-9][0-9]{0,8}$/.test(value)) {
      throw new RequestInvalid([{ field, reason: 'must be a positive whole number written in digits' }]);
    }
    return Number(value);
  },
});

/**
 * `If-Match: "7"` (or W/"7"): the version the caller read. Absent (or `*`): the command is decided against the
 * version it reads.
 */
export const expectedVersionOf = (ifMatch: string | undefined): number | undefined => {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch);
  if (!match) throw new RequestInvalid([{ field: 'If-Match', reason: 'must be the ETag you read, such as "7"' }]);
  return Number(match[1]);
};

export const etagOf = (version: number): string => `"${version}"`;

export const setEtag = (response: Response, version: number): void => {
  response.setHeader('ETag', etagOf(version));
};

/** Who acts: the subject of the request's verified bearer token (the AuthGuard put it on the request). */
export const actingUserOf = (request: Request): string => {
  const principal = request.principal;
  if (!principal) throw new RequestRefused('token_missing', 401, 'Send a bearer token: Authorization: Bearer <token>.', 'Authorization');
  return principal.userId;
};

/** What a command takes from its request besides the body: the stream, the caller's metadata, If-Match, the response. */
export interface CommandTargetOf {
  /** The path id of the stream the command is for. */
  readonly streamId: string;
  readonly metadata: CommandMetadata & { readonly userId: string };
  /** The verified caller: what the service checks the caseload against. */
  readonly principal: Principal;
  readonly expectedVersion?: number;
  /** Where the ETag goes. */
  readonly response: Response;
}

/** The request's command metadata: now, the acting user, the correlation made at the edge. */
export const commandMetadataOf = (request: Request, now: Date = new Date()): CommandMetadata & { readonly userId: string } => {
  const correlation = requestCorrelation(request);
  return {
    now: now.toISOString(),
    userId: actingUserOf(request),
    correlationId: correlation.correlationId,
    ...(correlation.traceparent === undefined ? {} : { traceparent: correlation.traceparent }),
  };
};

/**
 * One decorator for every command endpoint: `@CommandTarget('planId') target: CommandTargetOf`. The stream id is
 * the named path parameter (a UUID); a command that creates its stream takes `@CommandTarget()` and names its id.
 */
export const CommandTarget = createParamDecorator((parameter: string | undefined, context: ExecutionContext): CommandTargetOf => {
  const http = context.switchToHttp();
  const request = http.getRequest<Request>();
  return {
    streamId: parameter === undefined ? '' : uuidParameter(parameter, request.params[parameter]),
    metadata: commandMetadataOf(request),
    principal: request.principal!,
    expectedVersion: expectedVersionOf(request.header('if-match')),
    response: http.getResponse<Response>(),
  };
});
