import { PlanNotFound } from './domain/errors';
import { TOPICS } from '@golden-loop/contracts';
import { SERVICE_CONFIG, ServiceKitModule } from '@golden-loop/service-kit';
import { Module } from '@nestjs/common';
import { PlanConfig } from './config';
import { ChangeDraftHandler } from './features/change-draft/change-draft.command';
import { ChangeDraftController } from './features/change-draft/change-draft.http.controller';
import { ClosePlanHandler } from './features/close-plan/close-plan.command';
import { ClosePlanController } from './features/close-plan/close-plan.http.controller';
import { ExportFhirController } from './features/export-fhir/export-fhir.http.controller';
import { ExportPlanFhirHandler } from './features/export-fhir/export-fhir.query';
import { MarkMetHandler } from './features/mark-met/mark-met.command';
import { MarkMetController } from './features/mark-met/mark-met.http.controller';
import { OpenPlanHandler } from './features/open-plan/open-plan.command';
import { OpenPlanController } from './features/open-plan/open-plan.http.controller';
import { ProposeRevisionHandler } from './features/propose-revision/propose-revision.command';
import { ProposeRevisionController } from './features/propose-revision/propose-revision.http.controller';
import { ReadPlanController } from './features/read-plan/read-plan.http.controller';
import { readPlanQueryHandlers } from './features/read-plan/read-plan.queries';
import { RecordAssessmentHandler } from './features/record-assessment/record-assessment.command';
import { RecordAssessmentController } from './features/record-assessment/record-assessment.http.controller';
import { ReportLifeEventHandler } from './features/report-life-event/report-life-event.command';
import { ReportLifeEventController } from './features/report-life-event/report-life-event.http.controller';
import { SignRevisionHandler } from './features/sign-revision/sign-revision.command';
import { SignRevisionController } from './features/sign-revision/sign-revision.http.controller';
import { planReadModelMigrations } from './infrastructure/read-model.migration';
import { PLAN_STREAM, planStream } from './plan-stream';
import { PlanSummariesProjection } from './read-models/plan-summaries.projection';

@Module({
  imports: [
    ServiceKitModule.forRoot({
      service: 'plan',
      config: PlanConfig,
      database: (config) => ({ schema: config.PLAN_DB_SCHEMA, migrations: planReadModelMigrations }),
      topics: (config) => ({ owned: [{ producer: 'plan', topic: config.PLAN_EVENTS_TOPIC }] }),
      kafkaClientId: (config) => config.KAFKA_CLIENT_ID,
      unknownPlan: () => new PlanNotFound(),
    }),
  ],
  controllers: [
    OpenPlanController,
    ProposeRevisionController,
    ChangeDraftController,
    SignRevisionController,
    RecordAssessmentController,
    ReportLifeEventController,
    MarkMetController,
    ClosePlanController,
    ReadPlanController,
    ExportFhirController,
  ],
  providers: [
    { provide: PLAN_STREAM, inject: [SERVICE_CONFIG], useFactory: (config: PlanConfig) => planStream(config.PLAN_EVENTS_TOPIC ?? TOPICS.plan) },
    OpenPlanHandler,
    ProposeRevisionHandler,
    ChangeDraftHandler,
    SignRevisionHandler,
    RecordAssessmentHandler,
    ReportLifeEventHandler,
    MarkMetHandler,
    ClosePlanHandler,
    ...readPlanQueryHandlers,
    ExportPlanFhirHandler,
    PlanSummariesProjection,
  ],
})
export class PlanModule {}
