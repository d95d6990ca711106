// A service instance that commits outbox rows, one transaction after another, and reports each commit.
// At transaction WRITER_HANG_AT it enqueues, reports 'in-transaction' and waits without committing, so
// the test can SIGKILL it in the middle of that transaction.
import { DataSource } from 'typeorm';
import { Outbox, type OutboxMessage } from '../outbox';

export type WriterProcessMessage =
  | { type: 'committed'; ids: string[] }
  | { type: 'in-transaction'; ids: string[] }
  | { type: 'done' };

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const report = (message: WriterProcessMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, () => resolve());
  });

const main = async (): Promise<void> => {
  const schema = required('WRITER_SCHEMA');
  const topic = required('WRITER_TOPIC');
  const prefix = required('WRITER_PREFIX');
  const firstSeq = Number(required('WRITER_FIRST_SEQ'));
  const transactions = Number(required('WRITER_TRANSACTIONS'));
  const rowsPerTransaction = Number(required('WRITER_ROWS_PER_TRANSACTION'));
  const keys = Number(required('WRITER_KEYS'));
  const hangAt = Number(process.env['WRITER_HANG_AT'] ?? 0);
  const dataSource = await new DataSource({
    type: 'postgres',
    url: required('DATABASE_URL'),
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
      await report({ type: 'in-transaction', ids });
      await new Promise<never>(() => undefined);
    }
    await dataSource.transaction((manager) => outbox.enqueue(manager, messages));
    await report({ type: 'committed', ids });
  }
  await report({ type: 'done' });
  await dataSource.destroy();
  process.exit(0);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
