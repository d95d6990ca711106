import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Producer } from '@golden-loop/contracts';
import { createTestIssuer, startService, waitUntil, type ServiceFixture } from '@golden-loop/service-testing';
import { uniqueName } from '@golden-loop/testing';

// The whole loop in one process, on the real broker and PostgreSQL: the plan service, review-scheduler and
// billing-readiness on shared topics, one token issuer, and the demo story (`npm run demo`, infra/demo/demo.cjs)
// run against them over HTTP. Then every event the demo produced, read back from Kafka, and every log line the
// three services wrote, are searched for the free text the demo sent: none may be there (docs/privacy.md).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runDemo, FREE_TEXT } = require(join(__dirname, '..', '..', 'demo', 'demo.cjs')) as {
  runDemo(options: { urls: Record<string, string>; mint: (claims: object) => string; say?: (line: string) => void }): Promise<{
    planId: string;
    safetyTaskId: string;
    updateTask: { status: string; reasons: string[]; urgency: string; completion: { resolution: string } | null };
    readiness: { revisionInEffect: number; latestCheck: { outcome: string } };
    precheck: { billable: boolean; outcome: string };
    bundle: { resourceType: string; entry: { resource: { resourceType: string; use?: string } }[] };
  }>;
  FREE_TEXT: Record<string, string>;
};

jest.setTimeout(180_000);

const issuer = createTestIssuer();
const topics = Object.fromEntries((['plan', 'review', 'billing'] as const).map((p) => [p, uniqueName(`${p}-events-loop`)])) as Record<Producer, string>;
const services: ServiceFixture[] = [];
const urls: Record<string, string> = {};
const story: string[] = [];

const listen = async (name: string, fixture: ServiceFixture) => {
  services.push(fixture);
  await fixture.app.listen(0, '127.0.0.1');
  urls[name] = `http://127.0.0.1:${(fixture.app.getHttpServer().address() as AddressInfo).port}`;
};

beforeAll(async () => {
  const rules = mkdtempSync(join(tmpdir(), 'loop-rule-sets-'));
  cpSync(join(__dirname, '..', '..', '..', 'services', 'billing-readiness', 'rule-sets'), rules, { recursive: true });
  // One after the other: each service reads its configuration from the environment when its module loads.
  await listen('plan', await startService({ name: 'loop_plan', schemaVariable: 'PLAN_DB_SCHEMA', topics, issuer, createApp: async () => (await import('../../../services/plan/src/app')).createPlanApp() }));
  await listen(
    'review',
    await startService({
      name: 'loop_review',
      schemaVariable: 'REVIEW_DB_SCHEMA',
      topics,
      issuer,
      observe: ['review'],
      env: { REVIEW_CONSUMER_GROUP: uniqueName('loop-review') },
      createApp: async () => (await import('../../../services/review-scheduler/src/app')).createReviewApp(),
    }),
  );
  await listen(
    'billing',
    await startService({
      name: 'loop_billing',
      schemaVariable: 'BILLING_DB_SCHEMA',
      topics,
      issuer,
      observe: ['billing'],
      env: { RULE_SETS_DIR: rules },
      createApp: async () => (await import('../../../services/billing-readiness/src/app')).createBillingApp(),
    }),
  );
});
afterAll(async () => {
  for (const fixture of services.reverse()) await fixture.close();
});

test('the demo closes the loop, and nothing it said about the client reaches Kafka or a log line', async () => {
  const result = await runDemo({ urls, mint: (claims) => issuer.mint(claims as never), say: (line) => void story.push(line) });

  // Each step of the story waited for what it names (a task, a readiness outcome) before going on; the end state:
  expect(story).toHaveLength(9);
  expect(result.updateTask).toMatchObject({ status: 'completed', urgency: 'urgent', completion: { resolution: 'plan_revised' } });
  expect(result.updateTask.reasons).toEqual(expect.arrayContaining(['objective_met', 'safety_flag']));
  expect(result.readiness).toMatchObject({ revisionInEffect: 2, latestCheck: { outcome: 'ready' } });
  expect(result.precheck).toMatchObject({ billable: true, outcome: 'ready' });
  expect(result.bundle.resourceType).toBe('Bundle');
  expect(result.bundle.entry.map((entry) => entry.resource.resourceType)).toContain('Claim');
  const review = await fetch(`${urls.review}/plans/${result.planId}/review`, { headers: { authorization: `Bearer ${issuer.mint({ sub: '00000000-0000-4000-8000-000000000001', roles: ['admin'] })}` } });
  expect(review.status).toBe(403);

  // Every event of the three topics, as the plan fixture's observer read them from Kafka.
  const [plan, ...others] = services;
  const expected = ['PlanOpened', 'PlanSigned', 'PlanRevised', 'SymptomsChanged', 'ObjectiveMet', 'ReviewTaskOpened', 'ReviewTaskTriggerJoined', 'ReviewTaskCompleted', 'AuthorizationRecorded', 'AuthorizationCheckCompleted', 'ReauthorizationRequested'];
  // The last answers' events may still be on their way through the outbox relays.
  const events = await waitUntil(() => plan.published, (seen) => expected.every((name) => seen.some((event) => event.name === name)), 20_000, 'the demo\'s events on Kafka').catch(() => plan.published);
  expect(expected.filter((name) => !events.some((event) => event.name === name))).toEqual([]);
  // The item-9 answer travels as a SymptomsChanged with the safety_flag reason (codes only).
  expect(events.filter((event) => event.name === 'SymptomsChanged').map((event) => (event.payload as { reasons: readonly string[] }).reasons)).toContainEqual(expect.arrayContaining(['safety_flag']));
  const logs = [...plan.logs, ...others.flatMap((fixture) => fixture.logs)];
  expect(logs.length).toBeGreaterThan(10);
  const said = Object.values(FREE_TEXT);
  // Whole sentences, and their telling words, case-insensitively.
  const words = ['choir', 'mother', 'granddaughter', 'singing', 'dawn', 'grief', 'planned activity'];
  for (const [what, texts] of [['events', events.map((event) => JSON.stringify(event))], ['logs', logs]] as const) {
    const leaks = texts.filter((text) => said.some((sentence) => text.includes(sentence)) || words.some((word) => text.toLowerCase().includes(word)));
    expect({ what, leaks }).toEqual({ what, leaks: [] });
  }
});
