import type { CatalogueEntry } from './catalogue';
import { dateTime, uuid } from './vocabulary';

/** CloudEvents 1.0 attributes and their Kafka header names in binary content mode. */
export const CE_HEADERS = {
  id: 'ce_id',
  source: 'ce_source',
  specversion: 'ce_specversion',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  // Kafka binding §3.2.1: in binary mode datacontenttype travels as `content-type`, not `ce_datacontenttype`.
  datacontenttype: 'content-type',
  dataschema: 'ce_dataschema',
  partitionkey: 'ce_partitionkey',
  sequence: 'ce_sequence',
  correlationid: 'ce_correlationid',
  causationid: 'ce_causationid',
  traceparent: 'ce_traceparent',
} as const;

export type CloudEventAttribute = keyof typeof CE_HEADERS;
export type HeaderName = (typeof CE_HEADERS)[CloudEventAttribute];

export const SPEC_VERSION = '1.0';
export const CONTENT_TYPE = 'application/json';
/** Width of `ce_sequence`: 20 digits hold any unsigned 64-bit stream position and sort as text. */
export const SEQUENCE_DIGITS = 20;

const REQUIRED_HEADERS = [
  CE_HEADERS.id,
  CE_HEADERS.source,
  CE_HEADERS.specversion,
  CE_HEADERS.type,
  CE_HEADERS.time,
  CE_HEADERS.subject,
  CE_HEADERS.datacontenttype,
  CE_HEADERS.dataschema,
  CE_HEADERS.partitionkey,
] as const;

/**
 * The Kafka headers of one event type as a JSON Schema: validated on encode and decode, and published as the
 * message headers in the AsyncAPI document. Other headers (tracing, DLQ diagnostics) are allowed and ignored.
 */
export const headersSchemaOf = (entry: CatalogueEntry) =>
  ({
    type: 'object',
    required: REQUIRED_HEADERS,
    properties: {
      [CE_HEADERS.id]: { ...uuid, description: 'Event id, unique per event: the key consumers deduplicate on.' },
      [CE_HEADERS.source]: { type: 'string', const: entry.source, description: 'Producing service.' },
      [CE_HEADERS.specversion]: { type: 'string', const: SPEC_VERSION },
      [CE_HEADERS.type]: { type: 'string', const: entry.type, description: 'Event name and major version.' },
      [CE_HEADERS.time]: { ...dateTime, description: 'When the event happened (RFC 3339).' },
      [CE_HEADERS.subject]: { ...uuid, description: 'Plan id.' },
      [CE_HEADERS.datacontenttype]: { type: 'string', const: CONTENT_TYPE },
      [CE_HEADERS.dataschema]: {
        type: 'string',
        const: entry.dataschema,
        description: 'URN of the payload schema; the `$id` of the schema in this document.',
      },
      [CE_HEADERS.partitionkey]: { ...uuid, description: 'Plan id; equal to the record key.' },
      [CE_HEADERS.sequence]: {
        type: 'string',
        pattern: `^[0-9]{${SEQUENCE_DIGITS}}$`,
        description: 'Position of the event in its plan stream, zero-padded to 20 digits.',
      },
      [CE_HEADERS.correlationid]: { ...uuid, description: 'Id shared by every event of one business flow.' },
      [CE_HEADERS.causationid]: { ...uuid, description: 'Id of the event or command that caused this event.' },
      [CE_HEADERS.traceparent]: {
        type: 'string',
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description: 'W3C Trace Context, CloudEvents distributed-tracing extension.',
      },
    },
  }) as const;
