import { join } from 'node:path';
import { describeOpenApiDocument } from '@golden-loop/service-testing';
import { REVIEW_API } from './app';
import { ReviewSchedulerModule } from './review-scheduler.module';

describeOpenApiDocument('review-scheduler', ReviewSchedulerModule, REVIEW_API, join(__dirname, '..', 'openapi.json'));
