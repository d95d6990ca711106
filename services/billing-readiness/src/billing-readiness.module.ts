import { PlanNotKnown } from './domain/errors';
import { TOPICS } from '@golden-loop/contracts';
import { SERVICE_CONFIG, ServiceKitModule } from '@golden-loop/service-kit';
import { Module } from '@nestjs/common';
import { BillingConfig } from './config';
import { ClaimPrecheckController } from './features/claim-precheck/claim-precheck.http.controller';
import { ClinicianCredentialsController } from './features/clinician-credentials/clinician-credentials.http.controller';
import { ClinicianCredentialsStore } from './features/clinician-credentials/clinician-credentials.store';
import { NoteEventHandler } from './features/note-event/note-event.command';
import { ReadReadinessController } from './features/read-readiness/read-readiness.http.controller';
import { RecordPayerDecisionHandler, RequestReauthorizationHandler } from './features/reauthorization/reauthorization.command';
import { ReauthorizationController } from './features/reauthorization/reauthorization.http.controller';
import { FlagDecisionOverdueHandler, RecheckHandler } from './features/recheck/recheck.command';
import { RecheckTimers } from './features/recheck/recheck.timers';
import { RecordAuthorizationHandler, RecordSessionHandler } from './features/record-authorization/record-authorization.command';
import { RecordAuthorizationController } from './features/record-authorization/record-authorization.http.controller';
import { RuleSetsController } from './features/rule-sets/rule-sets.http.controller';
import { PlanEventsConsumer } from './inbound/plan-events.consumer';
import { ReviewEventsConsumer } from './inbound/review-events.consumer';
import { billingMigrations } from './read-models/billing-read-models.migration';
import { PlanReadinessReadModel } from './read-models/plan-readiness.read-model';
import { READINESS_STREAM, readinessStream } from './readiness-stream';
import { RuleSetCatalog } from './rule-sets/rule-set-catalog';

@Module({
  imports: [
    ServiceKitModule.forRoot({
      service: 'billing-readiness',
      config: BillingConfig,
      database: (config) => ({ schema: config.BILLING_DB_SCHEMA, migrations: billingMigrations }),
      topics: (config) => ({
        owned: [{ producer: 'billing', topic: config.BILLING_EVENTS_TOPIC ?? TOPICS.billing }],
        consumed: [
          { producer: 'plan', topic: config.PLAN_EVENTS_TOPIC ?? TOPICS.plan },
          { producer: 'review', topic: config.REVIEW_EVENTS_TOPIC ?? TOPICS.review },
        ],
      }),
      kafkaClientId: (config) => config.KAFKA_CLIENT_ID,
      unknownPlan: () => new PlanNotKnown(),
    }),
  ],
  controllers: [
    ReadReadinessController,
    RecordAuthorizationController,
    ReauthorizationController,
    ClaimPrecheckController,
    RuleSetsController,
    ClinicianCredentialsController,
  ],
  providers: [
    {
      provide: READINESS_STREAM,
      inject: [SERVICE_CONFIG],
      useFactory: (config: BillingConfig) => readinessStream(config.BILLING_EVENTS_TOPIC ?? TOPICS.billing),
    },
    RuleSetCatalog,
    ClinicianCredentialsStore,
    PlanReadinessReadModel,
    NoteEventHandler,
    RecheckHandler,
    FlagDecisionOverdueHandler,
    RecordAuthorizationHandler,
    RecordSessionHandler,
    RequestReauthorizationHandler,
    RecordPayerDecisionHandler,
    RecheckTimers,
    PlanEventsConsumer,
    ReviewEventsConsumer,
  ],
})
export class BillingReadinessModule {}
