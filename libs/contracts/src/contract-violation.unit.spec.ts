import { ContractViolation, decodeEvent, encodeEvent, type IntegrationEvent, type KafkaRecord } from './index';
import { SAMPLE_IDS, sampleEvent } from './testing/sample-events';

const meta = { id: '6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', time: '2026-03-02T09:30:01.234Z', sequence: 3 };
const symptomsChanged = (): { key: string; value: string; headers: Record<string, string> } => {
  const encoded = encodeEvent(sampleEvent('SymptomsChanged.v1'), meta);
  return { ...encoded, headers: { ...encoded.headers } };
};

const violationOf = (action: () => unknown): ContractViolation => {
  try {
    action();
  } catch (error) {
    if (error instanceof ContractViolation) return error;
    throw error;
  }
  throw new Error('expected a ContractViolation');
};

const decodeWith = (change: (record: ReturnType<typeof symptomsChanged>) => KafkaRecord): ContractViolation =>
  violationOf(() => decodeEvent(change(symptomsChanged())));

const withHeader = (name: string, value: string | undefined) => (record: ReturnType<typeof symptomsChanged>) => {
  const headers = { ...record.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...record, headers };
};

const withPayload = (change: (payload: Record<string, unknown>) => Record<string, unknown>) =>
  (record: ReturnType<typeof symptomsChanged>) => ({ ...record, value: JSON.stringify(change(JSON.parse(record.value))) });

describe('decodeEvent rejects, with a stable code, what no retry can fix', () => {
  test.each([
    ['an event name nobody publishes', 'care.goldenloop.plan.PlanDeleted.v1'],
    ['a type from another system', 'com.example.order.created'],
    ['a known name under another producer', 'care.goldenloop.billing.SymptomsChanged.v1'],
  ])('unknown_type: %s', (_, type) => {
    const violation = decodeWith(withHeader('ce_type', type));
    expect(violation.code).toBe('unknown_type');
    expect(violation.issues).toEqual([expect.objectContaining({ path: '/ce_type' })]);
  });

  test('unknown_version: SymptomsChanged v2 reaches a consumer that knows only v1', () => {
    const violation = decodeWith(withHeader('ce_type', 'care.goldenloop.plan.SymptomsChanged.v2'));
    expect(violation.code).toBe('unknown_version');
    expect(violation.message).toBe('SymptomsChanged has no version 2 in this catalogue');
  });

  test.each([
    ['ce_id is missing', withHeader('ce_id', undefined), '/ce_id'],
    ['ce_id is not a uuid', withHeader('ce_id', 'evt-1'), '/ce_id'],
    ['ce_id is an upper-case uuid', withHeader('ce_id', '6A1C2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D'), '/ce_id'],
    ['ce_type is missing', withHeader('ce_type', undefined), '/ce_type'],
    ['ce_source names another service', withHeader('ce_source', '/goldenloop/billing-readiness'), '/ce_source'],
    ['ce_specversion is 0.3', withHeader('ce_specversion', '0.3'), '/ce_specversion'],
    ['ce_time is not RFC 3339', withHeader('ce_time', 'yesterday'), '/ce_time'],
    ['ce_time has no offset', withHeader('ce_time', '2026-03-02T09:30:01'), '/ce_time'],
    ['content-type is missing', withHeader('content-type', undefined), '/content-type'],
    ['content-type is text', withHeader('content-type', 'text/plain'), '/content-type'],
    ['ce_dataschema names another schema', withHeader('ce_dataschema', 'urn:goldenloop:contracts:GoalMet:v1'), '/ce_dataschema'],
    ['ce_sequence is not zero-padded', withHeader('ce_sequence', '3'), '/ce_sequence'],
    ['ce_correlationid is not a uuid', withHeader('ce_correlationid', 'abc'), '/ce_correlationid'],
    ['ce_traceparent is malformed', withHeader('ce_traceparent', '00-xyz'), '/ce_traceparent'],
    ['the record has no key', (r: ReturnType<typeof symptomsChanged>) => ({ ...r, key: null }), '/key'],
    ['the key is another plan', (r: ReturnType<typeof symptomsChanged>) => ({ ...r, key: SAMPLE_IDS.client }), '/key'],
    ['ce_partitionkey is another plan', withHeader('ce_partitionkey', SAMPLE_IDS.client), '/key'],
    ['ce_subject is another plan', withHeader('ce_subject', SAMPLE_IDS.client), '/key'],
    ['the payload belongs to another plan', withPayload((p) => ({ ...p, planId: SAMPLE_IDS.client })), '/key'],
    [
      'a CloudEvents header is repeated',
      (r: ReturnType<typeof symptomsChanged>) => ({ ...r, headers: { ...r.headers, ce_id: [r.headers.ce_id, r.headers.ce_id] } }),
      '/ce_id',
    ],
    [
      'a CloudEvents header is not UTF-8',
      (r: ReturnType<typeof symptomsChanged>) => ({ ...r, headers: { ...r.headers, ce_subject: Buffer.from([0xc3, 0x28]) } }),
      '/ce_subject',
    ],
  ])('invalid_envelope: %s', (_, change, path) => {
    const violation = decodeWith(change);
    expect(violation.code).toBe('invalid_envelope');
    expect(violation.issues.map((issue) => issue.path)).toContain(path);
  });

  test.each([
    ['the value is not JSON', (r: ReturnType<typeof symptomsChanged>) => ({ ...r, value: '{"planId": ' })],
    ['the record is a tombstone (null value)', (r: ReturnType<typeof symptomsChanged>) => ({ ...r, value: null })],
    ['the value is not UTF-8', (r: ReturnType<typeof symptomsChanged>) => ({ ...r, value: Buffer.from([0xff, 0xfe, 0x7b]) })],
  ])('malformed_json: %s', (_, change) => {
    const violation = decodeWith(change);
    expect(violation.code).toBe('malformed_json');
    expect(violation.issues).toEqual([expect.objectContaining({ path: '/value' })]);
  });

  test.each([
    ['a free-text field is added', withPayload((p) => ({ ...p, clinicianNote: 'worse after job loss' })), '/clinicianNote', 'additionalProperties'],
    ['a required field is missing', withPayload(({ urgency: _, ...p }) => p), '/urgency', 'required'],
    ['a reason is not a code', withPayload((p) => ({ ...p, reasons: ['felt worse'] })), '/reasons/0', 'enum'],
    ['a score is outside the PHQ-9 range', withPayload((p) => ({ ...p, newScore: 28 })), '/newScore', 'maximum'],
    ['a GAD-7 score is above 21', withPayload((p) => ({ ...p, instrument: 'GAD-7', loinc: '70274-6', newScore: 24, newBand: 'severe', previousBand: 'mild' })), '/newScore', 'maximum'],
    ['the LOINC code belongs to another instrument', withPayload((p) => ({ ...p, loinc: '70274-6' })), '/loinc', 'const'],
    ['a safety flag comes with a routine urgency', withPayload((p) => ({ ...p, reasons: ['safety_flag'], urgency: 'routine' })), '/urgency', 'const'],
    ['occurredAt is not a date-time', withPayload((p) => ({ ...p, occurredAt: '2026-03-02' })), '/occurredAt', 'format'],
  ])('invalid_payload: %s', (_, change, path, keyword) => {
    const violation = decodeWith(change);
    expect(violation.code).toBe('invalid_payload');
    expect(violation.eventType).toBe('care.goldenloop.plan.SymptomsChanged.v1');
    expect(violation.issues).toContainEqual(expect.objectContaining({ path, keyword }));
  });

  test('issues name the field and the rule, never the value found (values may be PHI)', () => {
    const violation = decodeWith(withPayload((p) => ({ ...p, direction: 'client says she feels hopeless' })));
    expect(JSON.stringify(violation)).not.toContain('hopeless');
    expect(violation.toJSON()).toEqual({
      code: 'invalid_payload',
      message: 'care.goldenloop.plan.SymptomsChanged.v1 payload breaks its schema',
      eventType: 'care.goldenloop.plan.SymptomsChanged.v1',
      issues: [{ path: '/direction', keyword: 'enum', message: 'must be equal to one of the allowed values' }],
    });
  });
});

