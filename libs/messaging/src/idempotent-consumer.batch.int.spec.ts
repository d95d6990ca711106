import { uniqueName } from '@golden-loop/testing';
import type { KafkaMessage, Message, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CHUNK_TRANSACTIONS, IdempotentConsumer, type IdempotentConsumerOptions } from './idempotent-consumer';
import { keyLockExpression } from './key-lock';
import type { BatchedMessage } from './inbox-batch';
import { listParkedKeys } from './parked-keys';
import { eventually, messagingTestEnv, type MessagingTestEnv } from './test-support/messaging-test-env';
import { readTopic } from './test-support/read-topic';

// Batch mode of the idempotent consumer: a fetched batch applied in chunks, one inbox transaction each, with the
// guarantees of the one-message mode (idempotent-consumer.int.spec.ts): once in effect, per-key order, a poison
// message dead-lettered and its key parked, offsets committed after the work.

jest.setTimeout(180_000);

interface PlanEvent {
  readonly id: string;
  readonly plan: string;
  readonly seq: number;
}

class ContractViolationDouble extends Error {
  readonly code = 'schema_violation';
}

const decodePlanEvent = (message: KafkaMessage): PlanEvent => {
  try {
    const parsed = JSON.parse(message.value?.toString() ?? '') as Partial<PlanEvent>;
    if (typeof parsed.id === 'string' && typeof parsed.plan === 'string' && typeof parsed.seq === 'number') return parsed as PlanEvent;
  } catch {
    // falls through
  }
  throw new ContractViolationDouble('payload does not match care.goldenloop.test.Happened.v1');
};

const anEvent = (plan: string, seq: number, id: string = randomUUID()): Message & { id: string } => ({
  id,
  key: plan,
  value: JSON.stringify({ id, plan, seq }),
  headers: { ce_id: id, ce_type: 'care.goldenloop.test.Happened.v1', ce_subject: plan },
});

const record = (manager: EntityManager, event: PlanEvent): Promise<unknown> =>
  manager.query(
    `INSERT INTO applied_batch (event_id, plan, seq, tx, times) VALUES ($1, $2, $3, pg_current_xact_id()::text, 1)
     ON CONFLICT (event_id) DO UPDATE SET times = applied_batch.times + 1`,
    [event.id, event.plan, event.seq],
  );

