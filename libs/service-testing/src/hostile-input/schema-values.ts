import fc from 'fast-check';
import type { Schema } from './openapi-operations';

// Values drawn from an endpoint's own schema: plausible ones (the base a mutation starts from) and hostile ones
// (boundaries, wrong types, malformed and oversized values) for a field of that schema.

export type Resolve = (schema: Schema | undefined) => Schema;

const uuid = fc.uuid();
const day = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });

/** A value the schema accepts, shallow and small: the base that field mutations start from. */
export const plausibleValue = (resolve: Resolve, given: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
  const schema = resolve(given);
  const value = ((): fc.Arbitrary<unknown> => {
    if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
    switch (schema.type) {
      case 'string':
        if (schema.format === 'uuid') return uuid;
        if (schema.format === 'date') return day.map((date) => date.toISOString().slice(0, 10));
        if (schema.format === 'date-time') return day.map((date) => date.toISOString());
        return fc.string({ minLength: Math.max(1, schema.minLength ?? 1), maxLength: Math.min(schema.maxLength ?? 24, 24), unit: 'grapheme-ascii' });
      case 'integer':
        return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 100, (schema.minimum ?? 0) + 100) });
      case 'number':
        return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 100, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        if (depth > 4) return fc.constant([]);
        return fc.array(plausibleValue(resolve, schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 2, 2) });
      default: {
        if (schema.properties === undefined || depth > 4) return fc.constant({});
        const properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, plausibleValue(resolve, property, depth + 1)]));
        return fc.record(properties, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
      }
    }
  })();
  return schema.nullable ? fc.oneof({ arbitrary: value, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : value;
};

/** `{"a":{"a":...}}` or `[[...]]`, `depth` levels. */
export const nestedValue = (depth: number, kind: 'object' | 'array'): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = kind === 'object' ? { a: value } : [value];
  return value;
};

/**
 * JSON text spliced into a body as it is serialised: nesting far deeper than any value should be built (and
 * JSON.stringify or a reporter would recurse through), and numbers JSON can write but JavaScript cannot hold.
 */
export class RawJson {
  constructor(
    readonly text: string,
    private readonly label: string,
  ) {}

  [fc.toStringMethod](): string {
    return `RawJson(${this.label})`;
  }
}

export const deepJson = (depth: number, kind: 'object' | 'array'): RawJson =>
  kind === 'array'
    ? new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${depth} nested arrays`)
    : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, `${depth} nested objects`);

/** JSON text of a value that may hold RawJson parts. */
export const jsonTextOf = (value: unknown): string => {
  const raw: string[] = [];
  const text = JSON.stringify(value, (_key, part: unknown) => (part instanceof RawJson ? `\u0001raw${raw.push(part.text) - 1}\u0001` : part));
  return text === undefined ? '' : text.replace(/"\\u0001raw(\d+)\\u0001"/g, (_, index: string) => raw[Number(index)]);
};

/** An object with one own property whatever its name (`__proto__` included, which a literal would turn into a prototype). */
export const withOwnProperty = (object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> => {
  const copy = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};

/** Text no field may hold, or that a field must normalise: storage-breaking, control, bidi, invisible, odd Unicode. */
export const HOSTILE_TEXT: readonly string[] = [
  'a\u0000b',
  '\u0000',
  'a\ud800b',
  'a\udfffb',
  '\ud83d',
  'bell\u0007',
  '\u001b[31mred\u001b[0m',
  'c1\u0085control',
  'dose 10\u202e gm 01',
  '\u2066isolated\u2069',
  '\u202aembedded\u202c',
  '\u200b',
  '\u200b\u200c\u200d\u2060\ufeff',
  ' \u00ad ',
  '\u{e0041}\u{e0042}',
  'e\u0301 composed',
  'line\r\nbreak\rmixed',
  '   ',
  '',
  '𝕳𝖊𝖑𝖑𝖔 👨‍👩‍👧',
  '%00',
  '../../etc/passwd',
  "'; DROP TABLE events; --",
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
];

const HOSTILE_NUMBERS: readonly unknown[] = [
  -1,
  0,
  -0,
  0.5,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 31,
  -(2 ** 31) - 1,
  '1',
  '1e3',
  '0x10',
];

const WRONG_TYPES: readonly unknown[] = [null, true, 0, '', 'x', {}, [], [null], { a: 1 }];

const UUID_LIKE: readonly string[] = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '8f14e45f-ceea-967f-a5f3-6b1a3c9f0e2d',
  'urn:uuid:8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d',
  '{8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d}',
  '8f14e45fceea467fa5f36b1a3c9f0e2d',
  ' 8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d',
  '8f14e45f-ceea-467f-a5f3-6b1a3c9f0e2d\u0000',
  'not-a-uuid',
];

const DATE_LIKE: readonly string[] = [
  '2026-W01',
  '2026-W01-1',
  '20260101',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '0000-01-01',
  '1000-01-01',
  '1899-12-31',
  '9999-12-31',
  '+275760-09-13',
  '2026-03-01T00:00:00Z',
  '2026-3-1',
  'yesterday',
];

const DATE_TIME_LIKE: readonly string[] = [
  '2026-W01',
  '20260101',
  '20260101T000000Z',
  '2026-03-01',
  '2026-03-01T09:30',
  '2026-03-01T09:30:00',
  '2016-12-31T23:59:60Z',
  '2026-02-30T00:00:00Z',
  '2026-03-01T24:00:00Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999999+23:59',
  'now',
];

/** Hostile replacements for a value of `schema`: its own boundaries first, then what no schema accepts. */
export const hostileValue = (resolve: Resolve, given: Schema | undefined, limits: { maxStringLength: number }): fc.Arbitrary<unknown> => {
  const schema = resolve(given);
  const own: unknown[] = [];
  if (schema.enum !== undefined) {
    const first = String(schema.enum[0]);
    own.push(first.toUpperCase(), `${first} `, `${first}\u0000`, 'unknown_code');
  }
  switch (schema.type) {
    case 'string': {
      if (schema.maxLength !== undefined) own.push('x'.repeat(schema.maxLength), 'x'.repeat(schema.maxLength + 1), `${'é'.repeat(schema.maxLength)}`);
      own.push('x'.repeat(limits.maxStringLength + 1), ...HOSTILE_TEXT);
      if (schema.format === 'uuid') own.push(...UUID_LIKE);
      if (schema.format === 'date') own.push(...DATE_LIKE);
      if (schema.format === 'date-time') own.push(...DATE_TIME_LIKE);
      break;
    }
    case 'integer':
    case 'number':
      if (schema.minimum !== undefined) own.push(schema.minimum - 1, schema.minimum);
      if (schema.maximum !== undefined) own.push(schema.maximum, schema.maximum + 1);
      own.push(...HOSTILE_NUMBERS);
      break;
    case 'array': {
      const size = schema.maxItems === undefined ? 201 : schema.maxItems + 1;
      own.push(new Array(size).fill('x'), new Array(size).fill({}), new Array(10_000).fill({}), [nestedValue(12, 'array')], new Array(3).fill(null));
      break;
    }
    default:
      own.push(withOwnProperty({}, '__proto__', { polluted: true }), withOwnProperty({}, 'constructor', { prototype: { polluted: true } }), nestedValue(12, 'object'));
  }
  return fc.oneof(
    { arbitrary: fc.constantFrom(...own), weight: 3 },
    { arbitrary: fc.constantFrom(...WRONG_TYPES, nestedValue(11, 'object'), deepJson(2_000, 'object'), deepJson(40_000, 'array'), new RawJson('1e400', '1e400'), new RawJson('-1e400', '-1e400')), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  );
};
