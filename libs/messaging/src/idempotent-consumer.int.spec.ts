import { uniqueName } from '@golden-loop/testing';
import type { KafkaMessage, Message, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { IdempotentConsumer, type IdempotentConsumerOptions, type MessageContext } from './idempotent-consumer';
import { keyLockExpression } from './key-lock';
import { listParkedKeys, unparkKey } from './parked-keys';
import { eventually, messagingTestEnv, type MessagingTestEnv } from './test-support/messaging-test-env';
import { readTopic } from './test-support/read-topic';

// Generous: the machine is shared; waits are bounded polls, never fixed sleeps.
jest.setTimeout(180_000);

interface PlanEvent {
  readonly id: string;
  readonly plan: string;
}

/** Stands in for libs/contracts' ContractViolation: a decode error with a stable code. */
class ContractViolationDouble extends Error {
  readonly code = 'schema_violation';
}

const decodePlanEvent = (message: KafkaMessage): PlanEvent => {
  try {
    const parsed = JSON.parse(message.value?.toString() ?? '') as Partial<PlanEvent>;
    if (typeof parsed.id === 'string' && typeof parsed.plan === 'string') return { id: parsed.id, plan: parsed.plan };
  } catch {
    // falls through to the violation below
  }
  throw new ContractViolationDouble('payload does not match care.goldenloop.test.Happened.v1');
};

const anEvent = (plan: string, id: string = randomUUID()): Message & { id: string } => ({
  id,
  key: plan,
  value: JSON.stringify({ id, plan }),
  headers: { ce_id: id, ce_type: 'care.goldenloop.test.Happened.v1', ce_subject: plan, 'content-type': 'application/json' },
});

/** Counts how often the handler ran per event id, and applies the event to a table in the inbox transaction. */
const countingHandler = (calls: Map<string, number>, fail: (event: PlanEvent) => Error | undefined = () => undefined) =>
  async (event: PlanEvent, manager: EntityManager, _context: MessageContext): Promise<void> => {
    calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
    await manager.query(
      `INSERT INTO applied (event_id, plan, times) VALUES ($1, $2, 1)
       ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1`,
      [event.id, event.plan],
    );
    const error = fail(event);
    if (error) throw error;
  };

describe('IdempotentConsumer', () => {
  let env: MessagingTestEnv;
  let producer: Producer;
  const running: Array<IdempotentConsumer<PlanEvent>> = [];

  beforeAll(async () => {
    env = await messagingTestEnv('messaging_consumer');
    await env.dataSource.query(`CREATE TABLE applied (event_id text PRIMARY KEY, plan text NOT NULL, times integer NOT NULL)`);
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
    options: Pick<IdempotentConsumerOptions<PlanEvent>, 'groupId' | 'topics' | 'handler'> &
      Partial<IdempotentConsumerOptions<PlanEvent>>,
  ): Promise<IdempotentConsumer<PlanEvent>> => {
    const consumer = new IdempotentConsumer<PlanEvent>({
      kafka: env.kafka.kafka,
      dataSource: env.dataSource,
      decode: decodePlanEvent,
      retry: { attempts: 3, baseDelayMs: 20 },
      ...options,
    });
    running.push(consumer);
    await consumer.start();
    return consumer;
  };

  const timesApplied = async (eventId: string): Promise<number | undefined> => {
    const [row] = await env.dataSource.query<Array<{
      times: number;
    }>>(`SELECT times FROM applied WHERE event_id = $1`, [eventId]);
    return row?.times;
  };

  const committedOffset = async (groupId: string, topic: string): Promise<string | undefined> => {
    const admin = env.kafka.kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return offsets?.partitions.find((p) => p.partition === 0)?.offset;
    } finally {
      await admin.disconnect();
    }
  };

  it('applies an event delivered twice only once', async () => {
    const topic = uniqueName('consumer-dup');
    await env.kafka.createTopics([topic, `${topic}.dlq`]);
    const twice = anEvent('plan-1');
    const after = anEvent('plan-1');
    await produce(topic, [twice, twice, after]);

    const calls = new Map<string, number>();
    const consumer = await startConsumer({ groupId: uniqueName('group-dup'), topics: [topic], handler: countingHandler(calls) });
    await eventually('the later event applied', () => timesApplied(after.id));

    expect(await timesApplied(twice.id)).toBe(1);
    expect(calls.get(twice.id)).toBe(1);
    expect(consumer.health()).toMatchObject({ processed: 2, duplicates: 1, deadLettered: 0, healthy: true });
  });

  it('sends a poison message to the DLQ after N attempts with its original record, keeps the partition flowing, and parks the plan', async () => {
    const topic = uniqueName('consumer-poison');
    const dlq = `${topic}.dlq`;
    await env.kafka.createTopics([topic, dlq]);
    const first = anEvent('plan-1');
    const poison = anEvent('plan-2');
    const otherPlan = anEvent('plan-3');
    const samePlanLater = anEvent('plan-2');
    const last = anEvent('plan-4');
    await produce(topic, [first, poison, otherPlan, samePlanLater, last]);

    const calls = new Map<string, number>();
    const groupId = uniqueName('group-poison');
    const handler = countingHandler(calls, (event) =>
      event.id === poison.id ? Object.assign(new Error('scoring rule rejected the assessment'), { code: 'rule_failed' }) : undefined,
    );
    const consumer = await startConsumer({ groupId, topics: [topic], handler, retry: { attempts: 4, baseDelayMs: 20 } });
    await eventually('the last event applied', () => timesApplied(last.id));

    expect(calls.get(poison.id)).toBe(4);
    expect(await timesApplied(poison.id)).toBeUndefined();
    expect(await timesApplied(first.id)).toBe(1);
    expect(await timesApplied(otherPlan.id)).toBe(1);
    expect(calls.get(samePlanLater.id)).toBeUndefined();
    expect(consumer.health()).toMatchObject({ processed: 3, deadLettered: 2 });

    const [poisoned, parked] = await readTopic(env.kafka.kafka, dlq);
    expect(poisoned?.key).toBe('plan-2');
    expect(poisoned?.value).toBe(poison.value);
    expect(poisoned?.headers).toEqual({
      ...poison.headers,
      dlq_reason: 'handler',
      dlq_error_code: 'rule_failed',
      dlq_error_message: 'Error: scoring rule rejected the assessment',
      dlq_attempts: '4',
      dlq_original_topic: topic,
      dlq_original_partition: '0',
      dlq_original_offset: '1',
      dlq_consumer_group: groupId,
      dlq_failed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(parked?.value).toBe(samePlanLater.value);
    expect(parked?.headers).toMatchObject({
      ce_id: samePlanLater.id,
      dlq_reason: 'key_parked',
      dlq_error_code: 'key_parked',
      dlq_attempts: '0',
      dlq_original_offset: '3',
    });
    await eventually('offsets committed past the poison message', async () => (await committedOffset(groupId, topic)) === '5');

    expect(await listParkedKeys(env.dataSource, groupId)).toEqual([
      expect.objectContaining({ consumerGroup: groupId, topic, key: 'plan-2', eventId: poison.id, errorCode: 'rule_failed' }),
    ]);
    const released = await unparkKey(env.dataSource, { consumerGroup: groupId, topic, key: 'plan-2' });
    expect(released.map((record) => [record.eventId, record.reason, record.offset])).toEqual([
      [poison.id, 'handler', '1'],
      [samePlanLater.id, 'key_parked', '3'],
    ]);
    const afterUnpark = anEvent('plan-2');
    await produce(topic, [afterUnpark]);
    await eventually('the plan flows again', () => timesApplied(afterUnpark.id));
  });

  it('sends a message that cannot be decoded to the DLQ after exactly one attempt', async () => {
    const topic = uniqueName('consumer-decode');
    const dlq = `${topic}.dlq`;
    await env.kafka.createTopics([topic, dlq]);
    const garbled = { key: 'plan-9', value: '{"id": "truncated', headers: { ce_id: randomUUID(), ce_type: 'care.goldenloop.test.Happened.v1' } };
    const fine = anEvent('plan-10');
    await produce(topic, [garbled, fine]);

    const decoded = new Map<string, number>();
    const groupId = uniqueName('group-decode');
    await startConsumer({
      groupId,
      topics: [topic],
      handler: countingHandler(new Map()),
      decode: (message) => {
        decoded.set(message.offset, (decoded.get(message.offset) ?? 0) + 1);
        return decodePlanEvent(message);
      },
    });
    await eventually('the next event applied', () => timesApplied(fine.id));

    expect(decoded.get('0')).toBe(1);
    const [dead] = await readTopic(env.kafka.kafka, dlq);
    expect(dead?.value).toBe(garbled.value);
    expect(dead?.headers).toMatchObject({
      ...garbled.headers,
      dlq_reason: 'decode',
      dlq_error_code: 'schema_violation',
      dlq_attempts: '1',
      dlq_original_offset: '0',
    });
    expect((await listParkedKeys(env.dataSource, groupId)).map((p) => p.key)).toEqual(['plan-9']);
  });

  it('commits processed offsets on a graceful stop, so a restarted consumer in the same group reprocesses nothing', async () => {
    const topic = uniqueName('consumer-restart');
    await env.kafka.createTopics([topic, `${topic}.dlq`]);
    const groupId = uniqueName('group-restart');
    const events = Array.from({ length: 20 }, (_, i) => anEvent(`plan-${i % 3}`));
    await produce(topic, events);

    const firstCalls = new Map<string, number>();
    const first = await startConsumer({ groupId, topics: [topic], handler: countingHandler(firstCalls) });
    await eventually('all applied', async () => (await timesApplied(events[19]?.id ?? '')) === 1);
    await first.stop();
    expect(await committedOffset(groupId, topic)).toBe('20');

    const sentinel = anEvent('plan-0');
    await produce(topic, [sentinel]);
    const secondCalls = new Map<string, number>();
    const second = await startConsumer({ groupId, topics: [topic], handler: countingHandler(secondCalls) });
    await eventually('the new event applied', () => timesApplied(sentinel.id));

    expect([...secondCalls.keys()]).toEqual([sentinel.id]);
    expect(second.health()).toMatchObject({ processed: 1, duplicates: 0 });
    for (const event of events) expect(await timesApplied(event.id)).toBe(1);
  });

  it('lets the message in flight finish and commits its offset when stopped, and leaves the rest to the next member', async () => {
    const topic = uniqueName('consumer-inflight');
    await env.kafka.createTopics([topic, `${topic}.dlq`]);
    const groupId = uniqueName('group-inflight');
    const slow = anEvent('plan-s');
    const next = anEvent('plan-s');
    await produce(topic, [slow, next]);

    let entered: () => void = () => undefined;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls = new Map<string, number>();
    const counting = countingHandler(calls);
    const consumer = await startConsumer({
      groupId,
      topics: [topic],
      handler: async (event, manager, context) => {
        await counting(event, manager, context);
        if (event.id === slow.id) {
          entered();
          await gate;
        }
      },
    });
    await handlerEntered;
    const stopped = consumer.stop();
    release();
    await stopped;

    expect(await timesApplied(slow.id)).toBe(1);
    expect(calls.get(next.id)).toBeUndefined();
    expect(await committedOffset(groupId, topic)).toBe('1');

    await startConsumer({ groupId, topics: [topic], handler: countingHandler(calls) });
    await eventually('the next member applies the rest', () => timesApplied(next.id));
    expect(calls.get(slow.id)).toBe(1);
  });

  it('runs one handler at a time per plan across consumers, so the transaction ids of what they write follow the order they applied', async () => {
    const [planTopic, reviewTopic] = [uniqueName('consumer-key-a'), uniqueName('consumer-key-b')];
    await env.kafka.createTopics([planTopic, `${planTopic}.dlq`, reviewTopic, `${reviewTopic}.dlq`]);
    const journal: string[] = [];
    let entered: () => void = () => undefined;
    const firstEntered = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const enqueueMark = (manager: EntityManager, mark: string): Promise<unknown> =>
      manager.query(`INSERT INTO outbox (message_id, topic, message_key, payload) VALUES ($1, 'marks', 'plan-k', $2)`, [randomUUID(), mark]);

    await startConsumer({
      groupId: uniqueName('group-key-a'),
      topics: [planTopic],
      handler: async (_event, manager) => {
        journal.push('first handler entered');
        await enqueueMark(manager, 'first');
        entered();
        await gate;
      },
    });
    await produce(planTopic, [anEvent('plan-k')]);
    await firstEntered;

    await startConsumer({
      groupId: uniqueName('group-key-b'),
      topics: [reviewTopic],
      handler: async (_event, manager) => {
        journal.push('second handler entered');
        await enqueueMark(manager, 'second');
      },
    });
    await produce(reviewTopic, [anEvent('plan-k')]);
    try {
      await eventually('the second consumer waits for the plan lock', async () => {
        const [row] = await env.dataSource.query<Array<{ waiting: number }>>(
          `SELECT count(*)::int AS waiting FROM pg_locks
           WHERE locktype = 'advisory' AND NOT granted
             AND ((classid::bigint << 32) | objid::bigint) = ${keyLockExpression("'plan-k'")}`,
        );
        return row?.waiting === 1;
      });
      journal.push('first handler released');
    } finally {
      release();
    }

    await eventually('both applied', async () => {
      const marks = await env.dataSource.query<Array<{
        payload: string;
      }>>(`SELECT payload FROM outbox WHERE topic = 'marks' ORDER BY transaction_id, id`);
      return marks.length === 2 ? marks : undefined;
    }).then((marks) => expect(marks.map((m) => m.payload)).toEqual(['first', 'second']));
    expect(journal).toEqual(['first handler entered', 'first handler released', 'second handler entered']);
  });

  it('neither loses nor dead-letters a message while the database is unavailable: it reports the crash and resumes', async () => {
    const topic = uniqueName('consumer-outage');
    const dlq = `${topic}.dlq`;
    await env.kafka.createTopics([topic, dlq]);
    const event = anEvent('plan-o');
    const calls = new Map<string, number>();
    await env.dataSource.query(`ALTER TABLE inbox RENAME TO inbox_unavailable`);
    await env.dataSource.query(`ALTER TABLE inbox_dead_letters RENAME TO inbox_dead_letters_unavailable`);
    let consumer: IdempotentConsumer<PlanEvent> | undefined;
    try {
      await produce(topic, [event]);
      consumer = await startConsumer({
        groupId: uniqueName('group-outage'),
        topics: [topic],
        handler: countingHandler(calls),
        consumerConfig: { retry: { retries: 1, initialRetryTime: 100 } },
      });
      const started = consumer;
      const crashed = await eventually('a crash reported', () => (started.health().crashes > 0 ? started.health() : undefined));
      expect(crashed.lastError).toContain('inbox');
    } finally {
      await env.dataSource.query(`ALTER TABLE inbox_unavailable RENAME TO inbox`);
      await env.dataSource.query(`ALTER TABLE inbox_dead_letters_unavailable RENAME TO inbox_dead_letters`);
    }

    await eventually('applied after the database is back', () => timesApplied(event.id));
    expect(await timesApplied(event.id)).toBe(1);
    await eventually('healthy again', () => consumer?.health().healthy);
    expect(await readTopic(env.kafka.kafka, dlq)).toEqual([]);
  });
});
