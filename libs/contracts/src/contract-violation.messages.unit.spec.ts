import { CATALOGUE_ENTRIES, type IntegrationEvent } from './catalogue';
import { ContractViolation, issuesFromAjv } from './contract-violation';
import { decodeEvent, encodeEvent, formatSequence } from './envelope';
import { SAMPLE_IDS, sampleEvent } from './testing/sample-events';

// A message off the contract is dead-lettered with a code consumers branch on and a message people read in the DLQ
// headers and logs (contract-violation.ts). Both are part of the contract with the producing teams: asserted here,
// each with the issues that name the field and the rule broken.

const TYPE = 'care.goldenloop.plan.SymptomsChanged.v1';
const meta = { id: '6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', time: '2026-03-02T09:30:01.234Z' };
const violationOf = (action: () => unknown): ContractViolation => {
  try {
    action();
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error('expected a ContractViolation');
};
const plain = (violation: ContractViolation) => violation.toJSON();
const record = (): { key: string | null; value: string | Buffer | null; headers: Record<string, string | Buffer | (string | Buffer)[]> } => {
  const encoded = encodeEvent(sampleEvent('SymptomsChanged.v1'), meta);
  return { key: encoded.key, value: encoded.value, headers: { ...encoded.headers } };
};
const decoding = (change: (r: ReturnType<typeof record>) => void) => {
  const r = record();
  change(r);
  return plain(violationOf(() => decodeEvent(r)));
};

describe('encodeEvent refuses what is not on the contract', () => {
  test('an event name not in the catalogue: unknown_type', () => {
    const event = { name: 'PlanDeleted', version: 1, payload: {} } as unknown as IntegrationEvent;
    expect(plain(violationOf(() => encodeEvent(event, meta)))).toEqual({ code: 'unknown_type', message: 'PlanDeleted is not in this catalogue', eventType: undefined, issues: [] });
  });

  test('a version the catalogue does not have: unknown_version', () => {
    const event = { ...sampleEvent('SymptomsChanged.v1'), version: 9 } as unknown as IntegrationEvent;
    expect(plain(violationOf(() => encodeEvent(event, meta)))).toEqual({ code: 'unknown_version', message: 'SymptomsChanged has no version 9 in this catalogue', eventType: undefined, issues: [] });
  });

  test('a payload that breaks its schema: invalid_payload, naming each field (at most 20)', () => {
    const event = sampleEvent('SymptomsChanged.v1');
    const broken = { ...event, payload: { ...event.payload, newScore: 'high', clientName: 'Jane' } } as unknown as IntegrationEvent;
    const violation = plain(violationOf(() => encodeEvent(broken, meta)));
    expect(violation).toMatchObject({ code: 'invalid_payload', message: `${TYPE} payload breaks its schema`, eventType: TYPE });
    expect(violation.issues).toEqual(expect.arrayContaining([{ path: '/clientName', keyword: 'additionalProperties', message: 'must NOT have additional properties' }, expect.objectContaining({ path: '/newScore', keyword: 'type' })]));
    const many = { ...event, payload: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`extra${i}`, i])) } as unknown as IntegrationEvent;
    expect(violationOf(() => encodeEvent(many, meta)).issues).toHaveLength(20);
  });

  test('an envelope that breaks the header schema: invalid_envelope, naming the header', () => {
    expect(plain(violationOf(() => encodeEvent(sampleEvent('SymptomsChanged.v1'), { ...meta, id: 'not-a-uuid' })))).toEqual({
      code: 'invalid_envelope',
      message: `${TYPE} envelope breaks the CloudEvents header schema`,
      eventType: TYPE,
      issues: [
        { path: '/ce_id', keyword: 'pattern', message: 'must match pattern "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"' },
        { path: '/ce_id', keyword: 'format', message: 'must match format "uuid"' },
      ],
    });
    expect(violationOf(() => encodeEvent(sampleEvent('SymptomsChanged.v1'), { ...meta, time: new Date(Number.NaN) })).issues.map((i) => i.path)).toEqual(['/ce_time']);
  });

  test('the optional extensions travel as their headers when given', () => {
    const ids = { correlationId: SAMPLE_IDS.check, causationId: SAMPLE_IDS.triggerEvent, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const { headers } = encodeEvent(sampleEvent('SymptomsChanged.v1'), { ...meta, ...ids, sequence: 3 });
    expect(headers).toMatchObject({ ce_correlationid: ids.correlationId, ce_causationid: ids.causationId, ce_traceparent: ids.traceparent, ce_sequence: '00000000000000000003' });
    expect(decodeEvent(encodeEvent(sampleEvent('SymptomsChanged.v1'), { ...meta, ...ids, sequence: 3 })).envelope).toMatchObject({ correlationid: ids.correlationId, causationid: ids.causationId, traceparent: ids.traceparent, sequence: '00000000000000000003' });
  });
});

