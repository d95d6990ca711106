import { randomUUID } from 'node:crypto';
import { createParamDecorator, Injectable, UnauthorizedException, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { RequestInvalid } from '@golden-loop/http-api';
import type { Request, Response } from 'express';
import type { CommandMetadata } from '../domain/commands';

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Path ids are UUIDs; anything else is the caller's mistake, named by its parameter. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}
  transform(value: string): string {
    if (!uuidShape.test(value)) throw new RequestInvalid([{ field: this.field, reason: 'must be a UUID' }]);
    return value.toLowerCase();
  }
}

export const planIdParam = new UuidParam('planId');

/** `If-Match: "7"` (or W/"7"): the version the caller read. Absent: the version the command reads is expected. */
export const expectedVersionOf = (ifMatch: string | undefined): number | undefined => {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(ifMatch);
  if (!match) throw new RequestInvalid([{ field: 'If-Match', reason: 'must be the plan ETag, such as "7"' }]);
  return Number(match[1]);
};

export const etagOf = (version: number): string => `"${version}"`;

export interface RequestActor {
  readonly userId: string;
  readonly correlationId: string;
}

/**
 * Who is acting, and the correlation id every event of this request carries. The user id comes from the
 * authentication layer in front of the service (X-User-Id); a real token check belongs in a guard there.
 */
const actorOf = (request: Request): RequestActor => {
  const userId = request.header('x-user-id');
  if (!userId || !uuidShape.test(userId)) {
    throw new UnauthorizedException('Say who is acting: X-User-Id must be the acting user’s UUID.');
  }
  const correlation = request.header('x-correlation-id');
  return { userId: userId.toLowerCase(), correlationId: correlation && uuidShape.test(correlation) ? correlation : randomUUID() };
};

export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): RequestActor =>
  actorOf(context.switchToHttp().getRequest<Request>()),
);

/** What a command on an existing plan takes from the request besides its body. */
export interface PlanCommandTarget {
  readonly planId: string;
  readonly actor: RequestActor;
  /** The If-Match header, parsed by the sender. */
  readonly ifMatch?: string;
  /** Where the sender sets the ETag. */
  readonly response: Response;
}

/** The plan a command is for (`:planId`), who acts, If-Match, and the response: one decorator for every command endpoint. */
export const CommandTarget = createParamDecorator((_: unknown, context: ExecutionContext): PlanCommandTarget => {
  const http = context.switchToHttp();
  const request = http.getRequest<Request>();
  return {
    planId: planIdParam.transform(String(request.params.planId)),
    actor: actorOf(request),
    ifMatch: request.header('if-match'),
    response: http.getResponse<Response>(),
  };
});

export const commandMetadata = (actor: RequestActor, now: Date = new Date()): CommandMetadata => ({
  now: now.toISOString(),
  userId: actor.userId,
});

export const setEtag = (response: Response, version: number): void => {
  response.setHeader('ETag', etagOf(version));
};
