import fc from 'fast-check';
import {
  CATALOGUE_ENTRIES,
  CE_HEADERS,
  ContractViolation,
  decodeEvent,
  encodeEvent,
  type IntegrationEvent,
  type KafkaRecord,
} from './index';
import { arbitraryPayloadOf } from './testing/payload-arbitrary';
import { sampleEvent } from './testing/sample-events';

const envelopeMeta = fc.record({
  id: fc.uuid(),
  time: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
  sequence: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
  correlationId: fc.uuid(),
});

const delivered = (record: { key: string; value: string; headers: Readonly<Record<string, string>> }): KafkaRecord => ({
  key: Buffer.from(record.key),
  value: Buffer.from(record.value),
  headers: Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)])),
});

describe('round trip, for any valid payload', () => {
  test.each(CATALOGUE_ENTRIES.map((entry) => [entry.type, entry] as const))(
    '%s: decode(encode(event)) gives back the payload and the envelope',
    (_, entry) => {
      fc.assert(
        fc.property(arbitraryPayloadOf(entry), envelopeMeta, (payload, meta) => {
          const event = { name: entry.name, version: entry.version, payload } as IntegrationEvent;
          const decoded = decodeEvent(delivered(encodeEvent(event, meta)));
          expect(decoded.payload).toEqual(payload);
          expect(decoded.envelope.id).toBe(meta.id);
          expect(decoded.envelope.time).toBe(meta.time.toISOString());
          expect(BigInt(decoded.envelope.sequence!)).toBe(meta.sequence);
          expect(decoded.envelope.subject).toBe(event.payload.planId);
        }),
        { numRuns: 40 },
      );
    },
  );
});

describe('hostile input', () => {
  const valid = encodeEvent(sampleEvent('SymptomsChanged.v1'), {
    id: '6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    time: '2026-03-02T09:30:01.234Z',
  });
  const anyBytes = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes));
  const anyHeaderValue = fc.oneof(fc.string(), anyBytes, fc.array(fc.oneof(fc.string(), anyBytes), { maxLength: 2 }));
  const anyJsonText = fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ ...JSON.parse(valid.value), planId: v })));

  test('whatever a record holds, decodeEvent returns an event or throws a ContractViolation — nothing else', () => {
    fc.assert(
      fc.property(
        fc.record({
          key: fc.option(fc.oneof(fc.constant(valid.key), fc.string(), anyBytes)),
          value: fc.option(fc.oneof(fc.constant(valid.value), anyJsonText, anyBytes)),
          replaced: fc.dictionary(fc.constantFrom(...Object.values(CE_HEADERS), 'x-other'), fc.option(anyHeaderValue), { maxKeys: 3 }),
        }),
        ({ key, value, replaced }) => {
          const headers: Record<string, unknown> = { ...valid.headers };
          for (const [name, header] of Object.entries(replaced)) {
            if (header === null) delete headers[name];
            else headers[name] = header;
          }
          try {
            decodeEvent({ key, value, headers } as KafkaRecord);
          } catch (error) {
            expect(error).toBeInstanceOf(ContractViolation);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