describe('IdempotentConsumer in batch mode', () => {
  let env: MessagingTestEnv;
  let producer: Producer;
  const running: Array<IdempotentConsumer<PlanEvent>> = [];

  beforeAll(async () => {
    env = await messagingTestEnv('messaging_batch');
    await env.dataSource.query(
      `CREATE TABLE applied_batch (event_id text PRIMARY KEY, plan text NOT NULL, seq integer NOT NULL, tx text NOT NULL, times integer NOT NULL,
                                   applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    producer = env.kafka.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await env?.close();
  });

  const produce = (topic: string, messages: Message[]): Promise<unknown> => producer.send({ topic, acks: -1, messages });

  const startConsumer = async (
    options: Pick<IdempotentConsumerOptions<PlanEvent>, 'groupId' | 'topics'> & Partial<IdempotentConsumerOptions<PlanEvent>>,
  ): Promise<IdempotentConsumer<PlanEvent>> => {
    const consumer = new IdempotentConsumer<PlanEvent>({
      kafka: env.kafka.kafka,
      dataSource: env.dataSource,
      decode: decodePlanEvent,
      handler: (event, manager) => record(manager, event).then(() => undefined),
      retry: { attempts: 3, baseDelayMs: 20 },
      batch: { maxMessages: 25 },
      ...options,
    });
    running.push(consumer);
    await consumer.start();
    return consumer;
  };

  const appliedOf = (ids: readonly string[]) =>
    env.dataSource.query<Array<{ event_id: string; plan: string; seq: number; tx: string; times: number }>>(
      `SELECT event_id, plan, seq, tx, times FROM applied_batch WHERE event_id = ANY($1) ORDER BY applied_at, seq`,
      [ids],
    );
  const allApplied = (ids: readonly string[]) => async () => (await appliedOf(ids)).length === ids.length;

  const committedOffsets = async (groupId: string, topic: string): Promise<string[]> => {
    const admin = env.kafka.kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => p.offset);
    } finally {
      await admin.disconnect();
    }
  };

  it('applies 300 events over 12 plans once each, in each plan’s order, a chunk per transaction, and commits every offset', async () => {
    const topic = uniqueName('batch-many');
    await env.kafka.createTopics([topic, `${topic}.dlq`], 3);
    const events = Array.from({ length: 300 }, (_, i) => anEvent(`plan-${i % 12}`, i));
    await produce(topic, events);

    const chunks: number[] = [];
    const groupId = uniqueName('group-many');
    const consumer = await startConsumer({
      groupId,
      topics: [topic],
      partitionsConsumedConcurrently: 3,
      batch: {
        maxMessages: 25,
        handler: async (messages: readonly BatchedMessage<PlanEvent>[], manager) => {
          chunks.push(messages.length);
          for (const { event, context } of messages) {
            expect(context).toMatchObject({ consumerGroup: groupId, topic, eventId: event.id, key: event.plan, attempt: 1 });
            await record(manager, event);
          }
        },
      },
    });
    await eventually('all applied', allApplied(events.map((e) => e.id)));

    const applied = await appliedOf(events.map((e) => e.id));
    expect(applied.every((row) => row.times === 1)).toBe(true);
    for (let plan = 0; plan < 12; plan += 1) {
      const seqs = applied.filter((row) => row.plan === `plan-${plan}`).map((row) => row.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(300);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(25);
    expect(new Set(applied.map((row) => row.tx)).size).toBe(chunks.length);
    expect(consumer.health()).toMatchObject({ processed: 300, duplicates: 0, deadLettered: 0 });
    await eventually('every offset committed', async () => {
      const offsets = await committedOffsets(groupId, topic);
      const counted = await env.dataSource.query<Array<{ partition: number; n: number }>>(
        `SELECT kafka_partition AS partition, count(*)::int AS n FROM inbox WHERE consumer_group = $1 GROUP BY 1 ORDER BY 1`,
        [groupId],
      );
      return offsets.length === 3 && counted.every((row) => offsets[row.partition] === String(row.n));
    });
  });

  describe('chunks of several partitions', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const inPlanOrder = (rows: ReadonlyArray<{ plan: string; seq: number }>) =>
      Array.from({ length: 12 }, (_, plan) => rows.filter((row) => row.plan === `plan-${plan}`).map((row) => row.seq)).every((seqs) => seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]));

    /**
     * 12 plans, plan p always on partition p % 6, 5 events each, through a consumer on all 6 partitions at once whose
     * first CHUNK_TRANSACTIONS transactions stay open a while, so that the other partitions' chunks arrive and wait.
     * `check` sees each transaction's messages before they are recorded, and may throw.
     */
    const consumeSixPartitions = async (name: string, check: (messages: readonly BatchedMessage<PlanEvent>[]) => void = () => undefined) => {
      const topic = uniqueName(name);
      await env.kafka.createTopics([topic, `${topic}.dlq`], 6);
      const events = Array.from({ length: 60 }, (_, i) => ({ ...anEvent(`plan-${i % 12}`, i), partition: i % 6 }));
      const transactions: { partitions: number[]; size: number }[] = [];
      let oneAtATime = 0;
      const consumer = await startConsumer({
        groupId: uniqueName(`group-${name}`),
        topics: [topic],
        partitionsConsumedConcurrently: 6,
        handler: async (event, manager) => {
          oneAtATime += 1;
          await record(manager, event);
        },
        batch: {
          maxMessages: 25,
          handler: async (messages, manager) => {
            transactions.push({ partitions: [...new Set(messages.map(({ context }) => context.partition))], size: messages.length });
            if (transactions.length <= CHUNK_TRANSACTIONS) await sleep(500);
            check(messages);
            for (const { event } of messages) await record(manager, event);
          },
        },
      });
      await produce(topic, events);
      await eventually('all applied', allApplied(events.map((e) => e.id)));
      const applied = await appliedOf(events.map((e) => e.id));
      expect(applied.every((row) => row.times === 1)).toBe(true);
      expect(inPlanOrder(applied)).toBe(true);
      return { consumer, applied, transactions, oneAtATime };
    };

    it(`share a transaction while ${CHUNK_TRANSACTIONS} are open, up to maxMessages, each plan still in order and once`, async () => {
      const { applied, transactions } = await consumeSixPartitions('batch-shared');
      expect(transactions.some(({ partitions }) => partitions.length > 1)).toBe(true);
      expect(Math.max(...transactions.map(({ size }) => size))).toBeLessThanOrEqual(25);
      expect(new Set(applied.map((row) => row.tx)).size).toBe(transactions.length);
    });

    it('that cannot commit together are applied again each alone, as chunks, not one message at a time', async () => {
      let sharedFailures = 0;
      const { consumer, oneAtATime } = await consumeSixPartitions('batch-shared-fails', (messages) => {
        if (new Set(messages.map(({ context }) => context.partition)).size === 1) return;
        sharedFailures += 1;
        throw new Error('a shared transaction failed');
      });
      expect(sharedFailures).toBeGreaterThan(0);
      expect(oneAtATime).toBe(0);
      expect(consumer.health()).toMatchObject({ processed: 60, deadLettered: 0 });
    });
  });

  it('acknowledges the events its handler does not react to without an inbox row, in chunks and one message at a time', async () => {
    const topic = uniqueName('batch-ignored');
    await env.kafka.createTopics([topic, `${topic}.dlq`]);
    // Even sequence numbers matter to the handler, odd ones do not.
    const events = Array.from({ length: 10 }, (_, i) => anEvent(i % 3 === 0 ? 'plan-a' : 'plan-b', i));
    const reacted = events.filter((_, i) => i % 2 === 0).map((e) => e.id);
    await produce(topic, events);
    const inboxOf = async (groupId: string) =>
      (await env.dataSource.query<{ event_id: string }[]>('SELECT event_id FROM inbox WHERE consumer_group = $1 ORDER BY event_id', [groupId])).map((r) => r.event_id);
    const handled: string[] = [];
    const reactsTo = (event: PlanEvent) => event.seq % 2 === 0;
    const handler = async (event: PlanEvent, manager: EntityManager) => {
      handled.push(event.id);
      await record(manager, event);
    };

    const chunked = uniqueName('group-ignored-chunks');
    const inChunks = await startConsumer({ groupId: chunked, topics: [topic], reactsTo, handler });
    const single = uniqueName('group-ignored-single');
    const oneByOne = await startConsumer({ groupId: single, topics: [topic], reactsTo, handler, batch: undefined });
    await eventually('both groups through the topic', async () => (await committedOffsets(chunked, topic))[0] === '10' && (await committedOffsets(single, topic))[0] === '10');

    expect(await inboxOf(chunked)).toEqual([...reacted].sort());
    expect(await inboxOf(single)).toEqual([...reacted].sort());
    expect([...new Set(handled)].sort()).toEqual([...reacted].sort());
    expect(handled).toHaveLength(reacted.length * 2);
    expect(inChunks.health()).toMatchObject({ processed: 5, ignored: 5, duplicates: 0 });
    expect(oneByOne.health()).toMatchObject({ processed: 5, ignored: 5, duplicates: 0 });

    // A chunk of ignored events only: nothing claimed (no transaction is opened for it), and the offsets move past it.
    await produce(topic, [anEvent('plan-a', 11), anEvent('plan-b', 13)]);
    await eventually('past the ignored chunk', async () => (await committedOffsets(chunked, topic))[0] === '12');
    expect(await inboxOf(chunked)).toHaveLength(5);
    expect(inChunks.health()).toMatchObject({ processed: 5, ignored: 7 });
  });

  it('applies an event delivered twice in one batch, or again later, only once', async () => {
    const topic = uniqueName('batch-dup');
    await env.kafka.createTopics([topic, `${topic}.dlq`]);
    const twice = anEvent('plan-d', 1);
    const after = anEvent('plan-d', 2);
    await produce(topic, [twice, twice, after]);
    const groupId = uniqueName('group-dup');
    const consumer = await startConsumer({ groupId, topics: [topic] });
    await eventually('the later event applied', allApplied([after.id]));
    await produce(topic, [twice]);
    const sentinel = anEvent('plan-d', 3);
    await produce(topic, [sentinel]);
    await eventually('the sentinel applied', allApplied([sentinel.id]));

    expect((await appliedOf([twice.id]))[0]?.times).toBe(1);
    expect(consumer.health()).toMatchObject({ processed: 3, duplicates: 2 });
  });

  it('applies a chunk with a poison message one message at a time: the poison is dead-lettered, its plan parked, the rest applied once', async () => {
    const topic = uniqueName('batch-poison');
    const dlq = `${topic}.dlq`;
    await env.kafka.createTopics([topic, dlq]);
    const before = anEvent('plan-1', 1);
    const poison = anEvent('plan-2', 2);
    const garbled = { key: 'plan-3', value: '{"id": "truncated', headers: { ce_id: randomUUID() } };
    const samePlanLater = anEvent('plan-2', 4);
    const after = anEvent('plan-4', 5);
    await produce(topic, [before, poison, garbled, samePlanLater, after]);
    const laterBatch = [anEvent('plan-5', 6), anEvent('plan-2', 7), anEvent('plan-6', 8)];

    const calls = new Map<string, number>();
    const groupId = uniqueName('group-poison');
    const consumer = await startConsumer({
      groupId,
      topics: [topic],
      retry: { attempts: 3, baseDelayMs: 20 },
      handler: async (event, manager) => {
        calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
        await record(manager, event);
        if (event.id === poison.id) throw Object.assign(new Error('rule rejected it'), { code: 'rule_failed' });
      },
    });
    await eventually('the events after the poison applied', allApplied([before.id, after.id]));
    await produce(topic, laterBatch);
    await eventually('the later batch applied', allApplied([laterBatch[0].id, laterBatch[2].id]));

    expect((await appliedOf([before.id, after.id, laterBatch[0].id, laterBatch[2].id])).map((row) => row.times)).toEqual([1, 1, 1, 1]);
    expect(await appliedOf([poison.id, samePlanLater.id, laterBatch[1].id])).toEqual([]);
    // The chunk holds a message that does not decode, so it goes one message at a time at once: three attempts.
    expect(calls.get(poison.id)).toBe(3);
    const dead = await eventually('four dead letters', async () => {
      const records = await readTopic(env.kafka.kafka, dlq);
      return records.length >= 4 ? records : undefined;
    });
    expect(dead.map((r) => [r.key, r.headers.dlq_reason, r.headers.dlq_error_code])).toEqual([
      ['plan-2', 'handler', 'rule_failed'],
      ['plan-3', 'decode', 'schema_violation'],
      ['plan-2', 'key_parked', 'key_parked'],
      ['plan-2', 'key_parked', 'key_parked'],
    ]);
    expect((await listParkedKeys(env.dataSource, groupId)).map((p) => p.key).sort()).toEqual(['plan-2', 'plan-3']);
    expect(consumer.health()).toMatchObject({ processed: 4, deadLettered: 4 });
  });

  it('a handler that fails in a chunk rolls the chunk back: its messages are applied one at a time, once each', async () => {
    const topic = uniqueName('batch-rollback');
    await env.kafka.createTopics([topic, `${topic}.dlq`]);
    const events = [anEvent('plan-a', 1), anEvent('plan-b', 2), anEvent('plan-a', 3)];
    await produce(topic, events);
    const calls = new Map<string, number>();
    let failOnce = true;
    const consumer = await startConsumer({
      groupId: uniqueName('group-rollback'),
      topics: [topic],
      handler: async (event, manager) => {
        calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
        await record(manager, event);
        if (event.id === events[1].id && failOnce) {
          failOnce = false;
          throw new Error('the database blinked');
        }
      },
    });
    await eventually('all applied', allApplied(events.map((e) => e.id)));

    expect((await appliedOf(events.map((e) => e.id))).map((row) => [row.seq, row.times])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // The first message ran in the rolled-back chunk and again on its own; the third only on its own.
    expect(events.map((e) => calls.get(e.id))).toEqual([2, 2, 1]);
    expect(consumer.health()).toMatchObject({ processed: 3, deadLettered: 0 });
  });

  it('commits what it applied when stopped, and a restarted consumer applies the rest exactly once', async () => {
    const topic = uniqueName('batch-restart');
    await env.kafka.createTopics([topic, `${topic}.dlq`]);
    const groupId = uniqueName('group-restart');
    const events = Array.from({ length: 120 }, (_, i) => anEvent(`plan-${i % 5}`, i));
    await produce(topic, events);

    let chunksApplied = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = await startConsumer({
      groupId,
      topics: [topic],
      batch: {
        maxMessages: 20,
        handler: async (messages, manager) => {
          for (const { event } of messages) await record(manager, event);
          chunksApplied += 1;
          if (chunksApplied === 2) await gate;
        },
      },
    });
    await eventually('two chunks in', () => chunksApplied === 2);
    const stopped = first.stop();
    release();
    await stopped;
    const appliedBefore = (await appliedOf(events.map((e) => e.id))).length;
    expect(appliedBefore).toBe(40);
    expect(await committedOffsets(groupId, topic)).toEqual(['40']);

    await startConsumer({ groupId, topics: [topic] });
    await eventually('the rest applied', allApplied(events.map((e) => e.id)));
    expect((await appliedOf(events.map((e) => e.id))).every((row) => row.times === 1)).toBe(true);
  });

  it('locks the keys of a chunk before its first write: a chunk waits for a plan another group is applying', async () => {
    const [planTopic, otherTopic] = [uniqueName('batch-key-a'), uniqueName('batch-key-b')];
    await env.kafka.createTopics([planTopic, `${planTopic}.dlq`, otherTopic, `${otherTopic}.dlq`]);
    let entered: () => void = () => undefined;
    const firstEntered = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mark = (manager: EntityManager, payload: string): Promise<unknown> =>
      manager.query(`INSERT INTO outbox (message_id, topic, message_key, payload) VALUES ($1, 'batch-marks', 'plan-k', $2)`, [randomUUID(), payload]);

    await startConsumer({
      groupId: uniqueName('group-key-a'),
      topics: [planTopic],
      batch: undefined,
      handler: async (_event, manager) => {
        await mark(manager, 'first');
        entered();
        await gate;
      },
    });
    await produce(planTopic, [anEvent('plan-k', 1)]);
    await firstEntered;
    await startConsumer({
      groupId: uniqueName('group-key-b'),
      topics: [otherTopic],
      handler: async (event, manager) => {
        if (event.plan === 'plan-k') await mark(manager, 'second');
      },
    });
    await produce(otherTopic, [anEvent('plan-z', 2), anEvent('plan-k', 3)]);
    try {
      await eventually('the chunk waits for the plan lock', async () => {
        const [row] = await env.dataSource.query<Array<{ waiting: number }>>(
          `SELECT count(*)::int AS waiting FROM pg_locks
           WHERE locktype = 'advisory' AND NOT granted
             AND ((classid::bigint << 32) | objid::bigint) = ${keyLockExpression("'plan-k'")}`,
        );
        return row?.waiting === 1;
      });
    } finally {
      release();
    }
    const marks = await eventually('both applied', async () => {
      const rows = await env.dataSource.query<Array<{ payload: string }>>(`SELECT payload FROM outbox WHERE topic = 'batch-marks' ORDER BY transaction_id, id`);
      return rows.length === 2 ? rows : undefined;
    });
    expect(marks.map((m) => m.payload)).toEqual(['first', 'second']);
  });
});
