import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Operation, Schema } from './openapi-operations';
import { deepJson, hostileValue, HOSTILE_TEXT, jsonTextOf, plausibleValue, RawJson, type Resolve, withOwnProperty } from './schema-values';

// Hostile requests for one endpoint, drawn from its own OpenAPI description: a plausible request (its path
// parameters naming real things, a body from an example or from its schema), then one mutation of its body, its
// bytes on the wire, a path parameter, the query string, a header or its method.

export interface HostileRequest {
  /** What was mutated, for the report of a failure. */
  readonly mutation: string;
  readonly method: string;
  /** Path and query string, percent-encoded as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface RequestContext {
  readonly operation: Operation;
  readonly resolve: Resolve;
  /** Values for path parameters that name real things (a plan, its goal); others are generated. */
  readonly pathValues: Readonly<Record<string, string>>;
  /** Headers of the plausible request (the acting user). */
  readonly headers: Readonly<Record<string, string>>;
  /** A known-good body: field mutations start from it, so they reach the domain. */
  readonly example?: unknown;
  readonly limits: { readonly maxStringLength: number; readonly maxBodyBytes: number };
}

type Path = readonly (string | number)[];

const pathText = (path: Path): string => path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('') || '(body)';

/** Every field of a schema, nested objects and the first element of arrays included, with its own schema. */
const fieldsOf = (resolve: Resolve, given: Schema | undefined, path: Path = [], depth = 0): { path: Path; schema: Schema }[] => {
  const schema = resolve(given);
  if (depth > 5) return [];
  if (schema.type === 'array') return [{ path: [...path, 0], schema: resolve(schema.items) }, ...fieldsOf(resolve, schema.items, [...path, 0], depth + 1)];
  const properties = Object.entries(schema.properties ?? {});
  return properties.flatMap(([name, property]) => [{ path: [...path, name], schema: resolve(property) }, ...fieldsOf(resolve, property, [...path, name], depth + 1)]).filter(
    (field, index, all) => all.findIndex((other) => pathText(other.path) === pathText(field.path)) === index,
  );
};

/** A copy of `value` with `path` set to `replacement`, creating the containers on the way. */
const setAt = (value: unknown, path: Path, replacement: unknown): unknown => {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  if (typeof key === 'number') {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[key] = setAt(list[key], rest, replacement);
    return list;
  }
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return withOwnProperty(object, key, setAt(object[key], rest, replacement));
};

const withoutAt = (value: unknown, path: Path): unknown => {
  if (path.length === 0 || value === null || typeof value !== 'object') return value;
  const [key, ...rest] = path;
  if (Array.isArray(value)) return (value as unknown[]).map((item, index) => (index === key ? withoutAt(item, rest) : item));
  const object = { ...(value as Record<string, unknown>) };
  if (rest.length === 0) delete object[key as string];
  else object[key as string] = withoutAt(object[key as string], rest);
  return object;
};

const encodeSegment = (value: string): string => encodeURIComponent(value);

const pathSegments: Readonly<Record<'uuid' | 'integer' | 'string', readonly string[]>> = {
  uuid: [
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '8f14e45f-ceea-967f-a5f3-6b1a3c9f0e2d',
    'not-a-uuid',
    '%7B8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d%7D',
    '8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d%20',
    '%208f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d',
  ],
  integer: ['0', '-1', '0x1', '+1', '%2B1', '1e0', '%201', '1.0', '01', '1%00', '99999999999999999999', 'NaN', 'Infinity', '1,2'],
  string: ['%00', '%0A', '%E2%80%AE', '%E2%80%8B', 'x'.repeat(3000), '%C0%AF', '..', '%2e%2e', '%2F'],
};
const MALFORMED_SEGMENTS = ['%E0%A4%A', '%', '%zz', '%C3', '%FF%FE'];

/** The plausible request: path parameters filled in, every query parameter given, the body from the example or the schema. */
const plausibleParts = (context: RequestContext) => {
  const { operation, resolve } = context;
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  return fc.record({
    pathValues: fc.record(
      Object.fromEntries(
        operation.parameters
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => [
            parameter.name,
            context.pathValues[parameter.name] !== undefined ? fc.constant(context.pathValues[parameter.name]) : plausibleValue(resolve, parameter.schema).map(String),
          ]),
      ),
    ),
    query: fc.record(Object.fromEntries(query.map((parameter) => [parameter.name, plausibleValue(resolve, parameter.schema).map(String)]))),
    body: operation.body === undefined ? fc.constant(undefined) : context.example !== undefined ? fc.constant(context.example) : plausibleValue(resolve, operation.body),
  });
};

