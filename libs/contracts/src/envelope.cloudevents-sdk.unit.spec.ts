import { CloudEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { CATALOGUE, decodeEvent, encodeEvent } from './index';
import { SAMPLE_IDS, SAMPLE_KEYS, sampleEvent } from './testing/sample-events';

// The envelope is mapped by hand (envelope.ts says why); these tests hold it to the CNCF SDK in both directions,
// so a consumer that reads our topics with the SDK, or a producer that writes with it, interoperates.

const meta = {
  id: '6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  time: new Date('2026-03-02T09:30:01.234Z'),
  sequence: 12,
  correlationId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
};

test.each(SAMPLE_KEYS)('the CloudEvents SDK reads our %s record as a valid binary-mode CloudEvent', (key) => {
  const encoded = encodeEvent(sampleEvent(key), meta);
  const message: KafkaMessage<string> = { key: encoded.key, value: encoded.value, body: encoded.value, headers: { ...encoded.headers } };
  const event = Kafka.toEvent(message) as CloudEvent<unknown>;
  expect(event.validate()).toBe(true);
  expect({ ...event.toJSON() }).toEqual({
    id: meta.id,
    source: CATALOGUE[key].source,
    specversion: '1.0',
    type: CATALOGUE[key].type,
    time: '2026-03-02T09:30:01.234Z',
    subject: SAMPLE_IDS.plan,
    datacontenttype: 'application/json',
    dataschema: CATALOGUE[key].dataschema,
    partitionkey: SAMPLE_IDS.plan,
    sequence: '00000000000000000012',
    correlationid: meta.correlationId,
    data: sampleEvent(key).payload,
  });
});

test('a record the SDK writes in binary mode decodes, once its value is serialized and empty headers dropped', () => {
  const { payload } = sampleEvent('PlanSigned.v1');
  const sdkRecord = Kafka.binary(
    new CloudEvent({
      id: meta.id,
      source: '/goldenloop/plan',
      type: 'care.goldenloop.plan.PlanSigned.v1',
      time: '2026-03-02T09:30:01.234Z',
      subject: SAMPLE_IDS.plan,
      datacontenttype: 'application/json',
      dataschema: 'urn:goldenloop:contracts:PlanSigned:v1',
      partitionkey: SAMPLE_IDS.plan,
      data: payload,
    }),
  );
  const headers = Object.fromEntries(
    Object.entries(sdkRecord.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const decoded = decodeEvent({ key: SAMPLE_IDS.plan, value: JSON.stringify(sdkRecord.value), headers });
  expect(decoded.name).toBe('PlanSigned');
  expect(decoded.payload).toEqual(payload);
});
