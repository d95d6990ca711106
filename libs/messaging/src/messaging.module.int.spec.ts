import { testDatabase, testKafka, uniqueName, type TestDatabase, type TestKafka } from '@golden-loop/testing';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MessagingConsumers } from './messaging-consumers';
import { MessagingHealthIndicator } from './messaging-health.indicator';
import { messagingMigrations } from './messaging-schema.migration';
import { MessagingModule } from './messaging.module';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { eventually, unpublishedCount } from './test-support/messaging-test-env';
import { readTopic } from './test-support/read-topic';

// Generous: the machine is shared; waits are bounded polls, never fixed sleeps.
jest.setTimeout(180_000);

const TOPICS = Symbol('TOPICS');
interface Topics {
  readonly plans: string;
  readonly reviews: string;
  readonly group: string;
}

/** A service feature: on each plan event, opens a review task by enqueueing its own event. */
@Injectable()
class ReviewOnPlanEvent implements OnModuleInit {
  constructor(
    @Inject(MessagingConsumers) private readonly consumers: MessagingConsumers,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  onModuleInit(): void {
    this.consumers.register<{ id: string; plan: string }>({
      groupId: this.topics.group,
      topics: [this.topics.plans],
      decode: (message) => JSON.parse(message.value?.toString() ?? '') as { id: string; plan: string },
      handler: async (event, manager) => {
        const id = randomUUID();
        await this.outbox.enqueue(manager, [
          {
            topic: this.topics.reviews,
            key: event.plan,
            value: JSON.stringify({ id, plan: event.plan }),
            headers: { ce_id: id, ce_causationid: event.id },
          },
        ]);
      },
    });
  }
}

describe('MessagingModule', () => {
  let db: TestDatabase;
  let kafka: TestKafka;
  let app: TestingModule | undefined;

  beforeAll(async () => {
    kafka = testKafka('messaging-module');
    db = await testDatabase('messaging_module');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('starts the relay and the registered consumers with the application, carries a command to a downstream event, and stops them on close', async () => {
    const topics: Topics = { plans: uniqueName('plans'), reviews: uniqueName('reviews'), group: uniqueName('review-scheduler') };
    await kafka.createTopics([topics.plans, `${topics.plans}.dlq`, topics.reviews]);
    app = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ ...db.typeorm, migrations: messagingMigrations, migrationsRun: true }),
        MessagingModule.forRootAsync({
          useFactory: () => ({ brokers: kafka.brokers, clientId: uniqueName('module-test'), relay: { pollIntervalMs: 50 } }),
        }),
      ],
      providers: [ReviewOnPlanEvent, { provide: TOPICS, useValue: topics }],
    }).compile();
    await app.init();

    const dataSource = app.get<DataSource>(getDataSourceToken());
    const outbox = app.get(Outbox);
    const planEventId = randomUUID();
    await dataSource.transaction((manager) =>
      outbox.enqueue(manager, [
        {
          topic: topics.plans,
          key: 'plan-42',
          value: JSON.stringify({ id: planEventId, plan: 'plan-42' }),
          headers: { ce_id: planEventId },
        },
      ]),
    );

    await eventually('the plan event consumed', async () => {
      const rows = await dataSource.query<Array<{ event_id: string }>>(`SELECT event_id FROM inbox`);
      return rows.length === 1 ? rows : undefined;
    });
    await eventually('the review event published', async () => (await unpublishedCount(dataSource)) === 0);
    const reviews = await readTopic(kafka.kafka, topics.reviews);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ key: 'plan-42', headers: { ce_causationid: planEventId } });
    expect(await app.get(MessagingHealthIndicator).check('messaging')).toMatchObject({ messaging: { status: 'up' } });

    const relay = app.get(OutboxRelay);
    const [consumer] = app.get(MessagingConsumers).all();
    await app.close();
    app = undefined;
    expect(relay.status().role).toBe('stopped');
    expect(consumer?.health().state).toBe('stopped');
  });
});
