import { uniqueName } from '@golden-loop/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Outbox, OutboxOutsideTransaction, type OutboxMessage } from './outbox';
import { OutboxRelay, publishedOutboxRows, unpublishedOutboxRows } from './outbox-relay';
import {
  enqueueInTransaction,
  eventually,
  messagingTestEnv,
  unpublishedCount,
  type MessagingTestEnv,
} from './test-support/messaging-test-env';
import { readTopic } from './test-support/read-topic';

// Generous: the machine is shared; waits are bounded polls, never fixed sleeps.
jest.setTimeout(180_000);

const aMessage = (topic: string, key: string, seq: number, extraHeaders: Record<string, string> = {}): OutboxMessage => {
  const id = randomUUID();
  return {
    topic,
    key,
    value: JSON.stringify({ id, key, seq, note: 'réévaluation PHQ-9 ✓' }),
    headers: { ce_id: id, ce_type: 'care.goldenloop.test.Happened.v1', ce_sequence: String(seq).padStart(8, '0'), ...extraHeaders },
  };
};

const seqOf = (value: string): number => (JSON.parse(value) as { seq: number }).seq;

/** Waits for two leader polls that began after this call, so a row committed before it was surely considered. */
const twoPollsLater = async (relay: OutboxRelay): Promise<void> => {
  const since = Date.now();
  const first = await eventually('a poll after the commit', () => {
    const at = relay.status().lastPollAt;
    return at && at.getTime() > since ? at.getTime() : undefined;
  });
  await eventually('a second poll', () => (relay.status().lastPollAt?.getTime() ?? 0) > first);
};

