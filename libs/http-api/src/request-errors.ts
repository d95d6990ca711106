import { DomainError, type DomainErrorKind, type FieldProblem } from '@golden-loop/decider';

/** The maximum number of field problems one answer lists; the rest are summed up in one more line. */
export const MAX_FIELD_PROBLEMS = 50;

/** A request the HTTP layer refuses before any domain code runs: a DTO field, a path parameter, a header. */
export class RequestInvalid extends DomainError {
  readonly code = 'validation_failed';
  readonly kind = 'invalid';

  constructor(
    private readonly fieldProblems: readonly FieldProblem[],
    message = 'The request has invalid fields.',
  ) {
    super(message, fieldProblems[0]?.field);
  }

  override get problems(): readonly FieldProblem[] {
    return this.fieldProblems;
  }
}

/**
 * What the HTTP layer itself notices about a request (body parser, routing, media types). Each has its own code
 * and the one status its kind or `status` gives; the sentence says what to send instead.
 */
export class RequestRefused extends DomainError {
  readonly kind: DomainErrorKind = 'invalid';

  constructor(
    readonly code: string,
    readonly status: 400 | 401 | 403 | 404 | 405 | 406 | 411 | 413 | 415 | 428 | 429,
    message: string,
    field?: string,
    /** Response headers the status calls for (WWW-Authenticate on 401, Retry-After on 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message, field);
  }
}
