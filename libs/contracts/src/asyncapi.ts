import { CATALOGUE, type CatalogueEntry, type CatalogueKey } from './catalogue';
import { encodeEvent } from './envelope';
import { CE_HEADERS, CONTENT_TYPE, headersSchemaOf } from './headers';
import { dlqTopicOf, PRODUCERS, type Producer } from './producers';
import { sampleEvent } from './testing/sample-events';
import { uuid } from './vocabulary';

// The AsyncAPI 3.0 document is generated from the catalogue (scripts/generate-asyncapi.ts writes it to
// asyncapi.json); asyncapi.unit.spec.ts fails when the checked-in file and the catalogue disagree.

/** Bump the patch for wording only, the minor for any addition (optional field, code, event, event version), the major when something is removed. */
export const ASYNCAPI_DOCUMENT_VERSION = '1.3.1';

const KAFKA_BINDING_VERSION = '0.5.0';

const CHANNELS: Record<Producer, { readonly id: string; readonly title: string; readonly operation: string }> = {
  plan: { id: 'planEvents', title: 'Treatment-plan events', operation: 'publishPlanEvents' },
  review: { id: 'reviewEvents', title: 'Plan-update task events', operation: 'publishReviewEvents' },
  billing: { id: 'billingEvents', title: 'Billing-readiness events', operation: 'publishBillingEvents' },
};

const messageIdOf = (entry: CatalogueEntry): string => `${entry.name}V${entry.version}`;

const exampleMeta = {
  id: '6a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  time: '2026-03-02T09:30:01.234Z',
  sequence: 7,
  correlationId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  causationId: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f',
};

const messageOf = (key: CatalogueKey) => {
  const entry = CATALOGUE[key];
  const id = messageIdOf(entry);
  const example = sampleEvent(key);
  return {
    name: entry.name,
    title: `${entry.name} v${entry.version}`,
    summary: entry.payloadSchema.description,
    contentType: CONTENT_TYPE,
    headers: { $ref: `#/components/schemas/${id}Headers` },
    payload: { $ref: `#/components/schemas/${id}` },
    correlationId: { location: `$message.header#/${CE_HEADERS.correlationid}` },
    bindings: { kafka: { key: { $ref: '#/components/schemas/PlanId' }, bindingVersion: KAFKA_BINDING_VERSION } },
    examples: [{ name: 'sample', headers: encodeEvent(example, exampleMeta).headers, payload: example.payload }],
    'x-cloudevents-type': entry.type,
    'x-dataschema': entry.dataschema,
  };
};

const KEYS = Object.keys(CATALOGUE) as CatalogueKey[];
const keysOf = (producer: Producer): CatalogueKey[] => KEYS.filter((key) => CATALOGUE[key].producer === producer);
const PRODUCER_IDS = Object.keys(PRODUCERS) as Producer[];

const DESCRIPTION = [
  'The public catalogue of Golden Loop integration events: what services/plan, services/review-scheduler and',
  'services/billing-readiness publish, and what analytics consumers read.',
  '',
  '**Envelope.** CloudEvents 1.0, Kafka protocol binding, binary content mode: the attributes travel as `ce_*`',
  'headers (plus `content-type`), the record value is the JSON payload, the record key is the plan id.',
  '`ce_id` is unique per event: deduplicate on it. `ce_sequence` is the position in the plan stream.',
  '',
  '**Order.** One topic per producing service, keyed by plan id: all events of one plan from one service are',
  'read in the order they were written, whatever their type.',
  '',
  '**Versions.** `ce_type` ends in the event version (`.v1`). Within a version, changes are backward-transitive',
  'only (optional fields, new codes); anything else is a new version published beside the old one.',
  'Consumers dead-letter unknown types and versions to `<topic>.dlq` without retrying.',
  '',
  '**PHI.** Payloads carry identifiers, clinical codes, scores, dates and statuses; never names or free text.',
].join('\n');

export const buildAsyncApiDocument = () => ({
  asyncapi: '3.0.0',
  id: 'urn:goldenloop:contracts',
  info: {
    title: 'Golden Loop integration events',
    version: ASYNCAPI_DOCUMENT_VERSION,
    description: DESCRIPTION,
  },
  defaultContentType: CONTENT_TYPE,
  channels: Object.fromEntries(
    PRODUCER_IDS.map((producer) => {
      const { topic, service } = PRODUCERS[producer];
      return [
        CHANNELS[producer].id,
        {
          address: topic,
          title: CHANNELS[producer].title,
          description:
            `Published by services/${service}. Record key: plan id; the partition count is set per environment, ` +
            `and every event of one plan lands on one partition. Poison records go to \`${dlqTopicOf(topic)}\`.`,
          messages: Object.fromEntries(
            keysOf(producer).map((key) => {
              const id = messageIdOf(CATALOGUE[key]);
              return [id, { $ref: `#/components/messages/${id}` }];
            }),
          ),
          bindings: { kafka: { topic, bindingVersion: KAFKA_BINDING_VERSION } },
        },
      ];
    }),
  ),
  operations: Object.fromEntries(
    PRODUCER_IDS.map((producer) => [
      CHANNELS[producer].operation,
      {
        action: 'send',
        channel: { $ref: `#/channels/${CHANNELS[producer].id}` },
        title: `services/${PRODUCERS[producer].service} publishes`,
        summary: 'Through a transactional outbox: at least once, in stream order per plan.',
        messages: keysOf(producer).map((key) => ({
          $ref: `#/channels/${CHANNELS[producer].id}/messages/${messageIdOf(CATALOGUE[key])}`,
        })),
      },
    ]),
  ),
  components: {
    schemas: {
      PlanId: { ...uuid, description: 'Plan id: the record key.' },
      ...Object.fromEntries<unknown>(
        KEYS.flatMap((key) => {
          const entry = CATALOGUE[key];
          const id = messageIdOf(entry);
          return [
            [id, entry.payloadSchema],
            [`${id}Headers`, headersSchemaOf(entry)],
          ] as const;
        }),
      ),
    },
    messages: Object.fromEntries(KEYS.map((key) => [messageIdOf(CATALOGUE[key]), messageOf(key)])),
  },
});

/** The document as checked in: two-space JSON with a final newline. */
export const renderAsyncApiDocument = (): string => `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`;
