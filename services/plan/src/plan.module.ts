import { TOPICS } from '@golden-loop/contracts';
import { EventStoreModule } from '@golden-loop/event-store';
import { MessagingModule, MESSAGING_KAFKA } from '@golden-loop/messaging';
import { Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Kafka } from 'kafkajs';
import { PlanCommandSender } from './api/plan-command.sender';
import { ExecutePlanCommandHandler } from './application/execute-plan-command';
import { PLAN_EVENTS_TOPIC, PlanStreams } from './application/plan-streams';
import { validatePlanConfig, type PlanConfig } from './config';
import { ClosePlanController } from './features/close-plan/close-plan.http.controller';
import { HealthController } from './features/health/health.http.controller';
import { MarkMetController } from './features/mark-met/mark-met.http.controller';
import { OpenPlanController } from './features/open-plan/open-plan.http.controller';
import { ReadPlanController } from './features/read-plan/read-plan.http.controller';
import { readPlanQueryHandlers } from './features/read-plan/read-plan.queries';
import { RecordAssessmentController } from './features/record-assessment/record-assessment.http.controller';
import { ReportLifeEventController } from './features/report-life-event/report-life-event.http.controller';
import { RevisePlanController } from './features/revise-plan/revise-plan.http.controller';
import { createPlanDataSource, planDataSourceOptions } from './infrastructure/database';
import { PlanSummariesProjection } from './read-models/plan-summaries.projection';

const config = (service: ConfigService) => service.get<PlanConfig>('plan')!;

/** Creates the topic the service publishes to, so a fresh broker works without a manual step. */
@Injectable()
class PlanTopic implements OnApplicationBootstrap {
  constructor(
    @Inject(MESSAGING_KAFKA) private readonly kafka: Kafka,
    @Inject(PLAN_EVENTS_TOPIC) private readonly topic: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // kafkajs logs an error for a topic that already exists, so ask first.
      if (!(await admin.listTopics()).includes(this.topic)) {
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic: this.topic, numPartitions: 6, replicationFactor: 1 }] });
      }
    } finally {
      await admin.disconnect();
    }
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ plan: validatePlanConfig(process.env) })] }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (service: ConfigService) => planDataSourceOptions(config(service)),
      dataSourceFactory: (options) => createPlanDataSource(options!),
    }),
    EventStoreModule.forRoot(),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (service: ConfigService) => ({
        brokers: config(service).KAFKA_BROKERS.split(',').map((broker) => broker.trim()),
        clientId: config(service).KAFKA_CLIENT_ID,
        relay: { pollIntervalMs: config(service).OUTBOX_POLL_MS },
      }),
    }),
    CqrsModule.forRoot(),
    TerminusModule.forRoot({ logger: false }),
  ],
  controllers: [
    OpenPlanController,
    RevisePlanController,
    RecordAssessmentController,
    ReportLifeEventController,
    MarkMetController,
    ClosePlanController,
    ReadPlanController,
    HealthController,
  ],
  providers: [
    { provide: PLAN_EVENTS_TOPIC, inject: [ConfigService], useFactory: (service: ConfigService) => config(service).PLAN_EVENTS_TOPIC ?? TOPICS.plan },
    PlanTopic,
    PlanStreams,
    PlanCommandSender,
    ExecutePlanCommandHandler,
    ...readPlanQueryHandlers,
    PlanSummariesProjection,
  ],
})
export class PlanModule {}
