import { CATALOGUE, ContractViolation, TOPICS, decodeEvent, dlqTopicOf, encodeEvent, topicOf, type KafkaRecord } from './index';
import { SAMPLE_IDS, SAMPLE_KEYS, sampleEvent } from './testing/sample-events';

const meta = {
  id: '6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  time: new Date('2026-03-02T09:30:01.234Z'),
  sequence: 42,
  correlationId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  causationId: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f',
};

/** What kafkajs hands a consumer: Buffers for key, value and header values. */
const asDelivered = (record: { key: string; value: string; headers: Readonly<Record<string, string>> }): KafkaRecord => ({
  key: Buffer.from(record.key),
  value: Buffer.from(record.value),
  headers: Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)])),
});

describe('encodeEvent → decodeEvent', () => {
  test.each(SAMPLE_KEYS)('%s survives the round trip through Kafka unchanged', (key) => {
    const event = sampleEvent(key);
    const encoded = encodeEvent(event, meta);
    const decoded = decodeEvent(asDelivered(encoded));
    expect(decoded.name).toBe(event.name);
    expect(decoded.version).toBe(event.version);
    expect(decoded.payload).toEqual(event.payload);
    expect(decoded.envelope).toEqual({
      id: meta.id,
      source: CATALOGUE[key].source,
      specversion: '1.0',
      type: CATALOGUE[key].type,
      time: '2026-03-02T09:30:01.234Z',
      subject: SAMPLE_IDS.plan,
      datacontenttype: 'application/json',
      dataschema: CATALOGUE[key].dataschema,
      partitionkey: SAMPLE_IDS.plan,
      sequence: '00000000000000000042',
      correlationid: meta.correlationId,
      causationid: meta.causationId,
    });
  });

  test.each(SAMPLE_KEYS)('%s is decoded as the outbox stores it (strings, JSON round trip)', (key) => {
    const stored = JSON.parse(JSON.stringify(encodeEvent(sampleEvent(key), meta)));
    expect(decodeEvent(stored).payload).toEqual(sampleEvent(key).payload);
  });
});