describe('the stream position as ce_sequence: a non-negative integer of at most 20 digits, zero-padded to 20', () => {
  test.each([[0, '00000000000000000000'], [42n, '00000000000000000042'], ['18446744073709551615', '00000000000018446744073709551615'.slice(-20)], [Number.MAX_SAFE_INTEGER, '00009007199254740991']])('%p is %s', (position, text) => {
    expect(formatSequence(position)).toBe(text);
  });

  test.each([[-1], [1.5], [Number.MAX_SAFE_INTEGER + 1], ['12a'], ['123456789012345678901'], [''], [-1n]])('%p is refused: invalid_envelope', (position) => {
    expect(plain(violationOf(() => formatSequence(position)))).toEqual({
      code: 'invalid_envelope',
      message: 'sequence must be a non-negative integer of at most 20 digits',
      eventType: undefined,
      issues: [{ path: '/ce_sequence', keyword: 'sequence', message: 'must be a non-negative integer' }],
    });
  });
});

describe('decodeEvent names what breaks the contract', () => {
  test('a CloudEvents header repeated or not UTF-8: the headers are unreadable', () => {
    const unreadable = { code: 'invalid_envelope', message: 'CloudEvents headers are unreadable', eventType: undefined };
    expect(decoding((r) => (r.headers.ce_id = [meta.id, meta.id]))).toEqual({ ...unreadable, issues: [{ path: '/ce_id', keyword: 'header', message: 'must be present once, as UTF-8 text' }] });
    expect(decoding((r) => (r.headers.ce_source = Buffer.from([0xc3, 0x28])))).toEqual({ ...unreadable, issues: [{ path: '/ce_source', keyword: 'header', message: 'must be present once, as UTF-8 text' }] });
    const once = record();
    once.headers.ce_id = [Buffer.from(meta.id)];
    expect(decodeEvent(once).envelope.id).toBe(meta.id);
  });

  test('no ce_type: invalid_envelope, ce_type is missing', () => {
    expect(decoding((r) => delete r.headers.ce_type)).toEqual({
      code: 'invalid_envelope',
      message: 'ce_type is missing',
      eventType: undefined,
      issues: [{ path: '/ce_type', keyword: 'required', message: "must have required property 'ce_type'" }],
    });
    expect(plain(violationOf(() => decodeEvent({ key: null, value: null })))).toMatchObject({ code: 'invalid_envelope', message: 'ce_type is missing' });
  });

  test('a type not in the catalogue, and a version of a known event the catalogue does not have', () => {
    expect(decoding((r) => (r.headers.ce_type = 'com.example.order.created'))).toEqual({
      code: 'unknown_type',
      message: 'ce_type is not in this catalogue',
      eventType: 'com.example.order.created',
      issues: [{ path: '/ce_type', keyword: 'catalogue', message: 'must name an event in the catalogue' }],
    });
    expect(decoding((r) => (r.headers.ce_type = 'care.goldenloop.plan.SymptomsChanged.v7'))).toEqual({
      code: 'unknown_version',
      message: 'SymptomsChanged has no version 7 in this catalogue',
      eventType: 'care.goldenloop.plan.SymptomsChanged.v7',
      issues: [{ path: '/ce_type', keyword: 'catalogue', message: 'must name a version in the catalogue' }],
    });
    expect(decoding((r) => (r.headers.ce_type = 'care.goldenloop.billing.SymptomsChanged.v7')).code).toBe('unknown_type');
  });

  test('headers that break the schema, with every issue', () => {
    expect(decoding((r) => (r.headers.ce_specversion = '0.3'))).toEqual({
      code: 'invalid_envelope',
      message: `${TYPE} envelope breaks the CloudEvents header schema`,
      eventType: TYPE,
      issues: [{ path: '/ce_specversion', keyword: 'const', message: 'must be equal to constant' }],
    });
  });

  test('a record key that is not the plan id', () => {
    const mismatch = {
      code: 'invalid_envelope',
      message: 'record key, ce_subject and ce_partitionkey must all be the plan id',
      eventType: TYPE,
      issues: [{ path: '/key', keyword: 'partitionKey', message: 'must equal ce_subject and ce_partitionkey' }],
    };
    expect(decoding((r) => (r.key = SAMPLE_IDS.client))).toEqual(mismatch);
    expect(decoding((r) => (r.key = null))).toEqual(mismatch);
    expect(decoding((r) => (r.headers.ce_partitionkey = SAMPLE_IDS.client))).toEqual(mismatch);
  });

  test('a value that is no UTF-8 JSON document: malformed_json', () => {
    const malformed = { code: 'malformed_json', message: `${TYPE} record value is not a UTF-8 JSON document`, eventType: TYPE, issues: [{ path: '/value', keyword: 'json', message: 'must be a UTF-8 JSON document' }] };
    expect(decoding((r) => (r.value = '{"planId":'))).toEqual(malformed);
    expect(decoding((r) => (r.value = null))).toEqual(malformed);
    expect(decoding((r) => (r.value = Buffer.from([0xff, 0xfe])))).toEqual(malformed);
    expect(decoding((r) => (r.value = 'null')).code).toBe('invalid_payload');
  });

  test('a payload off its schema, and one about another plan than the key', () => {
    expect(decoding((r) => (r.value = JSON.stringify({ ...JSON.parse(r.value as string), newScore: -1 })))).toMatchObject({ code: 'invalid_payload', message: `${TYPE} payload breaks its schema`, eventType: TYPE });
    const otherPlan = (r: ReturnType<typeof record>) => (r.value = JSON.stringify({ ...JSON.parse(r.value as string), planId: SAMPLE_IDS.client }));
    expect(decoding(otherPlan)).toEqual({ code: 'invalid_envelope', message: 'payload planId must equal the record key', eventType: TYPE, issues: [{ path: '/key', keyword: 'partitionKey', message: 'must equal the payload planId' }] });
  });

  test('a decoded event carries its catalogue entry and only the attributes it was sent with', () => {
    const decoded = decodeEvent(record());
    const entry = CATALOGUE_ENTRIES.find((e) => e.type === TYPE)!;
    expect(decoded).toMatchObject({ name: 'SymptomsChanged', version: 1 });
    expect(decoded.envelope).toEqual({
      id: meta.id,
      source: entry.source,
      specversion: '1.0',
      type: TYPE,
      time: meta.time,
      subject: SAMPLE_IDS.plan,
      datacontenttype: 'application/json',
      dataschema: entry.dataschema,
      partitionkey: SAMPLE_IDS.plan,
    });
  });
});

