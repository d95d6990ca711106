import { DomainError } from '@golden-loop/decider';
import { BadRequestException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { gunzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import { bodyParserErrors, problemOf } from './problem-details.filter';
import { MAX_FIELD_PROBLEMS, RequestInvalid, RequestRefused } from './request-errors';

class GoalNotFound extends DomainError {
  readonly code = 'goal_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('This plan has no goal g-1.', 'goalId');
  }
}

class Stale extends DomainError {
  readonly code = 'version_conflict';
  readonly kind = 'precondition_failed';
  constructor() {
    super('It changed since you read it.');
  }
  override get extensions() {
    return { currentVersion: 7 };
  }
}

class NotNow extends DomainError {
  readonly code = 'plan_closed';
  readonly kind = 'conflict';
  constructor() {
    super('The plan is closed.');
  }
}

describe('problem details: the one mapping from an error to HTTP', () => {
  test.each([
    ['invalid', new RequestInvalid([{ field: 'items', reason: 'must be an array' }]), 400, 'validation_failed'],
    ['not_found', new GoalNotFound(), 404, 'goal_not_found'],
    ['conflict', new NotNow(), 409, 'plan_closed'],
    ['precondition_failed', new Stale(), 412, 'version_conflict'],
  ])('a domain error of kind %s answers %i with its own code', (_, error, status, code) => {
    expect(problemOf(error)).toMatchObject({ status, code, type: `urn:goldenloop:problem:${code}` });
  });

  test('the body has every RFC 9457 member, the fields at fault and the extension members', () => {
    expect(problemOf(new Stale(), '/plans/p/assessments')).toEqual({
      type: 'urn:goldenloop:problem:version_conflict',
      title: 'Version conflict',
      status: 412,
      detail: 'It changed since you read it.',
      code: 'version_conflict',
      problems: [],
      instance: '/plans/p/assessments',
      currentVersion: 7,
    });
    expect(problemOf(new GoalNotFound()).problems).toEqual([{ field: 'goalId', reason: 'This plan has no goal g-1.' }]);
  });

  test.each([
    [{ type: 'entity.parse.failed', status: 400 }, 400, 'malformed_json'],
    [{ type: 'entity.too.large', status: 413, limit: 102400 }, 413, 'payload_too_large'],
    [{ type: 'encoding.unsupported', status: 415, encoding: 'zstd' }, 415, 'unsupported_content_encoding'],
    [{ type: 'charset.unsupported', status: 415, charset: 'latin1' }, 415, 'unsupported_charset'],
    [{ type: 'request.aborted', status: 400 }, 400, 'request_aborted'],
    [{ type: 'request.size.invalid', status: 400 }, 400, 'content_length_mismatch'],
  ])('a body-parser failure %j is the client’s mistake: %i %s', (error, status, code) => {
    expect(problemOf(Object.assign(new Error('parser'), error))).toMatchObject({ status, code });
  });

  test('the 413 says how large a body may be, not that it is malformed', () => {
    expect(problemOf(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, limit: 102400 })).detail).toBe(
      'The request body is larger than the limit of 102400 bytes (after decompression).',
    );
  });

  test('a path whose percent-encoding does not decode is malformed_path, not a bare 400', () => {
    let uriError: unknown;
    try {
      decodeURIComponent('%E0%A4%A');
    } catch (error) {
      uriError = error;
    }
    expect(problemOf(uriError)).toEqual({
      type: 'urn:goldenloop:problem:malformed_path',
      title: 'Malformed path',
      status: 400,
      detail: 'The path has a malformed percent-encoding (a % must be followed by two hex digits of UTF-8).',
      code: 'malformed_path',
      problems: [{ field: '(path)', reason: 'The path has a malformed percent-encoding (a % must be followed by two hex digits of UTF-8).' }],
    });
  });

  test('a compressed body that does not decompress is content_encoding_invalid', () => {
    let zlibError: unknown;
    try {
      gunzipSync(Buffer.from('not gzip'));
    } catch (error) {
      zlibError = Object.assign(error as Error, { status: 400 });
    }
    const request = { headers: { 'content-encoding': 'gzip' } } as unknown as Request;
    let passed: unknown;
    bodyParserErrors(zlibError, request, {} as Response, (error: unknown) => {
      passed = error;
    });
    expect(problemOf(passed)).toMatchObject({
      status: 400,
      code: 'content_encoding_invalid',
      detail: 'The request body is not valid gzip data, as its Content-Encoding says it is.',
    });
  });

  test('Nest’s own exceptions keep their status with a code per status', () => {
    expect(problemOf(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, code: 'route_not_found' });
    expect(problemOf(new UnauthorizedException())).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(problemOf(new BadRequestException('URI malformed'))).toMatchObject({ status: 400, code: 'bad_request' });
  });

  test('a refusal of the HTTP layer carries its own status', () => {
    expect(problemOf(new RequestRefused('unauthenticated', 401, 'Say who is acting.', 'Authorization'))).toMatchObject({
      status: 401,
      code: 'unauthenticated',
      problems: [{ field: 'Authorization', reason: 'Say who is acting.' }],
    });
  });

  test('anything else is a 500 that shows no internals', () => {
    expect(problemOf(new TypeError('cannot read properties of undefined (reading "secret")'))).toEqual({
      type: 'urn:goldenloop:problem:internal_error',
      title: 'Internal error',
      status: 500,
      detail: 'Something went wrong on our side; nothing was changed.',
      code: 'internal_error',
      problems: [],
    });
  });

  test(`at most ${MAX_FIELD_PROBLEMS} field problems are listed, and the rest are counted`, () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ field: `items[${i}]`, reason: 'must be a number' }));
    const { problems } = problemOf(new RequestInvalid(many));
    expect(problems).toHaveLength(MAX_FIELD_PROBLEMS + 1);
    expect(problems.at(-1)).toEqual({ field: '(more)', reason: '70 more problems were not listed' });
  });
});
