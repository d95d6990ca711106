import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { testDatabase, type TestDatabase } from '@golden-loop/testing';
import { eventStoreDataSourceOptions } from './data-source-options';
import { EventStoreModule } from './event-store.module';
import { eventStoreMigrations } from './migrations/event-store-schema.migration';
import { PostgresEventStore } from './postgres-event-store';
import { anEvent, uniqueStreamId } from './test-support/event-store.fixture';

@Injectable()
class UpcasterConfig {
  readonly upcasters = { PlanOpened: { 1: (data: object) => ({ data: { ...data, upcasted: true }, schemaVersion: 2 }) } };
}

@Module({ providers: [UpcasterConfig], exports: [UpcasterConfig] })
class UpcasterConfigModule {}

describe('EventStoreModule', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await testDatabase('es_module');
  });
  afterAll(async () => db.drop());

  const typeOrm = () =>
    TypeOrmModule.forRoot({
      ...eventStoreDataSourceOptions(db.typeorm),
      migrations: eventStoreMigrations,
      migrationsRun: true,
    });

  it('forRoot provides the store on the @nestjs/typeorm DataSource, and stops its subscriptions on close', async () => {
    const app = await Test.createTestingModule({ imports: [typeOrm(), EventStoreModule.forRoot()] }).compile();
    await app.init();
    const store = app.get(PostgresEventStore);
    const streamId = uniqueStreamId();

    await store.append(streamId, 'plan', [anEvent('PlanOpened')], { expectedVersion: 'no_stream' });
    const handled: string[] = [];
    const subscription = store.subscribe({
      subscriptionId: 'module-test',
      pollIntervalMs: 5,
      handler: async (events) => void handled.push(...events.map((event) => event.streamId)),
    });
    await subscription.drain();
    expect(await store.readStream(streamId)).toHaveLength(1);
    expect(subscription.running).toBe(true);

    await app.close();

    expect(subscription.running).toBe(false);
    expect(handled).toEqual([streamId]);
  });

  it('forRootAsync takes the store options from a factory', async () => {
    const app = await Test.createTestingModule({
      imports: [
        typeOrm(),
        EventStoreModule.forRootAsync({
          imports: [UpcasterConfigModule],
          inject: [UpcasterConfig],
          useFactory: (config: UpcasterConfig) => ({ upcasters: config.upcasters }),
        }),
      ],
    }).compile();
    await app.init();
    try {
      const store = app.get(PostgresEventStore);
      const streamId = uniqueStreamId();
      await store.append(streamId, 'plan', [anEvent('PlanOpened', { planId: streamId })], { expectedVersion: 'no_stream' });

      const [event] = await store.readStream(streamId);

      expect(event).toMatchObject({ schemaVersion: 2, data: { planId: streamId, upcasted: true } });
    } finally {
      await app.close();
    }
  });
});
