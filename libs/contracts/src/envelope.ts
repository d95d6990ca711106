import {
  CATALOGUE,
  CATALOGUE_ENTRIES,
  type CatalogueEntry,
  type CatalogueKey,
  catalogueEntryOf,
  catalogueEntryOfType,
  type IntegrationEvent,
} from './catalogue';
import { type ContractIssue, ContractViolation, issuesFromAjv } from './contract-violation';
import { CE_HEADERS, CONTENT_TYPE, type HeaderName, SEQUENCE_DIGITS, SPEC_VERSION } from './headers';
import { topicOfProducer } from './producers';
import { validatorsOf } from './validators';

// CloudEvents 1.0, Kafka protocol binding, binary content mode, mapped by hand. The `cloudevents` SDK's Kafka
// binding was tried and left out of the hot path: its binary serializer emits `ce_datacontenttype` next to
// `content-type` and `undefined` headers, leaves the value unserialized, and its parser reads only string
// headers (kafkajs hands out Buffers) and fills a missing `ce_time` with the current time. The mapping is a
// table (CE_HEADERS); envelope.sdk.unit.spec.ts proves that the SDK reads what we write.

/** Stream position: a number, a bigint, or the decimal string `pg` returns for a bigint column. */
export type StreamPosition = number | bigint | string;

export interface EncodeMeta {
  /** Event id (uuid): the consumers' inbox key. */
  readonly id: string;
  readonly time: Date | string;
  readonly sequence?: StreamPosition;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  /** Topic to publish on instead of the producer's default (tests use one topic per file). */
  readonly topic?: string;
}