describe('encodeEvent refuses to publish off-contract events', () => {
  test('an extra property on the payload (say, the goal in the client\'s words) is rejected before the outbox', () => {
    const goalAdded = sampleEvent('GoalAdded.v1');
    const leaky = { ...goalAdded, payload: { ...goalAdded.payload, goalText: 'sleep through the night' } } as IntegrationEvent;
    const violation = violationOf(() => encodeEvent(leaky, meta));
    expect(violation.code).toBe('invalid_payload');
    expect(violation.issues).toEqual([expect.objectContaining({ path: '/goalText', keyword: 'additionalProperties' })]);
  });

  test('a version the catalogue does not have is unknown_version; a name it does not have is unknown_type', () => {
    const v2 = { ...sampleEvent('GoalMet.v1'), version: 2 } as unknown as IntegrationEvent;
    const other = { ...sampleEvent('GoalMet.v1'), name: 'GoalAbandoned' } as unknown as IntegrationEvent;
    expect(violationOf(() => encodeEvent(v2, meta)).code).toBe('unknown_version');
    expect(violationOf(() => encodeEvent(other, meta)).code).toBe('unknown_type');
  });

  test.each([
    ['an event id that is not a uuid', { id: 'evt-1' }, '/ce_id'],
    ['a time without offset', { time: '2026-03-02T09:30:01' }, '/ce_time'],
    ['an invalid Date', { time: new Date(Number.NaN) }, '/ce_time'],
    ['a negative stream position', { sequence: -1 }, '/ce_sequence'],
    ['a fractional stream position', { sequence: 1.5 }, '/ce_sequence'],
    ['a stream position beyond 20 digits', { sequence: 10n ** 20n }, '/ce_sequence'],
  ])('invalid_envelope: %s', (_, change, path) => {
    const violation = violationOf(() => encodeEvent(sampleEvent('GoalMet.v1'), { ...meta, ...change }));
    expect(violation.code).toBe('invalid_envelope');
    expect(violation.issues.map((issue) => issue.path)).toContain(path);
  });
});
