import 'reflect-metadata';
import { loadConfig, runService } from '@golden-loop/service-kit';
import { createBillingApp } from './app';
import { BillingConfig } from './config';

void runService('billing-readiness', createBillingApp, loadConfig(BillingConfig)).catch((error: unknown) => {
  // A bad rule-set file (or configuration) stops the service with every problem named.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
