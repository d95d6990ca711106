import { testKafka, uniqueName } from './test-kafka';

describe('the real Kafka broker', () => {
  test('a message a producer writes is read back by a consumer in a group', async () => {
    const { kafka, createTopics } = testKafka('round-trip');
    const topic = uniqueName('harness.round-trip');
    await createTopics([topic]);

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: uniqueName('harness-group') });
    try {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });

      const received = new Promise<{ key: string; value: string; header: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) =>
            resolve({
              key: String(message.key),
              value: String(message.value),
              header: String(message.headers?.ce_type),
            }),
        });
      });
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: 'plan-1', value: '{"hello":"kafka"}', headers: { ce_type: 'care.goldenloop.test.v1' } }],
      });

      await expect(received).resolves.toEqual({
        key: 'plan-1',
        value: '{"hello":"kafka"}',
        header: 'care.goldenloop.test.v1',
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
