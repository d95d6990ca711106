// The review scheduler in a Node process of its own, configured from its environment (REVIEW_DB_SCHEMA,
// PLAN_EVENTS_TOPIC, REVIEW_CONSUMER_GROUP, ...), for the crash and multi-instance tests: it reports `ready` once it
// consumes, and stops politely on SIGTERM. SIGKILL stops it as a crash would.
import 'reflect-metadata';
import { reportToParent } from '@golden-loop/messaging/src/test-support/child-process';

export type ReviewProcessMessage = { type: 'ready' } | { type: 'stopped' };

const main = async (): Promise<void> => {
  const { createReviewApp } = await import('../app');
  const app = await createReviewApp();
  await app.init();
  await reportToParent<ReviewProcessMessage>({ type: 'ready' });
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => reportToParent<ReviewProcessMessage>({ type: 'stopped' }))
      .then(() => process.exit(0));
  });
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
