import type { TsChild } from '@golden-loop/messaging/src/test-support/child-process';
import { waitUntil } from '@golden-loop/service-testing';
import { expectedStream, interleaved, planStories, PUBLIC_TYPES } from './test-support/plan-stories';
import { startReviewProcess } from './test-support/review-child';
import { reviewEnvironment, type ReviewEnvironment } from './test-support/review-environment';
import { unpublishedOutboxRows } from '@golden-loop/messaging';

// Issue 9, "Done when": the service SIGKILLed mid-stream and restarted loses nothing and duplicates nothing. The
// service runs as a child process (no handler runs on SIGKILL, no connection closes politely); small chunks keep
// several inbox transactions in flight when it dies.

jest.setTimeout(600_000);

let env: ReviewEnvironment;
const children: TsChild[] = [];
beforeAll(async () => {
  env = await reviewEnvironment('review_crash', { inProcess: false });
});
afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
  await env?.close();
});

const inboxCount = async () => (await env.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox'))[0].n;

test('killed with SIGKILL mid-stream and restarted, the service applies every plan event once and publishes every review event', async () => {
  const stories = planStories(250);
  const records = interleaved(stories);
  const processEnv = { ...env.env, REVIEW_CONSUMER_BATCH_SIZE: '20' };

  const first = await startReviewProcess(processEnv);
  children.push(first);
  await env.publish(...records);
  await waitUntil(inboxCount, (n) => n >= records.length * 0.3, 120_000, 'a third of the plan events applied');
  await first.kill();
  const appliedWhenKilled = await inboxCount();
  expect(appliedWhenKilled).toBeLessThan(records.length);

  const second = await startReviewProcess(processEnv);
  children.push(second);
  await waitUntil(inboxCount, (n) => n >= records.length, 180_000, 'every plan event applied');
  await waitUntil(
    async () => (await env.query<{ n: number }>(`SELECT count(*)::int AS n ${unpublishedOutboxRows()}`))[0].n,
    (n) => n === 0,
    120_000,
    'the outbox drained',
  );
  expect(await second.terminate()).toBe(0);

  // Nothing lost, nothing twice: each plan's review stream is what the decider makes of its story, applied once.
  const inbox = await env.query<{ event_id: string }>('SELECT event_id FROM inbox');
  expect(new Set(inbox.map((row) => row.event_id))).toEqual(new Set(records.map((record) => record.id)));
  const stored = await env.query<{ stream_id: string; event_id: string; event_type: string; task_id: string | null }>(
    `SELECT stream_id, event_id::text, event_type, data->>'taskId' AS task_id FROM events ORDER BY stream_id, stream_position`,
  );
  for (const story of stories) {
    const actual = stored.filter((row) => row.stream_id === story.planId).map((row) => ({ type: row.event_type, ...(row.task_id ? { taskId: row.task_id } : {}) }));
    expect({ planId: story.planId, events: actual }).toEqual({ planId: story.planId, events: expectedStream(story) });
  }

  // Every public event is on the review topic (at least once: a relay killed between produce and mark re-sends).
  const publicIds = new Set(stored.filter((row) => PUBLIC_TYPES.has(row.event_type)).map((row) => row.event_id));
  const onKafka = new Set((await env.published()).map((event) => event.envelope.id));
  expect([...publicIds].filter((id) => !onKafka.has(id))).toEqual([]);
  expect([...onKafka].filter((id) => !publicIds.has(id))).toEqual([]);
  // One overdue timer per task, whatever was redelivered.
  const timers = await env.query<{ n: number; tasks: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT payload->>'taskId')::int AS tasks FROM timers WHERE kind = 'review.overdue'`,
  );
  expect(timers[0].n).toBe(timers[0].tasks);
});
