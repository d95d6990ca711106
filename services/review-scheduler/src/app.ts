import { createServiceApp, type ServiceDescription } from '@golden-loop/service-kit';
import type { INestApplication } from '@nestjs/common';
import { ReviewSchedulerModule } from './review-scheduler.module';

export const REVIEW_API: ServiceDescription = {
  title: 'Golden Loop — review scheduler',
  description:
    "Plan-update, safety and periodic review tasks opened by the plan's events: the clinician's inbox, a task with the " +
    'plan events behind it, completing a task, supervision and the team view.',
  version: '1',
};

/** The review scheduler, configured the same way for `main.ts`, the integration tests and the benchmark. */
export const createReviewApp = (): Promise<INestApplication> => createServiceApp(ReviewSchedulerModule, REVIEW_API);
