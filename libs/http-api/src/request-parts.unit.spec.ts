import { correlationOf } from './correlation';
import { expectedVersionOf, PositiveIntegerParam, UuidParam } from './command-target';
import type { Request, Response } from 'express';
import { problemOf } from './problem-details.filter';
import { RequestInvalid } from './request-errors';
import { requestPreflight } from './request-preflight';

describe('correlation at the edge', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  test('an X-Correlation-Id that is a UUID is kept, lower-cased', () => {
    expect(correlationOf({ correlationId: ' 8F14E45F-CEEA-467F-A5F3-6B1A3C9F0E2D ' })).toEqual({ correlationId: '8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d' });
  });

  test('a valid traceparent gives its trace id as the correlation and travels on', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(correlationOf({ traceparent })).toEqual({ correlationId: '4bf92f35-77b3-4da6-a3ce-929d0e0e4736', traceparent });
  });

  test.each([
    ['not a uuid', { correlationId: 'abc' }],
    ['an all-zero trace id', { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }],
    ['an unknown trace-context version', { traceparent: 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }],
    ['nothing', {}],
  ])('%s: a new correlation id is made here, and no trace context is passed on', (_, headers) => {
    const correlation = correlationOf(headers);
    expect(correlation.correlationId).toMatch(uuid);
    expect(correlation.traceparent).toBeUndefined();
  });
});

describe('request parts parsed strictly', () => {
  test.each([
    ['"7"', 7],
    ['W/"7"', 7],
    ['7', 7],
    [undefined, undefined],
    ['*', undefined],
  ])('If-Match %s expects version %s', (header, version) => {
    expect(expectedVersionOf(header)).toBe(version);
  });

  test.each(['"abc"', '"-1"', '"1e3"', '"12345678901234567890"'])('If-Match %s is refused naming the header', (header) => {
    expect(() => expectedVersionOf(header)).toThrow(RequestInvalid);
  });

  test.each(['1', '42', '999999999'])('revision %s is read as a number', (value) => {
    expect(PositiveIntegerParam('revision').transform(value, { type: 'param' })).toBe(Number(value));
  });

  test.each(['0', '0x1', '+1', '1e0', ' 1', '1.0', '01', '1000000000', ''])('revision %j is refused, not read loosely', (value) => {
    expect(() => PositiveIntegerParam('revision').transform(value, { type: 'param' })).toThrow(RequestInvalid);
  });

  test('a path UUID is lower-cased; anything else is refused naming the parameter', () => {
    expect(UuidParam('goalId').transform('8F14E45F-CEEA-467F-A5F3-6B1A3C9F0E2D', { type: 'param' })).toBe('8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d');
    expect(() => UuidParam('goalId').transform('nope', { type: 'param' })).toThrow(
      expect.objectContaining({ problems: [{ field: 'goalId', reason: 'must be a UUID' }] }),
    );
  });

  test.each(['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'])('the path refuses %s, as bodies do', (value) => {
    expect(() => UuidParam('planId').transform(value, { type: 'param' })).toThrow(RequestInvalid);
  });
});

describe('before the body is read', () => {
  const preflight = (headers: Record<string, string>, url = '/plans') => {
    let passed: unknown = 'not called';
    requestPreflight({ headers, originalUrl: url } as unknown as Request, {} as Response, (error?: unknown) => {
      passed = error;
    });
    return passed === undefined ? null : problemOf(passed);
  };

  test('a JSON body in UTF-8, or no body at all, goes on', () => {
    expect(preflight({ 'content-type': 'application/json', 'content-length': '2' })).toBeNull();
    expect(preflight({ 'content-type': 'application/merge-patch+json; charset=UTF-8', 'content-length': '2' })).toBeNull();
    expect(preflight({})).toBeNull();
    expect(preflight({ 'content-type': 'text/plain', 'content-length': '0' })).toBeNull();
  });

  test.each(['latin1', 'utf-16', 'utf-7', '"utf-32"'])('charset=%s is unsupported_charset', (charset) => {
    expect(preflight({ 'content-type': `application/json; charset=${charset}`, 'content-length': '2' })).toMatchObject({ status: 415, code: 'unsupported_charset' });
  });

  test('a body that is not JSON, or has no Content-Type, is unsupported_media_type', () => {
    expect(preflight({ 'content-type': 'text/plain', 'content-length': '2' })).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(preflight({ 'transfer-encoding': 'chunked' })).toMatchObject({
      status: 415,
      code: 'unsupported_media_type',
      detail: 'The request body must be JSON: send it with Content-Type: application/json.',
    });
  });

  test('a path that does not decode, or decodes to a control character, is refused before routing', () => {
    expect(preflight({}, '/plans/%E0%A4%A')).toMatchObject({ status: 400, code: 'malformed_path' });
    expect(preflight({}, '/plans/%00')).toMatchObject({ status: 400, code: 'text_unstorable', problems: [{ field: '(path)' }] });
    expect(preflight({}, '/plans/%E2%80%AE')).toMatchObject({ status: 400, code: 'text_bidi_control' });
    expect(preflight({}, '/plans?clientId=%E0%A4%A')).toMatchObject({ status: 400, code: 'malformed_query', problems: [{ field: '(query)' }] });
    expect(preflight({}, '/plans?note=a+b%20c')).toBeNull();
  });
});
