import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Producer } from '@golden-loop/contracts';
import { createTestIssuer, startService, type ServiceFixture } from '@golden-loop/service-testing';
import { uniqueName } from '@golden-loop/testing';

// The whole loop in one process, on the real broker and PostgreSQL: the plan service, review-scheduler and
// billing-readiness on shared topics, one token issuer, and the demo story (`npm run demo`, infra/demo/demo.cjs)
// run against them over HTTP. Then every event the demo produced, read back from Kafka, and every log line the
// three services wrote, are searched for the free text the demo sent: none may be there (docs/privacy.md).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runDemo, FREE_TEXT } = require(join(__dirname, '..', '..', 'demo', 'demo.cjs')) as {
  runDemo(options: { urls: Record<string, string>; mint: (claims: object) => string; say?: (line: string) => void }): Promise<{
    planId: string;
    task: { status: string; completion: { resolution: string } | null };
    readiness: { revisionInEffect: number; latestCheck: { outcome: string } };
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

  expect(story).toHaveLength(5);
  expect(result.task).toMatchObject({ status: 'completed', completion: { resolution: 'plan_revised' } });
  expect(result.readiness.revisionInEffect).toBe(2);

  // Every event of the three topics, as the plan fixture's observer read them from Kafka.
  const [plan, ...others] = services;
  const events = plan.published;
  expect(events.map((event) => event.name)).toEqual(
    expect.arrayContaining(['PlanOpened', 'PlanSigned', 'PlanRevised', 'SymptomsChanged', 'ReviewTaskOpened', 'ReviewTaskCompleted', 'AuthorizationRecorded', 'AuthorizationCheckCompleted']),
  );
  const logs = [...plan.logs, ...others.flatMap((fixture) => fixture.logs)];
  expect(logs.length).toBeGreaterThan(10);
  const said = Object.values(FREE_TEXT);
  // Whole sentences, and their telling words, case-insensitively.
  const words = ['choir', 'mother', 'granddaughter', 'singing', 'dawn', 'grief'];
  for (const [what, texts] of [['events', events.map((event) => JSON.stringify(event))], ['logs', logs]] as const) {
    const leaks = texts.filter((text) => said.some((sentence) => text.includes(sentence)) || words.some((word) => text.toLowerCase().includes(word)));
    expect({ what, leaks }).toEqual({ what, leaks: [] });
  }
});
