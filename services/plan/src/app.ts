import { createServiceApp, type ServiceDescription } from '@golden-loop/service-kit';
import type { INestApplication } from '@nestjs/common';
import { PlanModule } from './plan.module';

export const PLAN_API: ServiceDescription = {
  title: 'Golden Loop — treatment plan service',
  description: 'The event-sourced treatment plan: commands, the plan with its advisories, its history and timeline.',
  version: '1',
};

/** The plan service, configured the same way for `main.ts`, the integration tests and the benchmark. */
export const createPlanApp = (): Promise<INestApplication> => createServiceApp(PlanModule, PLAN_API);