describe('encodeEvent', () => {
  test('a SymptomsChanged record carries the CloudEvents binary-mode headers, key = plan id, JSON value', () => {
    const encoded = encodeEvent(sampleEvent('SymptomsChanged.v1'), {
      ...meta,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(encoded).toEqual({
      topic: 'goldenloop.plan.events.v1',
      key: SAMPLE_IDS.plan,
      value: JSON.stringify(sampleEvent('SymptomsChanged.v1').payload),
      headers: {
        ce_id: meta.id,
        ce_source: '/goldenloop/plan',
        ce_specversion: '1.0',
        ce_type: 'care.goldenloop.plan.SymptomsChanged.v1',
        ce_time: '2026-03-02T09:30:01.234Z',
        ce_subject: SAMPLE_IDS.plan,
        'content-type': 'application/json',
        ce_dataschema: 'urn:goldenloop:contracts:SymptomsChanged:v1',
        ce_partitionkey: SAMPLE_IDS.plan,
        ce_sequence: '00000000000000000042',
        ce_correlationid: meta.correlationId,
        ce_causationid: meta.causationId,
        ce_traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    });
  });

  test('optional extensions are left out, not sent empty', () => {
    const { headers } = encodeEvent(sampleEvent('GoalMet.v1'), { id: meta.id, time: '2026-03-02T09:30:00Z' });
    expect(Object.keys(headers).sort()).toEqual(
      ['ce_id', 'ce_source', 'ce_specversion', 'ce_type', 'ce_time', 'ce_subject', 'content-type', 'ce_dataschema', 'ce_partitionkey'].sort(),
    );
    expect(headers.ce_time).toBe('2026-03-02T09:30:00Z');
  });

  test.each([
    [0, '00000000000000000000'],
    [7n, '00000000000000000007'],
    ['9223372036854775807', '09223372036854775807'],
  ] as const)('stream position %p is written as ce_sequence %s', (sequence, expected) => {
    expect(encodeEvent(sampleEvent('GoalMet.v1'), { ...meta, sequence }).headers.ce_sequence).toBe(expected);
  });

  test('each producer publishes on its own topic, which a caller can override', () => {
    expect(encodeEvent(sampleEvent('PlanSigned.v1'), meta).topic).toBe(TOPICS.plan);
    expect(encodeEvent(sampleEvent('ReviewTaskOverdue.v1'), meta).topic).toBe(TOPICS.review);
    expect(encodeEvent(sampleEvent('AuthorizationCheckCompleted.v1'), meta).topic).toBe(TOPICS.billing);
    expect(encodeEvent(sampleEvent('PlanSigned.v1'), { ...meta, topic: 'test.plan.1234' }).topic).toBe('test.plan.1234');
  });
});

describe('topics', () => {
  test('every plan-service event shares one topic, so per-plan order holds across event types', () => {
    const planTopics = new Set(
      Object.values(CATALOGUE)
        .filter((entry) => entry.producer === 'plan')
        .map((entry) => topicOf(entry.name)),
    );
    expect([...planTopics]).toEqual(['goldenloop.plan.events.v1']);
  });

  test('topicOf takes per-producer overrides and the DLQ is <topic>.dlq', () => {
    expect(topicOf('ReviewTaskOpened', { review: 'test.review.abc' })).toBe('test.review.abc');
    expect(topicOf('GoalMet', { review: 'test.review.abc' })).toBe(TOPICS.plan);
    expect(dlqTopicOf(TOPICS.billing)).toBe('goldenloop.billing.events.v1.dlq');
  });
});

describe('SymptomsChanged for a first-ever score', () => {
  const firstScore = {
    previousAssessmentId: null,
    previousScore: null,
    previousBand: null,
    newScore: 11,
    newBand: 'moderate',
    direction: 'unchanged',
    reasons: ['safety_flag'],
    urgency: 'urgent',
    comparison: 'no_previous_score',
  } as const;

  test('carries null previous fields and says there was no previous score when the first score raises the safety flag', () => {
    const event = sampleEvent('SymptomsChanged.v1', firstScore);
    expect(decodeEvent(asDelivered(encodeEvent(event, meta))).payload).toEqual(event.payload);
  });

  test('a record published before comparison existed still decodes, as it was', () => {
    const { comparison: _, ...earlier } = sampleEvent('SymptomsChanged.v1', firstScore).payload;
    const event = { name: 'SymptomsChanged', version: 1, payload: earlier } as const;
    expect(decodeEvent(asDelivered(encodeEvent(event, meta))).payload).toEqual(earlier);
    const { comparison: __, ...compared } = sampleEvent('SymptomsChanged.v1').payload;
    expect(decodeEvent(asDelivered(encodeEvent({ name: 'SymptomsChanged', version: 1, payload: compared }, meta))).payload).toEqual(compared);
  });

  test('still refuses a previous band the instrument does not have', () => {
    const event = sampleEvent('SymptomsChanged.v1', { ...firstScore, instrument: 'GAD-7', loinc: '70274-6', previousBand: 'moderately_severe' });
    expect(() => encodeEvent(event, meta)).toThrow(/payload breaks its schema/);
  });

  test.each([
    ['no previous score, yet a previous score', { ...firstScore, previousScore: 9, previousBand: 'mild' }, '/previousScore'],
    ['no previous score, yet a previous assessment', { ...firstScore, previousAssessmentId: SAMPLE_IDS.previousAssessment }, '/previousAssessmentId'],
    ['no previous score, yet a direction', { ...firstScore, direction: 'worsened' }, '/direction'],
    ['no previous score, yet a reason that needs one', { ...firstScore, reasons: ['safety_flag', 'band_change'] }, '/reasons/1'],
    ['a previous score, yet none given', { ...firstScore, comparison: 'previous_score' }, '/previousScore'],
    ['a comparison that is not a code', { ...firstScore, comparison: 'none' }, '/comparison'],
  ] as const)('refuses %s', (_, payload, path) => {
    const event = sampleEvent('SymptomsChanged.v1', payload as never);
    let thrown: unknown;
    try {
      encodeEvent(event, meta);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractViolation);
    expect((thrown as ContractViolation).issues).toContainEqual(expect.objectContaining({ path }));
  });
});
