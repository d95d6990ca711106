import { uniqueName } from '@golden-loop/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { OutboxMessage } from './outbox';
import { forkTs } from './test-support/child-process';
import { OutboxRelay } from './outbox-relay';
import {
  enqueueInTransaction,
  eventually,
  messagingTestEnv,
  openDataSource,
  unpublishedCount,
  type MessagingTestEnv,
} from './test-support/messaging-test-env';
import { readTopic } from './test-support/read-topic';

// Generous: the machine is shared; waits are bounded polls, never fixed sleeps.
jest.setTimeout(180_000);

const messagesFor = (topic: string, from: number, count: number): OutboxMessage[] =>
  Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    const seq = from + i;
    return { topic, key: `plan-${seq % 7}`, value: JSON.stringify({ id, seq }), headers: { ce_id: id } };
  });

const countOnKafka = (values: string[]): { distinct: Set<string>; duplicates: number } => {
  const distinct = new Set(values.map((v) => (JSON.parse(v) as { id: string }).id));
  return { distinct, duplicates: values.length - distinct.size };
};

describe('OutboxRelay leader election', () => {
  let env: MessagingTestEnv;
  let otherInstance: DataSource;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    env = await messagingTestEnv('messaging_election');
    otherInstance = await openDataSource(env.db);
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });

  afterAll(async () => {
    if (otherInstance?.isInitialized) await otherInstance.destroy();
    await env?.close();
  });

  const twoRelays = async (): Promise<[OutboxRelay, OutboxRelay]> => {
    const a = new OutboxRelay({ dataSource: env.dataSource, kafka: env.kafka.kafka, batchSize: 50, standbyPollMs: 200 });
    const b = new OutboxRelay({ dataSource: otherInstance, kafka: env.kafka.kafka, batchSize: 50, standbyPollMs: 200 });
    relays.push(a, b);
    await Promise.all([a.start(), b.start()]);
    await eventually('one leader', () => [a, b].some((r) => r.status().role === 'leader'));
    return a.status().role === 'leader' ? [a, b] : [b, a];
  };

  it('runs one leader at a time; when the leader stops, the standby takes over and nothing is lost or doubled', async () => {
    const topic = uniqueName('election');
    await env.kafka.createTopics([topic], 2);
    const [leader, standby] = await twoRelays();
    expect(standby.status().role).toBe('standby');

    const all: OutboxMessage[] = [];
    for (let round = 0; round < 20; round += 1) {
      const batch = messagesFor(topic, round * 50, 50);
      all.push(...batch);
      await enqueueInTransaction(env.dataSource, batch);
    }
    await eventually('the leader published part of the outbox', () => leader.status().publishedTotal > 0);
    await leader.stop();
    expect(leader.status().role).toBe('stopped');

    for (let round = 20; round < 30; round += 1) {
      const batch = messagesFor(topic, round * 50, 50);
      all.push(...batch);
      await enqueueInTransaction(otherInstance, batch);
    }
    await eventually('the standby leads', () => standby.status().role === 'leader');
    await eventually('outbox drained', async () => (await unpublishedCount(env.dataSource)) === 0);

    expect(standby.status().publishedTotal).toBeGreaterThan(0);
    expect(leader.status().publishedTotal + standby.status().publishedTotal).toBe(all.length);
    const { distinct, duplicates } = countOnKafka((await readTopic(env.kafka.kafka, topic)).map((m) => m.value));
    expect(distinct).toEqual(new Set(all.map((m) => m.headers['ce_id'])));
    expect(duplicates).toBe(0);
  });

  it('takes over when the leader process is killed with SIGKILL', async () => {
    const topic = uniqueName('election-sigkill');
    await env.kafka.createTopics([topic]);
    const leaderProcess = forkTs('relay.process.ts', { RELAY_SCHEMA: env.db.schema });
    try {
      await leaderProcess.next('leading');
      const standby = new OutboxRelay({ dataSource: otherInstance, kafka: env.kafka.kafka, standbyPollMs: 200 });
      relays.push(standby);
      await standby.start();
      await enqueueInTransaction(env.dataSource, messagesFor(topic, 0, 100));
      await eventually('the process published', async () => (await unpublishedCount(env.dataSource)) === 0);
      expect(standby.status()).toMatchObject({ role: 'standby', publishedTotal: 0 });

      await leaderProcess.kill();
      await enqueueInTransaction(env.dataSource, messagesFor(topic, 100, 100));
      await eventually('the standby leads', () => standby.status().role === 'leader');
      await eventually('outbox drained', async () => (await unpublishedCount(env.dataSource)) === 0);
      expect(standby.status().publishedTotal).toBe(100);
      const { distinct, duplicates } = countOnKafka((await readTopic(env.kafka.kafka, topic)).map((m) => m.value));
      expect(distinct.size).toBe(200);
      expect(duplicates).toBe(0);
    } finally {
      await leaderProcess.kill();
    }
  });

  it("steps down when its database session dies, and one relay leads again without losing a message", async () => {
    const topic = uniqueName('election-session');
    await env.kafka.createTopics([topic]);
    const [leader, standby] = await twoRelays();
    await enqueueInTransaction(env.dataSource, messagesFor(topic, 0, 100));
    await eventually('first rows published', async () => (await unpublishedCount(env.dataSource)) === 0);

    const terminated = await env.dataSource.query<Array<{ done: boolean }>>(
      `SELECT pg_terminate_backend(pid) AS done FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND ((classid::bigint << 32) | objid::bigint) = ((x'474c4f52'::bigint << 32) | to_regclass('outbox')::oid::bigint)`,
    );
    expect(terminated).toEqual([{ done: true }]);

    await enqueueInTransaction(env.dataSource, messagesFor(topic, 100, 100));
    await eventually('the old leader noticed', () => leader.status().lastError !== null);
    await eventually('one leader again', () => [leader, standby].filter((r) => r.status().role === 'leader').length === 1);
    await eventually('outbox drained', async () => (await unpublishedCount(env.dataSource)) === 0);

    const { distinct } = countOnKafka((await readTopic(env.kafka.kafka, topic)).map((m) => m.value));
    expect(distinct.size).toBe(200);
  });
});
