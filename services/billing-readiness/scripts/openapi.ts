// npm run openapi: writes services/billing-readiness/openapi.json from the code (a unit test checks they agree).
import 'reflect-metadata';
import { join } from 'node:path';
import { writeOpenApiDocument } from '@golden-loop/service-kit';
import { BILLING_API } from '../src/app';
import { BillingReadinessModule } from '../src/billing-readiness.module';

void writeOpenApiDocument(BillingReadinessModule, BILLING_API, join(__dirname, '..', 'openapi.json'));