describe('ajv errors as issues', () => {
  test('a missing or extra property is named in the pointer, escaped (RFC 6901); the root is /', () => {
    expect(
      issuesFromAjv(
        [
          { instancePath: '/a', keyword: 'required', params: { missingProperty: 'b/c' }, schemaPath: '', message: 'must have it' },
          { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'x~y' }, schemaPath: '' },
          { instancePath: '', keyword: 'type', params: {}, schemaPath: '', message: 'must be object' },
        ],
        '/payload',
      ),
    ).toEqual([
      { path: '/payload/a/b~1c', keyword: 'required', message: 'must have it' },
      { path: '/payload/x~0y', keyword: 'additionalProperties', message: 'additionalProperties' },
      { path: '/payload', keyword: 'type', message: 'must be object' },
    ]);
    expect(issuesFromAjv([{ instancePath: '', keyword: 'type', params: {}, schemaPath: '', message: 'must be object' }])).toEqual([{ path: '/', keyword: 'type', message: 'must be object' }]);
    expect(issuesFromAjv(null)).toEqual([]);
  });

  test('a violation is an Error named ContractViolation, and no issue is the default', () => {
    const violation = new ContractViolation('malformed_json', 'not JSON');
    expect(violation).toBeInstanceOf(Error);
    expect(violation.name).toBe('ContractViolation');
    expect(violation.toJSON()).toEqual({ code: 'malformed_json', message: 'not JSON', eventType: undefined, issues: [] });
  });
});
