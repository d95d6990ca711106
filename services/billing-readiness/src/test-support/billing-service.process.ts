// billing-readiness in a process of its own, for the crash test: it starts the real service (its consumers, relay
// and timers) and tells the parent once it is up. SIGKILL is the test's way to stop it.
import 'reflect-metadata';
import { reportToParent } from '@golden-loop/messaging/src/test-support/child-process';

export type BillingProcessMessage = { type: 'ready' };

const main = async (): Promise<void> => {
  const { createBillingApp } = await import('../app');
  const app = await createBillingApp();
  await app.init();
  await reportToParent<BillingProcessMessage>({ type: 'ready' });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
