import type { TsChild } from '@golden-loop/messaging/src/test-support/child-process';
import { uniqueName } from '@golden-loop/testing';
import { waitUntil } from '@golden-loop/service-testing';
import { expectedStream, interleaved, planStories } from './test-support/plan-stories';
import { startReviewProcess } from './test-support/review-child';
import { reviewEnvironment, type ReviewEnvironment } from './test-support/review-environment';

// Issue 9, "Done when": two instances of the service produce the same tasks as one. One instance on one schema and
// two instances sharing another schema and consumer group read the same plan topic; their review streams and task
// read models agree, and both agree with the decider.

jest.setTimeout(600_000);

let one: ReviewEnvironment;
let two: ReviewEnvironment;
const children: TsChild[] = [];
beforeAll(async () => {
  one = await reviewEnvironment('review_one', { inProcess: false });
  two = await reviewEnvironment('review_two', { inProcess: false, topics: { ...one.topics, review: uniqueName('review-events-review_two') } });
});
afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
  await one?.close();
  await two?.close();
});

const inboxCount = (env: ReviewEnvironment) => async () => (await env.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox'))[0].n;

const streams = (env: ReviewEnvironment) =>
  env.query<{ stream_id: string; event_type: string; task_id: string | null }>(
    `SELECT stream_id, event_type, data->>'taskId' AS task_id FROM events ORDER BY stream_id, stream_position`,
  );

// Everything but the times the service itself took (openedAt and the like are its clock's).
const tasks = (env: ReviewEnvironment) =>
  env.query(
    `SELECT task_id, plan_id, clinician_id, kind, status, urgency, reasons, trigger_count, due_at, first_triggered_at, resolution,
            seconds_to_completion
       FROM review_tasks ORDER BY task_id`,
  );

test('two instances sharing the work make the same review streams and tasks as one instance alone', async () => {
  const stories = planStories(200);
  const records = interleaved(stories);
  const single = await startReviewProcess(one.env);
  const pair = await Promise.all([startReviewProcess(two.env), startReviewProcess(two.env)]);
  children.push(single, ...pair);
  const admin = one.kafka.kafka.admin();
  await admin.connect();
  try {
    const group = await waitUntil(
      async () => (await admin.describeGroups([two.env.REVIEW_CONSUMER_GROUP])).groups[0],
      (description) => description?.state === 'Stable' && description.members.length === 2,
      120_000,
      'both instances in the consumer group',
    );
    expect(group.members).toHaveLength(2);
  } finally {
    await admin.disconnect();
  }

  await one.publish(...records);
  await waitUntil(inboxCount(one), (n) => n >= records.length, 180_000, 'the single instance to apply every plan event');
  await waitUntil(inboxCount(two), (n) => n >= records.length, 180_000, 'the pair to apply every plan event');
  // The read models follow their event stores within their poll interval.
  const expectedTasks = await waitUntil(
    () => tasks(one),
    (rows) => rows.length === stories.reduce((n, story) => n + new Set(expectedStream(story).flatMap((e) => (e.type === 'ReviewTaskOpened' ? [e.taskId] : []))).size, 0),
    60_000,
    'the single instance read model',
  );
  const pairTasks = await waitUntil(() => tasks(two), (rows) => rows.length === expectedTasks.length && JSON.stringify(rows) === JSON.stringify(expectedTasks), 60_000, 'the pair read model');

  expect(pairTasks).toEqual(expectedTasks);
  expect(await streams(two)).toEqual(await streams(one));
  const stored = await streams(two);
  for (const story of stories) {
    const actual = stored.filter((row) => row.stream_id === story.planId).map((row) => ({ type: row.event_type, ...(row.task_id ? { taskId: row.task_id } : {}) }));
    expect(actual).toEqual(expectedStream(story));
  }
  const perPartition = await two.query<{ partitions: number }>('SELECT count(DISTINCT kafka_partition)::int AS partitions FROM inbox');
  expect(perPartition[0].partitions).toBe(6);
});
