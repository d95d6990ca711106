import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IntegrationEvent } from '@golden-loop/contracts';
import { sampleEvent } from '@golden-loop/contracts/src/testing/sample-events';
import { PostgresEventStore } from '@golden-loop/event-store';
import { startService, type ServiceFixture } from '@golden-loop/service-testing';
import type { ReadinessChecked } from '../domain/events';

/** The real billing-readiness on a schema, topics and a copy of the rule sets of its own (libs/service-testing). */
export interface BillingFixture extends ServiceFixture {
  readonly userId: string;
  /** The rule-set directory this instance reads (a test may edit it and reload). */
  readonly ruleSetsDir: string;
  checksOf(planId: string): Promise<ReadinessChecked['data'][]>;
}

export const copyOfRuleSets = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'billing-rule-sets-'));
  cpSync(join(__dirname, '..', '..', 'rule-sets'), dir, { recursive: true });
  return dir;
};

export const startBilling = async (name: string): Promise<BillingFixture> => {
  const ruleSetsDir = copyOfRuleSets();
  const fixture = await startService({
    name,
    schemaVariable: 'BILLING_DB_SCHEMA',
    createApp: async () => (await import('../app')).createBillingApp(),
    observe: ['billing'],
    env: { RULE_SETS_DIR: ruleSetsDir },
  });
  const store = fixture.app.get(PostgresEventStore);
  return {
    ...fixture,
    userId: randomUUID(),
    ruleSetsDir,
    checksOf: async (planId) =>
      (await store.readStream(planId)).filter((e) => e.type === 'ReadinessChecked').map((e) => e.data as ReadinessChecked['data']),
  };
};

export const PAYERS = {
  commercial: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a04',
  medicaid: 'a1000000-0000-4000-8000-000000000001',
} as const;

/** Public events of one plan, as the plan service and review-scheduler publish them. */
export const planEvents = (planId: string, payerId: string, clinicianId = randomUUID(), clientId = randomUUID()) => {
  const e = <K extends Parameters<typeof sampleEvent>[0]>(key: K, overrides: object = {}) =>
    sampleEvent(key, { planId, ...overrides } as never) as unknown as IntegrationEvent;
  return {
    clinicianId,
    opened: (openedAt: string) => e('PlanOpened.v1', { clientId, clinicianId, payerId, openedAt }),
    signed: (revision: number, signerRole: 'client' | 'clinician', signedAt: string) =>
      e('PlanSigned.v1', { revision, signerRole, signerId: signerRole === 'client' ? clientId : clinicianId, signedAt }),
    revised: (revision: number, revisedAt: string, triggersAnswered: string[] = []) =>
      e('PlanRevised.v1', { revision, reason: revision === 1 ? 'initial_plan' : 'symptom_change', triggersAnswered, revisedAt }),
    assessed: (assessedAt: string) => e('AssessmentRecorded.v1', { assessmentId: randomUUID(), assessedAt }),
    symptomsChanged: (occurredAt: string) => e('SymptomsChanged.v1', { assessmentId: randomUUID(), occurredAt }),
    taskOpened: (taskId: string, triggeredBy: string[], openedAt: string, dueAt: string) => e('ReviewTaskOpened.v1', { taskId, triggeredBy, openedAt, dueAt }),
    taskOverdue: (taskId: string, triggeredBy: string[], dueAt: string, overdueAt: string) => e('ReviewTaskOverdue.v1', { taskId, triggeredBy, dueAt, overdueAt }),
    taskCompleted: (taskId: string, triggeredBy: string[], dueAt: string, completedAt: string, resolvedBy: string) =>
      e('ReviewTaskCompleted.v1', { taskId, triggeredBy, dueAt, completedAt, resolution: 'plan_revised', resolvedBy, revision: 2 }),
  };
};

export const producerOf = (event: IntegrationEvent): 'plan' | 'review' => (event.name.startsWith('ReviewTask') ? 'review' : 'plan');
