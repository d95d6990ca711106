// An outbox relay in a process of its own, for the crash and election tests. With
// RELAY_HANG_AFTER_CHUNKS=n it reports and then hangs right after the broker acknowledged its n-th chunk,
// before moving the relay's position past it, so the test can SIGKILL it in exactly that window.
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '../outbox-relay';
import { reportToParent, requiredEnv } from './child-process';

export type RelayProcessMessage =
  | { type: 'leading' }
  | { type: 'hanging'; messageIds: string[] }
  | { type: 'stopped' };


const main = async (): Promise<void> => {
  const schema = requiredEnv('RELAY_SCHEMA');
  const hangAfterChunks = Number(process.env['RELAY_HANG_AFTER_CHUNKS'] ?? 0);
  const dataSource = await new DataSource({
    type: 'postgres',
    url: requiredEnv('DATABASE_URL'),
    schema,
    extra: { options: `-c search_path="${schema}"` },
  }).initialize();
  const kafka = new Kafka({
    clientId: 'relay-process',
    brokers: requiredEnv('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  });
  let chunks = 0;
  const relay = new OutboxRelay({
    dataSource,
    kafka,
    batchSize: Number(process.env['RELAY_BATCH_SIZE'] ?? 50),
    standbyPollMs: 200,
    hooks: {
      afterProduce: async ({ messageIds }) => {
        chunks += 1;
        if (chunks !== hangAfterChunks) return;
        await reportToParent<RelayProcessMessage>({ type: 'hanging', messageIds: [...messageIds] });
        await new Promise<never>(() => undefined);
      },
    },
  });
  await relay.start();
  const watch = setInterval(() => {
    if (relay.status().role !== 'leader') return;
    void reportToParent<RelayProcessMessage>({ type: 'leading' });
    clearInterval(watch);
  }, 20);
  process.once('SIGTERM', () => {
    clearInterval(watch);
    void relay
      .stop()
      .then(() => dataSource.destroy())
      .then(() => reportToParent<RelayProcessMessage>({ type: 'stopped' }))
      .then(() => process.exit(0));
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