type Parts = { pathValues: Record<string, string>; query: Record<string, string>; body: unknown };

const urlOf = (operation: Operation, segments: Record<string, string>, query: string): string =>
  `${operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => segments[name] ?? '')}${query === '' ? '' : `?${query}`}`;

const queryOf = (query: Record<string, string>): string => new URLSearchParams(query).toString();

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** Hostile requests for `context.operation`. */
export const hostileRequests = (context: RequestContext): fc.Arbitrary<HostileRequest> => {
  const { operation, resolve, limits } = context;
  const method = operation.method.toUpperCase();
  const encoded = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, encodeSegment(value)]));
  const request = (parts: Parts, mutation: string, change: Partial<HostileRequest> & { segments?: Record<string, string>; queryText?: string } = {}): HostileRequest => {
    const body = 'body' in change ? change.body : parts.body === undefined ? undefined : jsonTextOf(parts.body);
    return {
      mutation,
      method: change.method ?? method,
      url: urlOf(operation, { ...encoded(parts.pathValues), ...change.segments }, change.queryText ?? queryOf(parts.query)),
      headers: { ...context.headers, ...(body === undefined ? {} : JSON_HEADERS), ...change.headers },
      ...(body === undefined ? {} : { body }),
    };
  };

  const mutations: fc.Arbitrary<(parts: Parts) => HostileRequest>[] = [];
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');

  if (operation.body !== undefined) {
    const fields = fieldsOf(resolve, operation.body);
    if (fields.length > 0) {
      mutations.push(
        fc
          .constantFrom(...fields)
          .chain((field) => hostileValue(resolve, field.schema, limits).map((value) => ({ field, value })))
          .map(({ field, value }) => (parts: Parts) => request({ ...parts, body: setAt(parts.body, field.path, value) }, `body ${pathText(field.path)} = ${describe(value)}`)),
        fc.constantFrom(...fields).map((field) => (parts: Parts) => request({ ...parts, body: withoutAt(parts.body, field.path) }, `body without ${pathText(field.path)}`)),
      );
    }
    const objects: Path[] = [[], ...fields.filter((field) => resolve(field.schema).properties !== undefined).map((field) => field.path)];
    mutations.push(
      fc
        .tuple(fc.constantFrom(...objects), fc.constantFrom('__proto__', 'constructor', 'prototype', 'unknownField', 'a\u0000', 'k'.repeat(101), '\u202e', '', 'toString'))
        .map(([at, key]) => (parts: Parts) => request({ ...parts, body: setAt(parts.body, [...at, key], { polluted: true }) }, `body ${pathText([...at, key])} added`)),
      fc
        .constantFrom<unknown>(null, [], 'x', 1, true, {}, deepJson(12, 'object'), deepJson(2_000, 'object'), deepJson(49_000, 'array'), new Array(10_000).fill({}), new RawJson('1e400', '1e400'))
        .map((whole) => (parts: Parts) => request({ ...parts, body: whole }, `body = ${describe(whole)}`)),
      fc.constantFrom(...wireMutations(limits)).map((wire) => (parts: Parts) => {
        const text = jsonTextOf(parts.body);
        return request(parts, `wire: ${wire.name}`, { body: wire.body(text), headers: wire.headers });
      }),
    );
  } else {
    // An endpoint without a body, sent one anyway.
    mutations.push(
      fc.constantFrom('{"unexpected":true}', '{"a":', 'x').map((body) => (parts: Parts) => request(parts, `unexpected body ${body}`, { body, headers: JSON_HEADERS })),
    );
  }

  if (pathParameters.length > 0) {
    mutations.push(
      fc.constantFrom(...pathParameters).chain((parameter) => {
        const schema = resolve(parameter.schema);
        const kind = schema.format === 'uuid' ? 'uuid' : schema.type === 'integer' ? 'integer' : 'string';
        const good = context.pathValues[parameter.name];
        const segments = fc.constantFrom(...pathSegments[kind], ...pathSegments.string, ...MALFORMED_SEGMENTS, ...(good === undefined ? [] : [encodeSegment(good.toUpperCase())]));
        return segments.map((segment) => (parts: Parts) => request(parts, `path {${parameter.name}} = ${segment.slice(0, 60)}`, { segments: { [parameter.name]: segment } }));
      }),
    );
  }

  const queryValues = queryParameters.map((parameter) => {
    const schema = resolve(parameter.schema);
    const own = schema.type === 'integer' ? ['1e308', '1e3', '+1', '0x10', '-1', '0', '', '1.5', ' 1', `${(schema.maximum ?? 1000) + 1}`, '1\u0000'] : [];
    return fc
      // At most 4,000 characters: Node refuses a request line over 16 kB (431) before any service code runs.
      .oneof(
        fc.constantFrom(...own, ...HOSTILE_TEXT.slice(0, 14), 'x'.repeat(4000)),
        hostileValue(resolve, schema, limits).map((value) => (typeof value === 'string' ? value : value instanceof RawJson ? value.text : (JSON.stringify(value) ?? '')).slice(0, 4000)),
      )
      .map((value) => ({ name: parameter.name, value }));
  });
  mutations.push(
    fc
      .oneof(
        ...queryValues.map((values) => values.map(({ name, value }) => (parts: Parts) => request(parts, `query ${name} = ${describe(value)}`, { queryText: queryOf({ ...parts.query, [name]: value }) }))),
        fc.constantFrom('unknown=1', '__proto__%5Bpolluted%5D=1', 'constructor=1', `${'k'.repeat(120)}=1`, '%E0%A4%A=1', 'a=%E0%A4%A').map(
          (extra) => (parts: Parts) => request(parts, `query + ${extra.slice(0, 40)}`, { queryText: [queryOf(parts.query), extra].filter(Boolean).join('&') }),
        ),
        ...queryParameters.map((parameter) =>
          fc.constant((parts: Parts) => request(parts, `query ${parameter.name} repeated`, { queryText: `${queryOf(parts.query)}&${parameter.name}=1&${parameter.name}=2` })),
        ),
      ),
    fc
      .constantFrom<[string, string | undefined]>(
        ['Authorization', undefined],
        ['Authorization', ''],
        ['Authorization', 'Bearer'],
        ['Authorization', 'Basic dXNlcjpwYXNz'],
        ['Authorization', 'Bearer not.a.token'],
        ['Authorization', `Bearer ${'x'.repeat(2000)}`],
        ['Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDAiLCJyb2xlcyI6WyJhZG1pbiJdfQ.'],
        ['If-Match', '"abc"'],
        ['If-Match', '"-1"'],
        ['If-Match', '"0"'],
        ['If-Match', '"99999999999999999999"'],
        ['If-Match', '""'],
        ['If-Match', 'W/"1", "2"'],
        ['If-Match', '*'],
        ['X-Correlation-Id', 'x'.repeat(500)],
        ['traceparent', '00-00000000000000000000000000000000-0000000000000000-00'],
        ['Accept', 'text/html'],
      )
      .map(([name, value]) => (parts: Parts) => {
        const headers: Record<string, string> = { ...context.headers };
        if (value === undefined) delete headers[name];
        else headers[name] = value;
        const body = parts.body === undefined ? undefined : jsonTextOf(parts.body);
        return { mutation: `header ${name}: ${value === undefined ? '(none)' : value.slice(0, 40)}`, method, url: urlOf(operation, encoded(parts.pathValues), queryOf(parts.query)), headers: { ...headers, ...(body === undefined ? {} : JSON_HEADERS) }, ...(body === undefined ? {} : { body }) };
      }),
    fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE').filter((other) => other !== method).map((other) => (parts: Parts) => request(parts, `method ${other}`, { method: other })),
  );

  return fc.tuple(plausibleParts(context), fc.oneof(...mutations)).map(([parts, mutate]) => {
    const hostile = mutate(parts);
    // fast-check prints a counterexample with this, instead of a 100 kB body.
    return Object.assign(hostile, { [fc.toStringMethod]: () => describeRequest(hostile) });
  });
};

