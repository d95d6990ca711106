// npm run openapi: writes services/review-scheduler/openapi.json from the code (a unit test checks they agree).
import 'reflect-metadata';
import { join } from 'node:path';
import { writeOpenApiDocument } from '@golden-loop/service-kit';
import { REVIEW_API } from '../src/app';
import { ReviewSchedulerModule } from '../src/review-scheduler.module';

void writeOpenApiDocument(ReviewSchedulerModule, REVIEW_API, join(__dirname, '..', 'openapi.json'));