/** What the transactional outbox stores and the relay hands to kafkajs: plain JSON. */
export interface EncodedEvent {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** kafkajs `IHeaders`, structurally, so that callers need not share our kafkajs version. */
export type KafkaHeaders = { [name: string]: Buffer | string | (Buffer | string)[] | undefined };

/** A Kafka record as kafkajs delivers it (`KafkaMessage`) or as the outbox stores it (`EncodedEvent`). */
export interface KafkaRecord {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: KafkaHeaders | Readonly<Record<string, string>>;
}

/** The CloudEvents attributes of a decoded event. */
export interface EventEnvelope {
  readonly id: string;
  readonly source: string;
  readonly specversion: typeof SPEC_VERSION;
  readonly type: string;
  readonly time: string;
  readonly subject: string;
  readonly datacontenttype: typeof CONTENT_TYPE;
  readonly dataschema: string;
  readonly partitionkey: string;
  readonly sequence?: string;
  readonly correlationid?: string;
  readonly causationid?: string;
  readonly traceparent?: string;
}

type Catalogue = typeof CATALOGUE;

/** A decoded event: discriminated by `name` and `version`, with its payload typed and its envelope attributes. */
export type DecodedEvent = {
  [K in CatalogueKey]: Extract<IntegrationEvent, { name: Catalogue[K]['name']; version: Catalogue[K]['version'] }> & {
    readonly envelope: EventEnvelope;
  };
}[CatalogueKey];

export type DecodedEventOf<N extends DecodedEvent['name']> = Extract<DecodedEvent, { name: N }>;

const MAX_ISSUES = 20;

export const formatSequence = (position: StreamPosition): string => {
  const digits = typeof position === 'string' ? position : position.toString();
  const valid =
    /^[0-9]+$/.test(digits) &&
    (typeof position !== 'number' || Number.isSafeInteger(position)) &&
    digits.length <= SEQUENCE_DIGITS;
  if (!valid) {
    throw new ContractViolation('invalid_envelope', 'sequence must be a non-negative integer of at most 20 digits', [
      { path: `/${CE_HEADERS.sequence}`, keyword: 'sequence', message: 'must be a non-negative integer' },
    ]);
  }
  return digits.padStart(SEQUENCE_DIGITS, '0');
};

// An invalid Date becomes an empty ce_time, which the header schema then rejects as invalid_envelope.
const timeText = (time: Date | string): string =>
  typeof time === 'string' ? time : Number.isNaN(time.getTime()) ? '' : time.toISOString();

const entryOrViolation = (name: string, version: number): CatalogueEntry => {
  const entry = catalogueEntryOf(name, version);
  if (entry) return entry;
  const nameKnown = CATALOGUE_ENTRIES.some((e) => e.name === name);
  throw nameKnown
    ? new ContractViolation('unknown_version', `${name} has no version ${version} in this catalogue`)
    : new ContractViolation('unknown_type', `${name} is not in this catalogue`);
};

/**
 * Turns an integration event into a Kafka record: CloudEvents headers, key = plan id, JSON value.
 * Validates payload and headers first, so that nothing off-contract (an extra field with client text, say)
 * ever reaches the outbox. Throws ContractViolation.
 */
export const encodeEvent = (event: IntegrationEvent, meta: EncodeMeta): EncodedEvent => {
  const entry = entryOrViolation(event.name, event.version);
  const validators = validatorsOf(entry);
  if (!validators.payload(event.payload)) {
    throw new ContractViolation(
      'invalid_payload',
      `${entry.type} payload breaks its schema`,
      issuesFromAjv(validators.payload.errors).slice(0, MAX_ISSUES),
      entry.type,
    );
  }
  const planId = event.payload.planId;
  const headers: Record<string, string> = {
    [CE_HEADERS.id]: meta.id,
    [CE_HEADERS.source]: entry.source,
    [CE_HEADERS.specversion]: SPEC_VERSION,
    [CE_HEADERS.type]: entry.type,
    [CE_HEADERS.time]: timeText(meta.time),
    [CE_HEADERS.subject]: planId,
    [CE_HEADERS.datacontenttype]: CONTENT_TYPE,
    [CE_HEADERS.dataschema]: entry.dataschema,
    [CE_HEADERS.partitionkey]: planId,
  };
  if (meta.sequence !== undefined) headers[CE_HEADERS.sequence] = formatSequence(meta.sequence);
  if (meta.correlationId !== undefined) headers[CE_HEADERS.correlationid] = meta.correlationId;
  if (meta.causationId !== undefined) headers[CE_HEADERS.causationid] = meta.causationId;
  if (meta.traceparent !== undefined) headers[CE_HEADERS.traceparent] = meta.traceparent;
  if (!validators.headers(headers)) {
    throw new ContractViolation(
      'invalid_envelope',
      `${entry.type} envelope breaks the CloudEvents header schema`,
      issuesFromAjv(validators.headers.errors).slice(0, MAX_ISSUES),
      entry.type,
    );
  }
  return {
    topic: meta.topic ?? topicOfProducer(entry.producer),
    key: planId,
    value: JSON.stringify(event.payload),
    headers,
  };
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

const text = (value: Buffer | string): string | undefined => {
  if (typeof value === 'string') return value;
  try {
    return utf8.decode(value);
  } catch {
    return undefined;
  }
};

const HEADER_NAMES: readonly HeaderName[] = Object.values(CE_HEADERS);

const envelopeViolation = (message: string, issues: ContractIssue[], eventType?: string): ContractViolation =>
  new ContractViolation('invalid_envelope', message, issues.slice(0, MAX_ISSUES), eventType);

/** Reads our headers as strings; a repeated or non-UTF-8 CloudEvents header is an envelope violation. */
const readHeaders = (raw: KafkaRecord['headers']): Record<string, string> => {
  const headers: Record<string, string> = {};
  const issues: ContractIssue[] = [];
  for (const name of HEADER_NAMES) {
    const value = raw ? (raw)[name] : undefined;
    if (value === undefined) continue;
    const single = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
    const decoded = single === undefined ? undefined : text(single);
    if (decoded === undefined) {
      issues.push({ path: `/${name}`, keyword: 'header', message: 'must be present once, as UTF-8 text' });
    } else {
      headers[name] = decoded;
    }
  }
  if (issues.length > 0) throw envelopeViolation('CloudEvents headers are unreadable', issues);
  return headers;
};

const TYPE_PATTERN = /^(.+)\.([A-Za-z][A-Za-z0-9]*)\.v([0-9]{1,6})$/;

const entryOfType = (type: string): CatalogueEntry => {
  const entry = catalogueEntryOfType(type);
  if (entry) return entry;
  const match = TYPE_PATTERN.exec(type);
  const sameName = match && CATALOGUE_ENTRIES.find((e) => e.name === match[2]);
  if (match && sameName && sameName.type.startsWith(`${match[1]}.${match[2]}.v`)) {
    throw new ContractViolation(
      'unknown_version',
      `${match[2]} has no version ${match[3]} in this catalogue`,
      [{ path: `/${CE_HEADERS.type}`, keyword: 'catalogue', message: 'must name a version in the catalogue' }],
      type,
    );
  }
  throw new ContractViolation(
    'unknown_type',
    'ce_type is not in this catalogue',
    [{ path: `/${CE_HEADERS.type}`, keyword: 'catalogue', message: 'must name an event in the catalogue' }],
    type,
  );
};

/**
 * Validates and decodes a Kafka record (kafkajs message or outbox row). Throws ContractViolation, whose
 * `code` tells the consumer to dead-letter the record without retrying: `unknown_type`, `unknown_version`,
 * `invalid_envelope`, `malformed_json`, `invalid_payload`.
 */
export const decodeEvent = (record: KafkaRecord): DecodedEvent => {
  const headers = readHeaders(record.headers);
  const type = headers[CE_HEADERS.type];
  if (type === undefined) {
    throw envelopeViolation('ce_type is missing', [
      { path: `/${CE_HEADERS.type}`, keyword: 'required', message: "must have required property 'ce_type'" },
    ]);
  }
  const entry = entryOfType(type);
  const validators = validatorsOf(entry);
  if (!validators.headers(headers)) {
    throw envelopeViolation(
      `${entry.type} envelope breaks the CloudEvents header schema`,
      issuesFromAjv(validators.headers.errors),
      entry.type,
    );
  }
  const key = record.key === null ? undefined : text(record.key);
  const planId = headers[CE_HEADERS.subject];
  if (key !== planId || headers[CE_HEADERS.partitionkey] !== planId) {
    throw envelopeViolation(
      'record key, ce_subject and ce_partitionkey must all be the plan id',
      [{ path: '/key', keyword: 'partitionKey', message: 'must equal ce_subject and ce_partitionkey' }],
      entry.type,
    );
  }
  const json = record.value === null ? undefined : text(record.value);
  const parsed = json === undefined ? undefined : parseJson(json);
  if (!parsed) {
    throw new ContractViolation(
      'malformed_json',
      `${entry.type} record value is not a UTF-8 JSON document`,
      [{ path: '/value', keyword: 'json', message: 'must be a UTF-8 JSON document' }],
      entry.type,
    );
  }
  const payload = parsed.value;
  if (!validators.payload(payload)) {
    throw new ContractViolation(
      'invalid_payload',
      `${entry.type} payload breaks its schema`,
      issuesFromAjv(validators.payload.errors).slice(0, MAX_ISSUES),
      entry.type,
    );
  }
  if ((payload as { planId: string }).planId !== planId) {
    throw envelopeViolation(
      'payload planId must equal the record key',
      [{ path: '/key', keyword: 'partitionKey', message: 'must equal the payload planId' }],
      entry.type,
    );
  }
  const envelope: EventEnvelope = {
    id: headers[CE_HEADERS.id],
    source: entry.source,
    specversion: SPEC_VERSION,
    type: entry.type,
    time: headers[CE_HEADERS.time],
    subject: planId,
    datacontenttype: CONTENT_TYPE,
    dataschema: entry.dataschema,
    partitionkey: planId,
    ...optional('sequence', headers[CE_HEADERS.sequence]),
    ...optional('correlationid', headers[CE_HEADERS.correlationid]),
    ...optional('causationid', headers[CE_HEADERS.causationid]),
    ...optional('traceparent', headers[CE_HEADERS.traceparent]),
  };
  return { name: entry.name, version: entry.version, payload, envelope } as DecodedEvent;
};

const parseJson = (json: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(json) as unknown };
  } catch {
    return undefined;
  }
};

const optional = <K extends string>(attribute: K, value: string | undefined): Partial<Record<K, string>> =>
  value === undefined ? {} : ({ [attribute]: value } as Record<K, string>);
