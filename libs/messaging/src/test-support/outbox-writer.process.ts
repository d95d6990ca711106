// A service instance that commits outbox rows, one transaction after another, and reports each commit.
// At transaction WRITER_HANG_AT it enqueues, reports 'in-transaction' and waits without committing, so
// the test can SIGKILL it in the middle of that transaction.
import { DataSource } from 'typeorm';
import { Outbox, type OutboxMessage } from '../outbox';
import { reportToParent, requiredEnv } from './child-process';

export type WriterProcessMessage =
  | { type: 'committed'; ids: string[] }
  | { type: 'in-transaction'; ids: string[] }
  | { type: 'done' };


const main = async (): Promise<void> => {
  const schema = requiredEnv('WRITER_SCHEMA');
  const topic = requiredEnv('WRITER_TOPIC');
  const prefix = requiredEnv('WRITER_PREFIX');
  const firstSeq = Number(requiredEnv('WRITER_FIRST_SEQ'));
  const transactions = Number(requiredEnv('WRITER_TRANSACTIONS'));
  const rowsPerTransaction = Number(requiredEnv('WRITER_ROWS_PER_TRANSACTION'));
  const keys = Number(requiredEnv('WRITER_KEYS'));
  const hangAt = Number(process.env['WRITER_HANG_AT'] ?? 0);
  const dataSource = await new DataSource({
    type: 'postgres',
    url: requiredEnv('DATABASE_URL'),
    schema,
    extra: { options: `-c search_path="${schema}"` },
  }).initialize();
  const outbox = new Outbox();

  for (let tx = 1; tx <= transactions; tx += 1) {
    const messages: OutboxMessage[] = Array.from({ length: rowsPerTransaction }, (_, n) => {
      const seq = firstSeq + (tx - 1) * rowsPerTransaction + n;
      const testId = `${prefix}-${tx}-${n}`;
      const key = `plan-${seq % keys}`;
      return { topic, key, value: JSON.stringify({ testId, key, seq }), headers: { test_id: testId } };
    });
    const ids = messages.map((m) => m.headers['test_id']);
    if (tx === hangAt) {
      const open = dataSource.createQueryRunner();
      await open.connect();
      await open.startTransaction();
      await outbox.enqueue(open.manager, messages);
      await reportToParent<WriterProcessMessage>({ type: 'in-transaction', ids });
      await new Promise<never>(() => undefined);
    }
    await dataSource.transaction((manager) => outbox.enqueue(manager, messages));
    await reportToParent<WriterProcessMessage>({ type: 'committed', ids });
  }
  await reportToParent<WriterProcessMessage>({ type: 'done' });
  await dataSource.destroy();
  process.exit(0);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
