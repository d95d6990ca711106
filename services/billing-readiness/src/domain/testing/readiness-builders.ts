import { randomUUID } from 'node:crypto';
import type { ClinicianCredential, IntegrationEvent } from '@golden-loop/contracts';
import { sampleEvent } from '@golden-loop/contracts/src/testing/sample-events';
import type { CheckPolicy, ReadinessCommand } from '../commands';
import type { RevisedPlan } from '../events';
import type { RuleSet } from '../rule-set';
import { initialState, type PlanReadiness } from '../state';

// Builders for readiness specs: a plan that meets every rule of every rule set, and the public events that make one.

export const NOW = new Date('2026-03-10T10:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;
export const daysFromNow = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString();
export const dateFromNow = (days: number): string => daysFromNow(days).slice(0, 10);

export const IDS = {
  plan: '0b6f7a52-1c1e-4d5a-9a39-6f1f3f2c8a01',
  client: '5d2c9e0a-7b3f-4e61-8c1d-2a9b4f6e7c02',
  clinician: 'a4e8c1f3-9d27-4b6a-b5e0-3c7d8f1a2b03',
  payer: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a04',
  goal: '7c3e5a91-2b4d-4f60-9e8a-1d2c3b4a5f05',
  objective: '3f9a1b2c-4d5e-4f60-8a7b-9c0d1e2f3a06',
  intervention: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c07',
  assessment: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e08',
  authorization: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d14',
  task: 'b6c7d8e9-f0a1-4b2c-9d3e-4f5a6b7c8d11',
} as const;

export const aRevisedPlan = (overrides: Partial<RevisedPlan> = {}): RevisedPlan => ({
  diagnoses: [{ code: 'F33.1', rank: 'primary' }],
  goals: [{ goalId: IDS.goal, status: 'active', diagnosisCodes: ['F33.1'] }],
  objectives: [
    {
      objectiveId: IDS.objective,
      goalId: IDS.goal,
      status: 'active',
      measure: { kind: 'instrument', instrument: 'PHQ-9', loinc: '44261-6', baseline: 16, target: 9 },
      targetDate: dateFromNow(60),
    },
  ],
  interventions: [{ interventionId: IDS.intervention, modality: 'cbt', frequency: { count: 1, per: 'week' } }],
  service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
  ...overrides,
});

/** A plan that meets every rule of every shipped rule set at NOW (credentials: `credentialsOf` below). */
export const aCompliantPlan = (overrides: Partial<PlanReadiness> = {}): PlanReadiness => ({
  ...initialState(),
  planId: IDS.plan,
  opened: { clientId: IDS.client, clinicianId: IDS.clinician, payerId: IDS.payer, openedAt: daysFromNow(-40), diagnoses: [{ code: 'F33.1', rank: 'primary' }] },
  latestRevision: 1,
  revisions: [
    {
      revision: 1,
      revisedAt: daysFromNow(-10),
      plan: aRevisedPlan(),
      signatures: { client: { signerId: IDS.client, signedAt: daysFromNow(-10) }, clinician: { signerId: IDS.clinician, signedAt: daysFromNow(-10) } },
    },
  ],
  assessments: [{ assessmentId: IDS.assessment, instrument: 'PHQ-9', score: 14, band: 'moderate', assessedAt: daysFromNow(-5) }],
  authorizations: [
    {
      authorizationId: IDS.authorization,
      authorizationNumber: 'PA-1',
      payerId: IDS.payer,
      serviceCodes: ['90837', '90834'],
      sessionsAuthorized: 20,
      startsOn: dateFromNow(-30),
      endsOn: dateFromNow(60),
      requestId: null,
      recordedAt: daysFromNow(-30),
    },
  ],
  sessions: [1, 2].map((i) => ({ sessionId: randomUUID(), dateOfService: dateFromNow(-i * 7), serviceCode: '90837', minutes: 55, authorizationId: IDS.authorization })),
  ...overrides,
});

export const credentialsOf =
  (credentials: Record<string, readonly ClinicianCredential[]> = { [IDS.clinician]: ['psychiatrist'] }) =>
  (clinicianId: string): readonly ClinicianCredential[] | undefined =>
    credentials[clinicianId];

export const aCheckPolicy = (ruleSet: RuleSet, overrides: Partial<CheckPolicy> = {}): CheckPolicy => ({
  checkId: randomUUID(),
  ruleSetOf: () => ruleSet,
  credentialsOf: credentialsOf(),
  ...overrides,
});

/** A public plan or review event about the test plan, as the consumer hands it to the decider. */
export const publicEvent = <K extends Parameters<typeof sampleEvent>[0]>(key: K, overrides: Parameters<typeof sampleEvent<K>>[1] = {}): IntegrationEvent =>
  sampleEvent(key, { planId: IDS.plan, ...overrides });

export const noteEvent = (event: IntegrationEvent, ruleSet: RuleSet, at: Date = NOW, eventId: string = randomUUID()): ReadinessCommand => ({
  type: 'NoteEvent',
  data: { eventId, event },
  metadata: { now: at.toISOString() },
  check: aCheckPolicy(ruleSet),
});
