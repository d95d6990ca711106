import type { DecodedEvent } from '@golden-loop/contracts';
import { PostgresEventStore } from '@golden-loop/event-store';
import { startService, waitUntil, type ServiceFixture } from '@golden-loop/service-testing';
import { uniqueName } from '@golden-loop/testing';
import type { DataSource } from 'typeorm';
import { planRecord, type PlanEventRecord } from './plan-events';

/** The real review scheduler on a schema and topics of its own, recording what it publishes (libs/service-testing). */
export interface ReviewFixture extends ServiceFixture {
  /** Publishes plan events on this fixture's plan topic, in order, and waits until the inbox applied every one. */
  send(...records: PlanEventRecord[]): Promise<void>;
  /** The events of a plan's review stream. */
  reviewEvents(planId: string): Promise<{ type: string; data: Record<string, unknown> }[]>;
  /** Brings the review_tasks read model up to date. */
  drain(): Promise<void>;
  /** The decoded records published for a plan, once the outbox holds nothing unpublished for it. */
  settledFor(planId: string): Promise<DecodedEvent[]>;
}

/** Runs a query on the service's schema and gives its rows (a TypeORM DataSource, or a pg pool). */
export type QueryRows = <T>(sql: string, parameters: unknown[]) => Promise<T[]>;

export const rowsOf =
  (source: DataSource): QueryRows =>
  <T>(sql: string, parameters: unknown[]) =>
    source.query<T[]>(sql, parameters);

/** Waits until the inbox applied or dead-lettered every one of `ids`. */
export const waitForInbox = (query: QueryRows, ids: readonly string[], timeoutMs = 30_000): Promise<number> =>
  waitUntil(
    async () =>
      (
        await query<{ n: number }>(
          `SELECT (SELECT count(*) FROM inbox WHERE event_id = ANY($1)) + (SELECT count(*) FROM inbox_dead_letters WHERE event_id = ANY($1)) AS n`,
          [ids],
        )
      )[0].n,
    (n) => Number(n) >= ids.length,
    timeoutMs,
    `${ids.length} plan events to be consumed`,
  );

export const startReviewScheduler = async (name: string, env: Readonly<Record<string, string>> = {}): Promise<ReviewFixture> => {
  const fixture = await startService({
    name,
    schemaVariable: 'REVIEW_DB_SCHEMA',
    // Imported after the environment is set: the service reads its configuration once, at module load.
    createApp: async () => (await import('../app')).createReviewApp(),
    observe: ['review'],
    env: { REVIEW_CONSUMER_GROUP: uniqueName(`${name}-group`), ...env },
  });
  const store = fixture.app.get(PostgresEventStore);
  const { ReviewTasksProjection } = await import('../read-models/review-tasks.projection');
  return {
    ...fixture,
    send: async (...records) => {
      await fixture.produce('plan', records.map((record) => planRecord(record, fixture.topics.plan)));
      await waitForInbox(rowsOf(fixture.dataSource), records.map((record) => record.id));
    },
    reviewEvents: async (planId) => (await store.readStream(planId)).map(({ type, data }) => ({ type, data: data as Record<string, unknown> })),
    drain: async () => {
      await fixture.app.get(ReviewTasksProjection).drain();
    },
  };
};
