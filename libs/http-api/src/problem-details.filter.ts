import { isDomainError, type DomainErrorKind, type FieldProblem } from '@golden-loop/decider';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problemTitleOf, problemTypeOf, type ProblemDetails } from './problem-details';
import { MAX_FIELD_PROBLEMS, RequestRefused } from './request-errors';
import { REQUEST_LIMITS } from './request-limits';
import { malformedPath, unsupportedCharset } from './request-preflight';

// The one mapping from what went wrong to HTTP, for every service (docs/service-kit.md, "Errors"; docs/errors.md).

const statusOfKind: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
};

/** Errors Nest itself raises (routing, guards), by status. */
const codeOfHttpStatus: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'route_not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

interface ParserError {
  readonly type?: string;
  readonly status?: number;
  readonly statusCode?: number;
  readonly limit?: number;
  readonly charset?: string;
  readonly encoding?: string;
  /** zlib's, when a compressed body does not decompress (Z_DATA_ERROR, ERR__ERROR_FORMAT_..., ZSTD_error_...). */
  readonly code?: unknown;
  readonly errno?: unknown;
}

/** body-parser and raw-body failures (their `type`), each a mistake of the client with its own code. */
export const fromParser = (error: ParserError): RequestRefused | undefined => {
  switch (error.type) {
    case 'entity.parse.failed':
      return new RequestRefused('malformed_json', 400, 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new RequestRefused(
        'payload_too_large',
        413,
        `The request body is larger than the limit of ${error.limit ?? REQUEST_LIMITS.maxBodyBytes} bytes (after decompression).`,
      );
    case 'encoding.unsupported':
      return new RequestRefused(
        'unsupported_content_encoding',
        415,
        'The Content-Encoding is not supported; send the body as identity, gzip, deflate, br or zstd.',
        'Content-Encoding',
      );
    case 'charset.unsupported':
      return unsupportedCharset();
    case 'request.aborted':
      return new RequestRefused('request_aborted', 400, 'The request was aborted before its body was read.');
    case 'request.size.invalid':
      return new RequestRefused('content_length_mismatch', 400, 'The body is not as long as its Content-Length says.', 'Content-Length');
    case 'parameters.too.many':
      return new RequestRefused('payload_too_large', 413, 'The request has too many parameters.');
    default:
      return undefined;
  }
};

/** The body said it was compressed, and the decompressor refused it: a gzip body that does not inflate, and so on. */
const isDecompressionFailure = (error: ParserError): boolean =>
  error.type === undefined && typeof error.errno === 'number' && typeof error.code === 'string';

const contentEncodingInvalid = (encoding: string): RequestRefused =>
  new RequestRefused(
    'content_encoding_invalid',
    400,
    `The request body is not valid ${encoding.slice(0, 20)} data, as its Content-Encoding says it is.`,
    'Content-Encoding',
  );

/**
 * A problem body for anything a request can end in. Domain errors carry their code, kind, fields and extension
 * members; the HTTP layer's own refusals their status; whatever is left is a 500 with no internals shown.
 */
export const problemOf = (error: unknown, instance?: string): ProblemDetails => {
  const refused = error instanceof RequestRefused ? error : error instanceof URIError ? malformedPath() : fromParser(error as ParserError);
  if (refused) return body(refused.status, refused.code, refused.message, refused.problems, {}, instance);
  if (isDomainError(error)) {
    return body(statusOfKind[error.kind], error.code, error.message, error.problems, error.extensions, instance);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return body(status, codeOfHttpStatus[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), error.message, [], {}, instance);
  }
  const status = (error as ParserError | null)?.status ?? (error as ParserError | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return body(status, codeOfHttpStatus[status] ?? 'bad_request', 'The request could not be read.', [], {}, instance);
  }
  return body(500, 'internal_error', 'Something went wrong on our side; nothing was changed.', [], {}, instance);
};

const body = (
  status: number,
  code: string,
  detail: string,
  problems: readonly FieldProblem[],
  extensions: Readonly<Record<string, unknown>>,
  instance: string | undefined,
): ProblemDetails => {
  const listed = problems.slice(0, MAX_FIELD_PROBLEMS).map(({ field, reason }) => ({ field, reason }));
  if (problems.length > MAX_FIELD_PROBLEMS) {
    listed.push({ field: '(more)', reason: `${problems.length - MAX_FIELD_PROBLEMS} more problems were not listed` });
  }
  return {
    type: problemTypeOf(code),
    title: problemTitleOf(code),
    status,
    detail,
    code,
    problems: listed,
    ...(instance === undefined ? {} : { instance }),
    ...extensions,
  };
};

/** Every error leaves every API as problem details; a 500 is logged, because a user's mistake must never end up there. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = problemOf(error, request.originalUrl?.split('?')[0]);
    if (problem.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (response.headersSent) return;
    if (error instanceof RequestRefused) for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

/**
 * Express error middleware, placed after the body parser and the body guard: the parser's failures become
 * RequestRefused before Nest sees them (Nest turns a JSON SyntaxError into a bare BadRequestException and loses what
 * kind of failure it was).
 */
export const bodyParserErrors = (error: unknown, request: Request, _response: Response, next: NextFunction): void => {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity' && isDecompressionFailure(error as ParserError)) {
    next(contentEncodingInvalid(encoding));
    return;
  }
  next(error instanceof URIError ? malformedPath() : (fromParser(error as ParserError) ?? error));
};