describe('OutboxRelay', () => {
  let env: MessagingTestEnv;
  let relay: OutboxRelay | undefined;

  beforeAll(async () => {
    env = await messagingTestEnv('messaging_relay');
  });

  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
  });

  afterAll(async () => {
    await env?.close();
  });

  const startRelay = async (options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): Promise<OutboxRelay> => {
    relay = new OutboxRelay({ dataSource: env.dataSource, kafka: env.kafka.kafka, ...options });
    await relay.start();
    return relay;
  };

  it('publishes committed rows keyed by plan id, in order per key, with their headers, and moves its position past them', async () => {
    const topic = uniqueName('relay-order');
    await env.kafka.createTopics([topic], 3);
    const keys = ['plan-a', 'plan-b', 'plan-c', 'plan-d'];
    const sent: OutboxMessage[] = [];
    for (let tx = 0; tx < 30; tx += 1) {
      const batch = keys.map((key, i) => aMessage(topic, key, tx * keys.length + i, { ce_subject: key }));
      sent.push(...batch);
      await enqueueInTransaction(env.dataSource, batch);
    }
    // One transaction with many rows of one plan: row ids cross 99 → 100 inside it.
    const long = Array.from({ length: 150 }, (_, i) => aMessage(topic, 'plan-a', 1_000 + i));
    sent.push(...long);
    await enqueueInTransaction(env.dataSource, long);

    await startRelay({ batchSize: 17 });
    await eventually('outbox drained', async () => (await unpublishedCount(env.dataSource)) === 0);

    const onKafka = await readTopic(env.kafka.kafka, topic);
    expect(onKafka).toHaveLength(sent.length);
    for (const key of keys) {
      const seqs = onKafka.filter((m) => m.key === key).map((m) => seqOf(m.value));
      expect(seqs).toEqual(sent.filter((m) => m.key === key).map((m) => seqOf(m.value)));
      expect(new Set(onKafka.filter((m) => m.key === key).map((m) => m.partition)).size).toBe(1);
    }
    const byId = new Map(onKafka.map((m) => [m.headers['ce_id'], m]));
    for (const message of sent) {
      const received = byId.get(message.headers['ce_id']);
      expect(received?.value).toBe(message.value);
      expect(received?.headers).toEqual(message.headers);
    }
    const [marks] = await env.dataSource.query<Array<{ total: number; published: number }>>(
      `SELECT (SELECT count(*) FROM outbox WHERE topic = $1)::int AS total, (SELECT count(*) ${publishedOutboxRows()} AND o.topic = $1)::int AS published`,
      [topic],
    );
    expect(marks).toEqual({ total: sent.length, published: sent.length });
  });

  it('never publishes the rows of a transaction that rolled back', async () => {
    const topic = uniqueName('relay-rollback');
    await env.kafka.createTopics([topic]);
    const before = aMessage(topic, 'plan-r', 1);
    const rolledBack = [aMessage(topic, 'plan-r', 2), aMessage(topic, 'plan-r', 3)];
    const after = aMessage(topic, 'plan-r', 4);

    await enqueueInTransaction(env.dataSource, [before]);
    await expect(
      env.dataSource.transaction(async (manager) => {
        await new Outbox().enqueue(manager, rolledBack);
        throw new Error('the command failed after enqueueing');
      }),
    ).rejects.toThrow('the command failed after enqueueing');
    await enqueueInTransaction(env.dataSource, [after]);

    await startRelay();
    await eventually('outbox drained', async () => (await unpublishedCount(env.dataSource)) === 0);
    const onKafka = await readTopic(env.kafka.kafka, topic);
    expect(onKafka.map((m) => seqOf(m.value))).toEqual([1, 4]);
  });

  it('holds back a row committed after an older transaction that is still open, so the late commit is not overtaken', async () => {
    const topic = uniqueName('relay-watermark');
    await env.kafka.createTopics([topic]);
    const relayNow = await startRelay();

    const older = env.dataSource.createQueryRunner();
    await older.connect();
    await older.startTransaction();
    try {
      await new Outbox().enqueue(older.manager, [aMessage(topic, 'plan-w', 1)]);
      await enqueueInTransaction(env.dataSource, [aMessage(topic, 'plan-w', 2)]);

      await twoPollsLater(relayNow);
      const held = await env.dataSource.query<Array<{ n: number }>>(`SELECT count(*)::int AS n ${unpublishedOutboxRows()} AND o.topic = $1`, [topic]);
      expect(held).toEqual([{ n: 1 }]);

      await older.commitTransaction();
    } finally {
      await older.release();
    }

    await eventually('both rows published', async () => (await unpublishedCount(env.dataSource)) === 0);
    const onKafka = await readTopic(env.kafka.kafka, topic);
    expect(onKafka.map((m) => seqOf(m.value))).toEqual([1, 2]);
  });

  it('reports the unpublished backlog and its age, and drains it after a restart', async () => {
    const topic = uniqueName('relay-metrics');
    await env.kafka.createTopics([topic]);
    const first = await startRelay();
    await first.stop();
    await enqueueInTransaction(env.dataSource, [aMessage(topic, 'plan-m', 1), aMessage(topic, 'plan-m', 2)]);

    const backlog = await first.metrics();
    expect(backlog.unpublished).toBe(2);
    expect(backlog.oldestUnpublishedAgeMs).toBeGreaterThanOrEqual(0);
    expect(backlog.relay.role).toBe('stopped');

    const second = await startRelay();
    await eventually('leader', () => second.status().role === 'leader');
    await eventually('backlog drained', async () => (await second.metrics()).unpublished === 0);
    expect((await second.metrics()).oldestUnpublishedAgeMs).toBeNull();
    expect(second.status().publishedTotal).toBe(2);
  });

  it('deletes published rows older than the retention period and keeps the rest', async () => {
    const topic = uniqueName('relay-retention');
    await env.kafka.createTopics([topic]);
    const old = [aMessage(topic, 'plan-o', 1), aMessage(topic, 'plan-o', 2)];
    const recent = aMessage(topic, 'plan-o', 3);
    await enqueueInTransaction(env.dataSource, [...old, recent]);
    const publisher = await startRelay();
    await eventually('published', async () => (await unpublishedCount(env.dataSource)) === 0);
    await publisher.stop();
    await env.dataSource.query(
      `UPDATE outbox SET created_at = now() - interval '3 hours' WHERE message_id = ANY($1::uuid[])`,
      [old.map((m) => m.headers['ce_id'])],
    );

    await startRelay({ retention: { publishedRowsHours: 2, everyMs: 100 } });
    await eventually('old rows purged', async () => {
      const rows = await env.dataSource.query<Array<{
        id: string;
      }>>(`SELECT message_id::text AS id FROM outbox WHERE topic = $1`, [topic]);
      return rows.length === 1 ? rows : undefined;
    }).then((rows) => expect(rows).toEqual([{ id: recent.headers['ce_id'] }]));
  });

  it('gives its connection back to the pool with the session settings it changed reset', async () => {
    const single = await new DataSource({ ...env.db.typeorm, extra: { ...env.db.typeorm.extra, max: 1 } }).initialize();
    try {
      const alone = new OutboxRelay({ dataSource: single, kafka: env.kafka.kafka });
      await alone.start();
      await eventually('leader', () => alone.status().role === 'leader');
      await alone.stop();
      const settings = await single.query<unknown[]>(
        `SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('enable_sort') AS enable_sort,
                (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS advisory_locks`,
      );
      expect(settings).toEqual([{ synchronous_commit: 'on', enable_sort: 'on', advisory_locks: 0 }]);
    } finally {
      await single.destroy();
    }
  });

  it('refuses to enqueue outside a transaction', async () => {
    await expect(new Outbox().enqueue(env.dataSource.manager, [aMessage('any', 'plan-x', 1)])).rejects.toBeInstanceOf(
      OutboxOutsideTransaction,
    );
  });
});