/** One line per request: method, URL, mutation, headers and the start of the body. */
export const describeRequest = (request: HostileRequest): string => {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : `<${request.body.length} bytes>`;
  return `${request.method} ${request.url.slice(0, 200)}${request.url.length > 200 ? '…' : ''} [${request.mutation}] ${JSON.stringify(request.headers).slice(0, 300)} ${body.slice(0, 300)}${body.length > 300 ? `… (${body.length} characters)` : ''}`;
};

const describe = (value: unknown): string => {
  if (value instanceof RawJson) return value[fc.toStringMethod]();
  if (Array.isArray(value) && value.length > 5) return `[${value.length} × ${JSON.stringify(value[0])?.slice(0, 20)}]`;
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
};

interface WireMutation {
  readonly name: string;
  readonly body: (json: string) => string | Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** The body's bytes and how they are announced: malformed JSON, other charsets and media types, compression. */
const wireMutations = (limits: RequestContext['limits']): readonly WireMutation[] => {
  const json = { 'Content-Type': 'application/json' };
  const gzipBomb = gzipSync(Buffer.from(`{"a":"${' '.repeat(limits.maxBodyBytes * 20)}"}`));
  return [
    { name: 'truncated JSON', body: (text) => text.slice(0, Math.max(1, text.length - 1)), headers: json },
    { name: 'trailing garbage', body: (text) => `${text}}{`, headers: json },
    { name: 'single quotes', body: (text) => text.replace(/"/g, "'"), headers: json },
    { name: 'a trailing comma', body: (text) => text.replace(/}$/, ',}'), headers: json },
    { name: 'NaN literal', body: () => '{"a":NaN}', headers: json },
    { name: 'a BOM first', body: (text) => `\ufeff${text}`, headers: json },
    { name: 'invalid UTF-8 bytes', body: (text) => Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(text.slice(-1))]), headers: json },
    { name: 'an overlong UTF-8 NUL', body: () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d]), headers: json },
    { name: 'UTF-16 declared', body: (text) => Buffer.from(text, 'utf16le'), headers: { 'Content-Type': 'application/json; charset=utf-16' } },
    { name: 'latin1 declared', body: (text) => Buffer.from(text, 'latin1'), headers: { 'Content-Type': 'application/json; charset=latin1' } },
    { name: 'utf-7 declared', body: (text) => text, headers: { 'Content-Type': 'application/json; charset=utf-7' } },
    { name: 'an unknown charset', body: (text) => text, headers: { 'Content-Type': 'application/json; charset=klingon' } },
    { name: 'text/plain', body: (text) => text, headers: { 'Content-Type': 'text/plain' } },
    { name: 'form encoded', body: () => 'a=1&b=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
    { name: 'multipart', body: () => '--x\r\n\r\n--x--', headers: { 'Content-Type': 'multipart/form-data; boundary=x' } },
    { name: 'a malformed media type', body: (text) => text, headers: { 'Content-Type': 'application/json;;;=' } },
    { name: 'octet-stream', body: (text) => Buffer.from(text), headers: { 'Content-Type': 'application/octet-stream' } },
    { name: 'gzip, valid', body: (text) => gzipSync(text), headers: { ...json, 'Content-Encoding': 'gzip' } },
    { name: 'gzip that does not inflate', body: (text) => Buffer.from(text), headers: { ...json, 'Content-Encoding': 'gzip' } },
    { name: 'gzip cut short', body: (text) => gzipSync(text).subarray(0, 12), headers: { ...json, 'Content-Encoding': 'gzip' } },
    { name: 'deflate that does not inflate', body: (text) => Buffer.from(text), headers: { ...json, 'Content-Encoding': 'deflate' } },
    { name: 'deflate, valid', body: (text) => deflateSync(text), headers: { ...json, 'Content-Encoding': 'deflate' } },
    { name: 'br that does not decompress', body: (text) => Buffer.from(text), headers: { ...json, 'Content-Encoding': 'br' } },
    { name: 'br, valid', body: (text) => brotliCompressSync(text), headers: { ...json, 'Content-Encoding': 'br' } },
    { name: 'zstd that does not decompress', body: (text) => Buffer.from(text), headers: { ...json, 'Content-Encoding': 'zstd' } },
    { name: 'an unknown encoding', body: (text) => text, headers: { ...json, 'Content-Encoding': 'compress' } },
    { name: 'two encodings', body: (text) => gzipSync(text), headers: { ...json, 'Content-Encoding': 'gzip, br' } },
    { name: 'a gzip bomb', body: () => gzipBomb, headers: { ...json, 'Content-Encoding': 'gzip' } },
    { name: 'over the body limit', body: (text) => `${text}${' '.repeat(limits.maxBodyBytes)}`, headers: json },
  ];
};
