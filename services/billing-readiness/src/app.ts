import { createServiceApp, type ServiceDescription } from '@golden-loop/service-kit';
import type { INestApplication } from '@nestjs/common';
import { BillingReadinessModule } from './billing-readiness.module';

export const BILLING_API: ServiceDescription = {
  title: 'Golden Loop — billing readiness service',
  description:
    'Medical-necessity and authorization checks of every plan against its payer’s rules, after every change and when time alone changes the answer: ' +
    'readiness with findings, check history, the worklist, rule sets, authorizations and sessions, pre-claim checks and PAS re-authorization requests (docs/payer-rules.md).',
  version: '1',
};

/** billing-readiness, configured the same way for `main.ts`, the integration tests and the benchmark. */
export const createBillingApp = (): Promise<INestApplication> => createServiceApp(BillingReadinessModule, BILLING_API);
