import { PlanReviewNotFound } from './domain/errors';
import { TOPICS } from '@golden-loop/contracts';
import { SERVICE_CONFIG, ServiceKitModule } from '@golden-loop/service-kit';
import { Module } from '@nestjs/common';
import { ReviewConfig, reviewPolicyOf } from './config';
import { CompleteWithoutChangeHandler } from './features/complete-without-change/complete-without-change.command';
import { CompleteWithoutChangeController } from './features/complete-without-change/complete-without-change.http.controller';
import { FireReviewTimerHandler } from './features/fire-review-timer/fire-review-timer.command';
import { ReactToPlanEventHandler, ReactToPlanEventsHandler } from './features/react-to-plan-event/react-to-plan-event.command';
import { ReadInboxController } from './features/read-inbox/read-inbox.http.controller';
import { ReadInboxHandler } from './features/read-inbox/read-inbox.query';
import { ReadReviewController } from './features/read-review/read-review.http.controller';
import { readReviewQueryHandlers } from './features/read-review/read-review.queries';
import { RecordRiskAssessmentHandler } from './features/record-risk-assessment/record-risk-assessment.command';
import { RecordRiskAssessmentController } from './features/record-risk-assessment/record-risk-assessment.http.controller';
import { SupervisionDirectory } from './features/supervision/supervision.directory';
import { SupervisionController } from './features/supervision/supervision.http.controller';
import { TeamSummaryController } from './features/team-summary/team-summary.http.controller';
import { teamSummaryQueryHandlers } from './features/team-summary/team-summary.queries';
import { PlanEventsConsumer } from './inbound/plan-events.consumer';
import { ReviewTimersWorker } from './inbound/review-timers.worker';
import { reviewReadModelMigrations } from './infrastructure/review-read-model.migration';
import { ReviewTasksProjection } from './read-models/review-tasks.projection';
import { REVIEW_POLICY, REVIEW_STREAM, ReviewDecisions, reviewStream } from './review-stream';
import type { ReviewPolicy } from './domain/review-policy';

@Module({
  imports: [
    ServiceKitModule.forRoot({
      service: 'review-scheduler',
      config: ReviewConfig,
      database: (config) => ({ schema: config.REVIEW_DB_SCHEMA, migrations: reviewReadModelMigrations }),
      topics: (config) => ({
        owned: [{ producer: 'review', topic: config.REVIEW_EVENTS_TOPIC }],
        consumed: [{ producer: 'plan', topic: config.PLAN_EVENTS_TOPIC }],
      }),
      kafkaClientId: (config) => config.KAFKA_CLIENT_ID,
      unknownPlan: () => new PlanReviewNotFound(),
    }),
  ],
  controllers: [
    ReadInboxController,
    ReadReviewController,
    CompleteWithoutChangeController,
    RecordRiskAssessmentController,
    SupervisionController,
    TeamSummaryController,
  ],
  providers: [
    { provide: REVIEW_POLICY, inject: [SERVICE_CONFIG], useFactory: (config: ReviewConfig) => reviewPolicyOf(config) },
    {
      provide: REVIEW_STREAM,
      inject: [SERVICE_CONFIG, REVIEW_POLICY],
      useFactory: (config: ReviewConfig, policy: ReviewPolicy) => reviewStream(config.REVIEW_EVENTS_TOPIC ?? TOPICS.review, policy),
    },
    ReviewDecisions,
    ReactToPlanEventHandler,
    ReactToPlanEventsHandler,
    FireReviewTimerHandler,
    CompleteWithoutChangeHandler,
    RecordRiskAssessmentHandler,
    ReadInboxHandler,
    ...readReviewQueryHandlers,
    ...teamSummaryQueryHandlers,
    SupervisionDirectory,
    PlanEventsConsumer,
    ReviewTimersWorker,
    ReviewTasksProjection,
  ],
})
export class ReviewSchedulerModule {}
