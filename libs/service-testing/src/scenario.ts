import { randomUUID } from 'node:crypto';
import { decodeEvent, encodeEvent, type DecodedEvent, type IntegrationEvent, type Producer } from '@golden-loop/contracts';
import type { DomainEvent } from '@golden-loop/decider';
import { PostgresEventStore } from '@golden-loop/event-store';
import type { Response } from 'supertest';
import type request from 'supertest';
import { waitUntil, type ServiceFixture } from './service-fixture';

/** What a request or a consumed message did to one stream. */
export interface Outcome {
  /** The HTTP answer, for a request. */
  readonly response?: Response;
  /** The events appended to the stream, in order. */
  readonly events: readonly DomainEvent[];
  /** The public records the service enqueued for the stream's key, decoded through the contract. */
  readonly published: readonly DecodedEvent[];
}

interface OutboxRow {
  readonly message_key: string;
  readonly headers: Record<string, string>;
  readonly payload: string;
}

const lastOutboxId = async (fixture: ServiceFixture): Promise<string> =>
  (await fixture.dataSource.query<{ id: string }[]>('SELECT coalesce(max(id), 0)::text AS id FROM outbox'))[0].id;

/**
 * Integration tests in the decider's words (docs/service-kit.md, "Tests"): given a stream, when this request or this Kafka message,
 * then these new events, these published records, or this exact error body.
 *
 *   const outcome = await given(api, planId, [planOpened]).whenRequest((http) => http.post(...).send(...));
 *   expect(outcome.events.map((e) => e.type)).toEqual(['AssessmentRecorded']);
 */
export const given = (fixture: ServiceFixture, streamId: string, history: readonly DomainEvent[] = [], streamType?: string) => {
  const store = fixture.app.get(PostgresEventStore);
  const prepare = async () => {
    if (history.length > 0) {
      await store.append(
        streamId,
        streamType ?? 'Given',
        history.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata: { given: true } })),
        { expectedVersion: 'no_stream' },
      );
    }
    return { version: (await store.streamVersion(streamId)) ?? 0, outboxId: await lastOutboxId(fixture) };
  };
  const outcome = async (before: { version: number; outboxId: string }, response?: Response): Promise<Outcome> => {
    const events = (await store.readStream(streamId, { fromVersion: before.version + 1 })).map(({ type, data }) => ({ type, data }));
    const rows = await fixture.dataSource.query<OutboxRow[]>(
      'SELECT message_key, headers, payload FROM outbox WHERE id > $1::bigint AND message_key = $2 ORDER BY id',
      [before.outboxId, streamId],
    );
    const published = rows.map((row) => decodeEvent({ key: row.message_key, value: row.payload, headers: row.headers }));
    return { ...(response === undefined ? {} : { response }), events, published };
  };
  const whenMessages = async (messages: readonly { event: IntegrationEvent; id?: string }[], producer: Producer, meta: { time?: string } = {}): Promise<Outcome> => {
    const before = await prepare();
    const ids = messages.map((message) => message.id ?? randomUUID());
    const records = messages.map(({ event }, i) => encodeEvent(event, { id: ids[i], time: meta.time ?? new Date().toISOString(), correlationId: randomUUID(), topic: fixture.topics[producer] }));
    await fixture.produce(producer, records.map((record) => ({ key: record.key, value: record.value, headers: record.headers })));
    await waitUntil(
      async () =>
        (
          await fixture.dataSource.query<{ n: number }[]>(
            `SELECT (SELECT count(*) FROM inbox WHERE event_id = ANY ($1::text[])) + (SELECT count(*) FROM inbox_dead_letters WHERE event_id = ANY ($1::text[])) AS n`,
            [ids],
          )
        )[0].n,
      (n) => Number(n) >= ids.length,
      20_000,
      `events ${ids.join(', ')} to be consumed`,
    );
    return outcome(before);
  };
  return {
    /** Sends the request and reports what it changed. */
    whenRequest: async (send: (http: ReturnType<typeof request>) => PromiseLike<Response>): Promise<Outcome> => {
      const before = await prepare();
      const response = await send(fixture.http());
      return outcome(before, response);
    },
    /**
     * Publishes an integration event on the producer's topic of this fixture, as its producer would, and waits
     * (bounded) until the service's inbox has applied or dead-lettered it.
     */
    whenMessage: (event: IntegrationEvent, producer: Producer, meta: { id?: string; time?: string } = {}): Promise<Outcome> =>
      whenMessages([{ event, ...(meta.id === undefined ? {} : { id: meta.id }) }], producer, meta),
    /**
     * Several events in one produce request, as the relay publishes the events of one command: one record batch,
     * so the service fetches them together. Waits until its inbox has applied or dead-lettered every one.
     */
    whenMessages,
  };
};
