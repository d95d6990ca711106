// npm run openapi: writes services/plan/openapi.json from the code (a unit test checks they agree).
import 'reflect-metadata';
import { join } from 'node:path';
import { writeOpenApiDocument } from '@golden-loop/service-kit';
import { PLAN_API } from '../src/app';
import { PlanModule } from '../src/plan.module';

void writeOpenApiDocument(PlanModule, PLAN_API, join(__dirname, '..', 'openapi.json'));
