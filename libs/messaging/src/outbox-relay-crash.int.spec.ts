import { uniqueName } from '@golden-loop/testing';
import { forkTs, type TsChild } from './test-support/child-process';
import { eventually, messagingTestEnv, unpublishedCount, type MessagingTestEnv } from './test-support/messaging-test-env';
import type { WriterProcessMessage } from './test-support/outbox-writer.process';
import { readTopic } from './test-support/read-topic';
import type { RelayProcessMessage } from './test-support/relay.process';

jest.setTimeout(600_000);

type InTransaction = Extract<WriterProcessMessage, { type: 'in-transaction' }>;
type Hanging = Extract<RelayProcessMessage, { type: 'hanging' }>;

describe('outbox relay when processes are killed with SIGKILL', () => {
  let env: MessagingTestEnv;
  const children: TsChild[] = [];

  beforeAll(async () => {
    env = await messagingTestEnv('messaging_crash');
  });

  afterAll(async () => {
    await Promise.all(children.map((child) => child.kill()));
    await env?.close();
  });

  it('after writers killed mid-transaction and relays killed between produce and mark, every committed row is on Kafka, no uncommitted row ever is, and each plan keeps its order', async () => {
    const topic = uniqueName('crash');
    await env.kafka.createTopics([topic], 3);
    const committed = new Set<string>();
    const uncommitted = new Set<string>();
    const hungChunks: string[][] = [];

    const writer = (prefix: string, firstSeq: number, hangAt: number): TsChild => {
      const child = forkTs('outbox-writer.process.ts', {
        WRITER_SCHEMA: env.db.schema,
        WRITER_TOPIC: topic,
        WRITER_PREFIX: prefix,
        WRITER_FIRST_SEQ: String(firstSeq),
        WRITER_TRANSACTIONS: '20',
        WRITER_ROWS_PER_TRANSACTION: '10',
        WRITER_KEYS: '7',
        WRITER_HANG_AT: String(hangAt),
      });
      children.push(child);
      return child;
    };
    /** Waits until the writer is inside its open transaction, SIGKILLs it, and books what it reported. */
    const killMidTransaction = async (child: TsChild): Promise<void> => {
      const open = await child.next<InTransaction>('in-transaction');
      await child.kill();
      for (const message of child.received as WriterProcessMessage[]) {
        if (message.type === 'committed') for (const id of message.ids) committed.add(id);
      }
      for (const id of open.ids) uncommitted.add(id);
    };
    const relay = (hangAfterChunks: number): TsChild => {
      const child = forkTs('relay.process.ts', {
        RELAY_SCHEMA: env.db.schema,
        RELAY_BATCH_SIZE: '50',
        RELAY_HANG_AFTER_CHUNKS: String(hangAfterChunks),
      });
      children.push(child);
      return child;
    };
    /** Waits until the relay has had a chunk acknowledged by Kafka but not yet marked, then SIGKILLs it. */
    const killBetweenProduceAndMark = async (child: TsChild): Promise<void> => {
      const hanging = await child.next<Hanging>('hanging');
      await child.kill();
      hungChunks.push(hanging.messageIds);
    };

    // 140 committed rows, one transaction open when the writer dies.
    await killMidTransaction(writer('g1', 0, 15));
    // The relay publishes 50 and marks them, publishes 50 more and dies before marking them.
    await killBetweenProduceAndMark(relay(2));
    // With no relay alive, a second writer commits 70 rows (committed, not published) and dies mid-transaction.
    await killMidTransaction(writer('g2', 10_000, 8));
    // A relay and a writer die together: the relay after its third chunk, the writer inside transaction 12.
    const relayB = relay(3);
    const writerC = writer('g3', 20_000, 12);
    await Promise.all([killBetweenProduceAndMark(relayB), killMidTransaction(writerC)]);

    // A fresh relay drains the outbox and stops politely.
    const fresh = relay(0);
    await fresh.next('leading');
    await eventually('outbox drained', async () => (await unpublishedCount(env.dataSource)) === 0, { timeoutMs: 180_000 });
    expect(await fresh.terminate()).toBe(0);

    const rows = await env.dataSource.query<Array<{ message_id: string; test_id: string }>>(
      `SELECT message_id::text AS message_id, headers->>'test_id' AS test_id FROM outbox`,
    );
    const testIdOf = new Map(rows.map((row) => [row.message_id, row.test_id]));
    // The database itself agrees with what the writers reported: committed rows only.
    expect(new Set(rows.map((row) => row.test_id))).toEqual(committed);
    expect(committed.size).toBe(140 + 70 + 110);
    expect(uncommitted.size).toBe(30);

    const onKafka = await readTopic(env.kafka.kafka, topic);
    const copies = new Map<string, number>();
    for (const message of onKafka) {
      const id = message.headers['test_id'] ?? '';
      copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    const timesHung = new Map<string, number>();
    for (const chunk of hungChunks) {
      for (const messageId of chunk) {
        const id = testIdOf.get(messageId) ?? messageId;
        timesHung.set(id, (timesHung.get(id) ?? 0) + 1);
      }
    }

    expect([...committed].filter((id) => !copies.has(id))).toEqual([]);
    expect([...uncommitted].filter((id) => copies.has(id))).toEqual([]);
    expect([...copies.keys()].filter((id) => !committed.has(id))).toEqual([]);
    // At-least-once, and exactly where expected: a row published again once per relay killed between its
    // produce and its mark, never otherwise.
    const duplicates = onKafka.length - copies.size;
    expect(duplicates).toBe(50 + 50);
    for (const [id, count] of copies) expect({ id, count }).toEqual({ id, count: 1 + (timesHung.get(id) ?? 0) });

    // Per plan, the first copies come in commit order.
    const firstSeqs = new Map<string, number[]>();
    const seen = new Set<string>();
    for (const message of onKafka) {
      const { testId, key, seq } = JSON.parse(message.value) as { testId: string; key: string; seq: number };
      if (seen.has(testId)) continue;
      seen.add(testId);
      firstSeqs.set(key, [...(firstSeqs.get(key) ?? []), seq]);
    }
    for (const seqs of firstSeqs.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
