/**
 * npm run bench:outbox
 *
 * Producer side: N outbox rows (about 1 KB each, CloudEvents headers, 1,000 plan keys) committed to PostgreSQL,
 * then the time for OutboxRelay to get all of them acknowledged by Kafka and the relay's position past them, next to the
 * raw baseline: the same records produced from memory by a kafkajs producer with the relay's settings
 * (idempotent, one request in flight, acks=-1, the same request sizes).
 * Consumer side: the same records through IdempotentConsumer (inbox row + a read-model upsert in one
 * transaction, then the offset commit, per message) next to a bare kafkajs consumer, and next to a
 * transaction per message without the inbox, which isolates the inbox's own cost.
 * BENCH_EVENTS (default 50,000) and BENCH_CONSUMER_SECONDS (default 12, per consumer case) bound the run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners, type Message } from 'kafkajs';
import { DataSource } from 'typeorm';
import { IdempotentConsumer, messagingMigrations, Outbox, OutboxRelay, unpublishedOutboxRows, type OutboxMessage } from '../src';

const events = Number(process.env.BENCH_EVENTS ?? 50_000);
const consumerSeconds = Number(process.env.BENCH_CONSUMER_SECONDS ?? 12);
const partitions = 3;
const plans = 1_000;
const rowsPerTransaction = 500;

interface Row {
  readonly stage: string;
  readonly events: number;
  readonly seconds: number;
  readonly against?: { readonly label: string; readonly rate: number };
}

const rateOf = (row: Row): number => row.events / row.seconds;

const aMessage = (topic: string, i: number): OutboxMessage => {
  const id = randomUUID();
  const plan = `plan-${String(i % plans).padStart(5, '0')}`;
  const value = JSON.stringify({
    planId: plan,
    goalId: randomUUID(),
    objectiveId: randomUUID(),
    instrument: 'PHQ-9',
    previousScore: 16,
    score: 9,
    change: 'reliable_improvement',
    recordedBy: randomUUID(),
    note: randomBytes(330).toString('hex'),
  });
  return {
    topic,
    key: plan,
    value,
    headers: {
      ce_id: id,
      ce_source: '/services/plan',
      ce_specversion: '1.0',
      ce_type: 'care.goldenloop.plan.SymptomsChanged.v1',
      ce_time: new Date().toISOString(),
      ce_subject: plan,
      'content-type': 'application/json',
      ce_sequence: String(i).padStart(12, '0'),
    },
  };
};

const sizeOf = (message: OutboxMessage): number =>
  Buffer.byteLength(message.value) + Buffer.byteLength(message.key) + JSON.stringify(message.headers).length + 64;

const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`bench condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const main = async (): Promise<void> => {
  const repo = join(__dirname, '..', '..', '..');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ensurePostgres } = require(join(repo, 'infra/postgres/postgres.cjs')) as {
    ensurePostgres(options: { database: string }): Promise<{ url: string }>;
  };
  const { ensureKafka } = require(join(repo, 'infra/kafka/kafka.cjs')) as { ensureKafka(): Promise<{ brokers: string }> };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { url } = await ensurePostgres({ database: 'golden_loop_bench' });
  const { brokers } = await ensureKafka();

  const suffix = randomBytes(4).toString('hex');
  const schema = `outbox_bench_${suffix}`;
  const topic = `bench-outbox-${suffix}`;
  const rawTopic = `bench-raw-${suffix}`;
  const kafka = new Kafka({ clientId: `outbox-bench-${suffix}`, brokers: brokers.split(','), logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [topic, rawTopic, `${topic}.dlq`].map((name) => ({ topic: name, numPartitions: partitions, replicationFactor: 1 })),
  });

  const bootstrap = new DataSource({ type: 'postgres', url });
  await bootstrap.initialize();
  await bootstrap.query(`CREATE SCHEMA "${schema}"`);
  await bootstrap.destroy();
  const dataSource = await new DataSource({
    type: 'postgres',
    url,
    schema,
    extra: { options: `-c search_path="${schema}"`, max: 12 },
    migrations: messagingMigrations,
  }).initialize();
  await dataSource.runMigrations();
  await dataSource.query(`CREATE TABLE plan_progress (plan_id text PRIMARY KEY, events integer NOT NULL)`);
  const [{ version }] = await dataSource.query<Array<{ version: string }>>(`SELECT current_setting('server_version') AS version`);

  const rows: Row[] = [];
  const quiet = { log: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, verbose: () => undefined };
  try {
    const messages = Array.from({ length: events }, (_, i) => aMessage(topic, i));
    const averageBytes = Math.round(messages.reduce((sum, m) => sum + Buffer.byteLength(m.value), 0) / messages.length);

    // 1. Enqueue, as services do: rows committed in the callers' transactions.
    const outbox = new Outbox();
    let started = performance.now();
    for (let i = 0; i < messages.length; i += rowsPerTransaction) {
      await dataSource.transaction((manager) => outbox.enqueue(manager, messages.slice(i, i + rowsPerTransaction)));
    }
    rows.push({ stage: `enqueue (${rowsPerTransaction} rows per transaction)`, events, seconds: (performance.now() - started) / 1000 });

    // 2. Raw baseline: the same records from memory, same producer settings and request sizes as the relay.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    started = performance.now();
    let chunk: Message[] = [];
    let bytes = 0;
    const flush = async (): Promise<void> => {
      if (chunk.length === 0) return;
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic: rawTopic, messages: chunk }] });
      chunk = [];
      bytes = 0;
    };
    for (let i = 0; i < messages.length; i += 1) {
      const message = messages[i];
      const size = sizeOf(message);
      if (chunk.length > 0 && (bytes + size > 512 * 1024 || i % rowsPerTransaction === 0)) await flush();
      chunk.push({ key: message.key, value: message.value, headers: message.headers });
      bytes += size;
    }
    await flush();
    const raw: Row = { stage: 'raw kafkajs producer, from memory', events, seconds: (performance.now() - started) / 1000 };
    rows.push(raw);
    await producer.disconnect();

    // 3. Through the relay: from start until every row is acknowledged and the relay's position is past it.
    const relay = new OutboxRelay({ dataSource, kafka, batchSize: rowsPerTransaction, logger: quiet });
    started = performance.now();
    await relay.start();
    await waitFor(() => relay.status().publishedTotal >= events, 600_000);
    rows.push({
      stage: 'outbox → OutboxRelay → Kafka (acked, position moved)',
      events,
      seconds: (performance.now() - started) / 1000,
      against: { label: 'raw producer', rate: rateOf(raw) },
    });
    await relay.stop();
    const [{ left }] = await dataSource.query<Array<{
      left: number;
    }>>(`SELECT count(*)::int AS left ${unpublishedOutboxRows()}`);
    if (left !== 0) throw new Error(`${left} rows left unpublished`);

    // 4. Consumers, each in its own group over the relay's topic, from the beginning; each for at most
    // BENCH_CONSUMER_SECONDS after its first message, timed from its first message to its last.
    const timed = (): { hit(): void; count: number; seconds(): number } => {
      let first = 0;
      let last = 0;
      const clock = {
        count: 0,
        hit: () => {
          last = performance.now();
          if (clock.count === 0) first = last;
          clock.count += 1;
        },
        seconds: () => (last - first) / 1000,
      };
      return clock;
    };
    const done = (clock: ReturnType<typeof timed>) => () =>
      clock.count >= events || (clock.count > 0 && clock.seconds() >= consumerSeconds);

    const bareClock = timed();
    const bare = kafka.consumer({ groupId: `bench-bare-${suffix}`, maxWaitTimeInMs: 500 });
    await bare.connect();
    await bare.subscribe({ topics: [topic], fromBeginning: true });
    await bare.run({ eachMessage: async () => bareClock.hit() });
    await waitFor(done(bareClock), 600_000);
    await bare.disconnect();
    const bareRow: Row = { stage: 'bare kafkajs consumer (eachMessage, auto-commit)', events: bareClock.count - 1, seconds: bareClock.seconds() };
    rows.push(bareRow);

    const upsert = `INSERT INTO plan_progress (plan_id, events) VALUES ($1, 1)
                    ON CONFLICT (plan_id) DO UPDATE SET events = plan_progress.events + 1`;

    const txClock = timed();
    const perTx = kafka.consumer({ groupId: `bench-tx-${suffix}`, maxWaitTimeInMs: 500 });
    await perTx.connect();
    await perTx.subscribe({ topics: [topic], fromBeginning: true });
    await perTx.run({
      eachMessage: async ({ message }) => {
        await dataSource.transaction((manager) => manager.query(upsert, [message.key?.toString()]));
        txClock.hit();
      },
    });
    await waitFor(done(txClock), 600_000);
    await perTx.disconnect();
    const txRow: Row = {
      stage: 'kafkajs + upsert in a transaction per message, no inbox, auto-commit',
      events: txClock.count - 1,
      seconds: txClock.seconds(),
      against: { label: 'bare consumer', rate: rateOf(bareRow) },
    };
    rows.push(txRow);

    const throughInbox = async (concurrency: number): Promise<Row> => {
      const clock = timed();
      const consumer = new IdempotentConsumer<{ planId: string }>({
        kafka,
        dataSource,
        groupId: `bench-inbox-${concurrency}-${suffix}`,
        topics: [topic],
        partitionsConsumedConcurrently: concurrency,
        logger: quiet,
        decode: (message) => JSON.parse(message.value?.toString() ?? '') as { planId: string },
        handler: async (event, manager) => {
          await manager.query(upsert, [event.planId]);
          clock.hit();
        },
      });
      await consumer.start();
      await waitFor(done(clock), 600_000);
      await consumer.stop();
      return {
        stage:
          concurrency === 1
            ? 'IdempotentConsumer (inbox + upsert in one transaction, then offset commit)'
            : `IdempotentConsumer, ${concurrency} partitions in parallel`,
        events: clock.count - 1,
        seconds: clock.seconds(),
        against: { label: 'transaction per message without inbox', rate: rateOf(txRow) },
      };
    };
    rows.push(await throughInbox(1));
    rows.push(await throughInbox(partitions));

    const format = (n: number): string => Math.round(n).toLocaleString('en-US');
    console.log('');
    console.log(
      `outbox bench: ${format(events)} events of ~${format(averageBytes)} B JSON + 8 CloudEvents headers, ${plans} plan keys, ` +
        `${partitions} partitions; PostgreSQL ${version}, Kafka at ${brokers}; relay batch ${rowsPerTransaction}`,
    );
    console.log('');
    console.log('| stage | events | seconds | events/s | ratio |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    for (const row of rows) {
      const ratio = row.against ? `${(rateOf(row) / row.against.rate).toPrecision(2)} × ${row.against.label}` : '';
      console.log(`| ${row.stage} | ${format(row.events)} | ${row.seconds.toFixed(2)} | ${format(rateOf(row))} | ${ratio} |`);
    }
  } finally {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
    await dataSource.destroy();
    await admin.deleteTopics({ topics: [topic, rawTopic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.disconnect();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
