import { randomUUID } from 'node:crypto';
import { testDatabase, uniqueName, type TestDatabase } from '@golden-loop/testing';
import { DataSource } from 'typeorm';
import { MessagingSchema1764200001000, OutboxRelayPosition1764200002000 } from './messaging-schema.migration';
import type { OutboxMessage } from './outbox';
import { OutboxRelay, unpublishedOutboxRows } from './outbox-relay';
import { enqueueInTransaction, eventually, messagingTestEnv, unpublishedCount, type MessagingTestEnv } from './test-support/messaging-test-env';
import { readTopic } from './test-support/read-topic';

// The relay's position (docs/loop-performance.md, "The outbox relay's position"): what a new leader starts from,
// and what the migration makes of rows marked one by one.

jest.setTimeout(180_000);

const aMessage = (topic: string, seq: number): OutboxMessage => {
  const id = randomUUID();
  return { topic, key: `plan-${seq % 3}`, value: JSON.stringify({ seq }), headers: { ce_id: id } };
};

describe('the relay position', () => {
  let env: MessagingTestEnv;
  beforeAll(async () => {
    env = await messagingTestEnv('messaging_position');
  });
  afterAll(async () => {
    await env?.close();
  });

  const position = async () =>
    (await env.dataSource.query<Array<{ transaction_id: string; id: string }>>(`SELECT transaction_id::text AS transaction_id, id::text AS id FROM outbox_relay_position`))[0];
  const lastRow = async () =>
    (await env.dataSource.query<Array<{ transaction_id: string; id: string }>>(`SELECT transaction_id::text AS transaction_id, id::text AS id FROM outbox ORDER BY transaction_id DESC, id DESC LIMIT 1`))[0];

  test('moves through the last acknowledged row; a new leader starts there and publishes nothing twice', async () => {
    const topic = uniqueName('position');
    await env.kafka.createTopics([topic]);
    await enqueueInTransaction(env.dataSource, [aMessage(topic, 1), aMessage(topic, 2)]);
    await enqueueInTransaction(env.dataSource, [aMessage(topic, 3)]);
    const first = new OutboxRelay({ dataSource: env.dataSource, kafka: env.kafka.kafka, batchSize: 2 });
    await first.start();
    await eventually('drained', async () => (await unpublishedCount(env.dataSource)) === 0);
    await first.stop();
    expect(await position()).toEqual(await lastRow());

    await enqueueInTransaction(env.dataSource, [aMessage(topic, 4)]);
    expect(await unpublishedCount(env.dataSource)).toBe(1);
    const second = new OutboxRelay({ dataSource: env.dataSource, kafka: env.kafka.kafka });
    await second.start();
    try {
      await eventually('drained again', async () => (await unpublishedCount(env.dataSource)) === 0);
      expect(second.status().publishedTotal).toBe(1);
    } finally {
      await second.stop();
    }
    const onKafka = await readTopic(env.kafka.kafka, topic);
    expect(onKafka.map((m) => (JSON.parse(m.value) as { seq: number }).seq).sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('the migration from rows marked one by one', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await testDatabase('messaging_position_migration');
    dataSource = await new DataSource({ ...db.typeorm, migrations: [MessagingSchema1764200001000] }).initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const migrate = async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await new OutboxRelayPosition1764200002000().up(runner);
    } finally {
      await runner.release();
    }
  };

  test('the position is the last marked row before the first unmarked one: nothing unmarked is skipped', async () => {
    for (let seq = 1; seq <= 5; seq += 1) await enqueueInTransaction(dataSource, [aMessage('t', seq)]);
    const ids = (await dataSource.query<Array<{ id: string }>>(`SELECT id::text AS id FROM outbox ORDER BY transaction_id, id`)).map((row) => row.id);
    // 1 and 2 marked, 3 not (a chunk in flight), 4 marked: the position stops at 2, and 3, 4 and 5 are sent (again).
    await dataSource.query(`UPDATE outbox SET published_at = now() WHERE id = ANY ($1::bigint[])`, [[ids[0], ids[1], ids[3]]]);
    await migrate();
    const [position] = await dataSource.query<Array<{ id: string }>>(`SELECT id::text AS id FROM outbox_relay_position`);
    expect(position.id).toBe(ids[1]);
    const unpublished = await dataSource.query<Array<{ id: string }>>(`SELECT o.id::text AS id ${unpublishedOutboxRows()} ORDER BY o.transaction_id, o.id`);
    expect(unpublished.map((row) => row.id)).toEqual(ids.slice(2));
    const columns = await dataSource.query<Array<{ column_name: string }>>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'outbox'`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain('published_at');
  });
});

describe('the migration of an outbox with nothing marked', () => {
  test('starts before every row', async () => {
    const db = await testDatabase('messaging_position_empty');
    const dataSource = await new DataSource({ ...db.typeorm, migrations: [MessagingSchema1764200001000, OutboxRelayPosition1764200002000] }).initialize();
    try {
      await dataSource.runMigrations();
      expect(await dataSource.query(`SELECT transaction_id::text AS transaction_id, id::text AS id FROM outbox_relay_position`)).toEqual([{ transaction_id: '0', id: '0' }]);
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });
});
