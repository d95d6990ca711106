import { join } from 'node:path';
import { describeOpenApiDocument } from '@golden-loop/service-testing';
import { BILLING_API } from './app';
import { BillingReadinessModule } from './billing-readiness.module';

describeOpenApiDocument('billing-readiness', BillingReadinessModule, BILLING_API, join(__dirname, '..', 'openapi.json'));
