import type { Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';

export interface ReadMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/**
 * Everything on `topic` up to its current end, per partition in offset order. Used to assert what the
 * relay or the DLQ really put on the broker.
 */
export const readTopic = async (kafka: Kafka, topic: string, timeoutMs = 90_000): Promise<ReadMessage[]> => {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([partition]) => partition));
  const messages: ReadMessage[] = [];
  if (pending.size === 0) return messages;

  const consumer = kafka.consumer({ groupId: `read-${topic}-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`readTopic ${topic}: partitions ${[...pending].join(',')} not read to the end in ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = ends.get(partition) ?? 0n;
          if (BigInt(message.offset) >= end) return;
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) {
            if (value !== undefined) headers[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
          }
          messages.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? '',
            headers,
          });
          if (BigInt(message.offset) + 1n >= end) {
            pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
};
