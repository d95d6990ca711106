import type { NextFunction, Request, Response } from 'express';
import { RequestRefused } from './request-errors';
import { textProblemOf } from './text-policy';

// What is checked of a request before its body is read (docs/input-limits.md, "The order a request goes through", step 1).

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** A body is announced: a Content-Length above 0, or chunks. */
const announcesBody = (request: Request): boolean => {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = request.headers['content-length'];
  return length !== undefined && length !== '0';
};

/**
 * The path's percent-encoding must decode (a `%E0%A4%A` would reach the router as a URIError), and a body must be
 * JSON in UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8; body-parser would also take UTF-16 and
 * UTF-7 as "utf-").
 */
export const requestPreflight = (request: Request, _response: Response, next: NextFunction): void => {
  try {
    let path: string;
    try {
      path = decodeURIComponent(request.originalUrl.split('?')[0]);
    } catch {
      throw malformedPath();
    }
    // Query values are decoded leniently by express (a bad `%` stays as it is); here they must decode like the path.
    const query = request.originalUrl.split('?').slice(1).join('?');
    for (const part of query === '' ? [] : query.split('&')) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        throw new RequestRefused('malformed_query', 400, 'The query string has a malformed percent-encoding (a % must be followed by two hex digits of UTF-8).', '(query)');
      }
    }
    // Path parameters are ids, codes and numbers: none holds a control character, and a NUL would reach SQL.
    const problem = textProblemOf(path);
    if (problem) throw new RequestRefused(problem.code, 400, `The path ${problem.reason}.`, '(path)');
    if (announcesBody(request)) {
      const header = request.headers['content-type'];
      const [mediaType, ...parameters] = (header ?? '').split(';').map((part) => part.trim());
      if (!JSON_MEDIA_TYPE.test(mediaType)) {
        throw new RequestRefused(
          'unsupported_media_type',
          415,
          `The request body must be JSON: send it with Content-Type: application/json${header === undefined ? '' : ` (not ${mediaType.slice(0, 60) || 'an empty type'})`}.`,
          'Content-Type',
        );
      }
      const charset = parameters.map((parameter) => /^charset\s*=\s*"?([^";]*)"?$/i.exec(parameter)?.[1]).find((value) => value !== undefined);
      if (charset !== undefined && !/^utf-?8$/i.test(charset.trim())) throw unsupportedCharset();
    }
    next();
  } catch (error) {
    next(error);
  }
};

export const malformedPath = (): RequestRefused =>
  new RequestRefused('malformed_path', 400, 'The path has a malformed percent-encoding (a % must be followed by two hex digits of UTF-8).', '(path)');

export const unsupportedCharset = (): RequestRefused =>
  new RequestRefused('unsupported_charset', 415, 'The charset is not supported; send JSON as UTF-8.', 'Content-Type');
