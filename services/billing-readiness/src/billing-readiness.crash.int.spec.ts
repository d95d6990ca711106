import { randomUUID } from 'node:crypto';
import { join, relative } from 'node:path';
import { decodeEvent, encodeEvent } from '@golden-loop/contracts';
import { forkTs, type TsChild } from '@golden-loop/messaging/src/test-support/child-process';
import { testDatabase, testKafka, uniqueName, type TestDatabase } from '@golden-loop/testing';
import { DataSource } from 'typeorm';
import { copyOfRuleSets, PAYERS, planEvents } from './test-support/billing-fixture';
import { unpublishedOutboxRows } from '@golden-loop/messaging';

// A billing-readiness process killed with SIGKILL while it consumes, then started again: every input event is
// checked exactly once in the store, and every check reaches Kafka (at least once; by ce_id, exactly once).

jest.setTimeout(600_000);

// forkTs runs scripts named relative to its own folder (libs/messaging/src/test-support).
const script = relative(join(__dirname, '..', '..', '..', 'libs', 'messaging', 'src', 'test-support'), `${__dirname}/test-support/billing-service.process.ts`);

describe('billing-readiness killed mid-stream', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const children: TsChild[] = [];
  afterAll(async () => {
    await Promise.all(children.map((child) => child.kill()));
    await dataSource?.destroy();
    await db?.drop();
  });

  test('loses and duplicates nothing across a SIGKILL and a restart', async () => {
    db = await testDatabase('billing_crash');
    const kafka = testKafka('billing_crash');
    const topics = { plan: uniqueName('plan-crash'), review: uniqueName('review-crash'), billing: uniqueName('billing-crash') };
    await kafka.createTopics(Object.values(topics), 6);
    const env = {
      DATABASE_URL: db.url,
      BILLING_DB_SCHEMA: db.schema,
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_CLIENT_ID: uniqueName('billing-crash'),
      PLAN_EVENTS_TOPIC: topics.plan,
      REVIEW_EVENTS_TOPIC: topics.review,
      BILLING_EVENTS_TOPIC: topics.billing,
      RULE_SETS_DIR: copyOfRuleSets(),
      OUTBOX_POLL_MS: '20',
      // Small chunks (each one inbox transaction): a kill lands between committed chunks and inside one, not after
      // the whole stream was applied in a few large ones.
      BILLING_CONSUMER_BATCH_SIZE: '4',
      LOG_LEVEL: 'warn',
    };
    const start = async () => {
      const child = forkTs(script, env);
      children.push(child);
      await child.next('ready', 120_000);
      return child;
    };

    // 60 plans × 6 events = 360 inputs, each of which must cause exactly one check.
    const inputs: { id: string; planId: string }[] = [];
    const records = Array.from({ length: 60 }, () => randomUUID()).flatMap((planId) => {
      const plan = planEvents(planId, PAYERS.commercial);
      const events = [
        plan.opened('2026-03-01T09:00:00.000Z'),
        plan.signed(1, 'client', '2026-03-01T09:10:00.000Z'),
        plan.signed(1, 'clinician', '2026-03-01T09:11:00.000Z'),
        plan.revised(1, '2026-03-01T09:11:00.000Z'),
        plan.assessed('2026-03-02T09:00:00.000Z'),
        plan.symptomsChanged('2026-03-02T09:00:00.000Z'),
      ];
      return events.map((event) => {
        const id = randomUUID();
        inputs.push({ id, planId });
        const record = encodeEvent(event, { id, time: '2026-03-02T09:00:00.000Z', topic: topics.plan });
        return { key: record.key, value: record.value, headers: record.headers };
      });
    });

    const first = await start();
    dataSource = await new DataSource({ ...db.typeorm }).initialize();
    const producer = kafka.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.plan, acks: -1, messages: records });
    await producer.disconnect();
    const checks = async () => (await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM events WHERE event_type = 'ReadinessChecked'`))[0].n;
    // Kill it in the middle of the work: some inputs applied, most not.
    for (let i = 0; i < 600 && (await checks()) < 20; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await first.kill();
    const atKill = await checks();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(inputs.length);

    const second = await start();
    for (let i = 0; i < 2400 && (await checks()) < inputs.length; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const unpublished = async () => (await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n ${unpublishedOutboxRows()}`))[0].n;
    for (let i = 0; i < 2400 && (await unpublished()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));

    const stored = await dataSource.query<{ triggered_by: string; event_id: string }[]>(
      `SELECT data->>'triggeredBy' AS triggered_by, event_id::text FROM events WHERE event_type = 'ReadinessChecked'`,
    );
    expect(stored.map((row) => row.triggered_by).sort()).toEqual(inputs.map((input) => input.id).sort());

    const consumer = kafka.kafka.consumer({ groupId: uniqueName('billing-crash-reader') });
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.billing], fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(decodeEvent(message).envelope.id) });
    for (let i = 0; i < 1200 && new Set(seen).size < stored.length; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.disconnect();
    expect([...new Set(seen)].sort()).toEqual(stored.map((row) => row.event_id).sort());
    await second.kill();
  });
});
