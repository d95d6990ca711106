import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorBody, ErrorExplainer, FieldProblem } from './error-body';

const codeForStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  428: 'precondition_required',
  429: 'too_many_requests',
};

/** Thrown by the validation pipe and by controllers for a field-level problem. */
export class RequestInvalid extends HttpException {
  constructor(readonly problems: FieldProblem[], message = 'The request has invalid fields.') {
    super(message, HttpStatus.BAD_REQUEST);
  }
}

/**
 * Every error leaves the API in the ErrorBody shape. The service's explainer maps its domain errors
 * (a typed error with a stable code) to a status; anything unexplained is a 500 with no internals shown,
 * and is logged, because a user's mistake must never end up here.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorBodyFilter.name);

  constructor(private readonly explain: ErrorExplainer) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(error);
    if (body.status >= 500) this.logger.error(error instanceof Error ? error.stack : String(error));
    response.status(body.status).json(body);
  }

  private toBody(error: unknown): ErrorBody {
    const explained = this.explain(error);
    if (explained) return { problems: [], ...explained };
    if (error instanceof RequestInvalid) {
      return { status: 400, code: 'validation_failed', message: error.message, problems: error.problems };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      // body-parser's malformed JSON arrives as a 400 HttpException from Nest, or with its own type/status.
      return { status, code: codeForStatus[status] ?? 'http_error', message: error.message, problems: [] };
    }
    const parserError = error as { type?: string; status?: number; message?: string };
    if (parserError?.type === 'entity.parse.failed' || parserError?.type === 'entity.too.large') {
      const status = parserError.status ?? 400;
      return { status, code: codeForStatus[status] ?? 'bad_request', message: 'The request body is not valid JSON.', problems: [] };
    }
    return { status: 500, code: 'internal_error', message: 'Something went wrong on our side; nothing was changed.', problems: [] };
  }
}
