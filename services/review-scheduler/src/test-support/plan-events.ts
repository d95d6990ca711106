import { randomUUID } from 'node:crypto';
import { encodeEvent, type IntegrationEvent, type IntegrationEventOf } from '@golden-loop/contracts';
import type { Message } from 'kafkajs';

// Plan-topic events as services/plan publishes them (libs/contracts), for the review scheduler's integration
// tests and its bench. Each builder takes the plan and the fields a test cares about; ids are fresh UUIDs.

export interface PlanEventRecord {
  /** The ce_id: what the inbox deduplicates on and PlanRevised.triggersAnswered names. */
  readonly id: string;
  readonly event: IntegrationEvent;
}

const record = (event: IntegrationEvent, id = randomUUID()): PlanEventRecord => ({ id, event });

export const planOpened = (planId: string, clinicianId: string, at: string, payerId: string | null = randomUUID()): PlanEventRecord =>
  record({
    name: 'PlanOpened',
    version: 1,
    payload: { planId, clientId: randomUUID(), clinicianId, payerId, revision: 1, diagnoses: [{ code: 'F33.1', rank: 'primary' }], openedAt: at },
  });

type SymptomsPayload = IntegrationEventOf<'SymptomsChanged'>['payload'];

/** PHQ-9 8 → 14 by default: a routine reliable worsening into the moderate band. */
export const symptomsChanged = (planId: string, at: string, overrides: Partial<SymptomsPayload> = {}): PlanEventRecord =>
  record({
    name: 'SymptomsChanged',
    version: 1,
    payload: {
      planId,
      assessmentId: randomUUID(),
      previousAssessmentId: randomUUID(),
      instrument: 'PHQ-9',
      loinc: '44261-6',
      previousScore: 8,
      newScore: 14,
      previousBand: 'mild',
      newBand: 'moderate',
      direction: 'worsened',
      reasons: ['reliable_change', 'band_change'],
      urgency: 'routine',
      occurredAt: at,
      ...overrides,
    },
  });

/** PHQ-9 17 → 21: a worsening into the severe band, urgent. */
export const worsenedIntoSevere = (planId: string, at: string): PlanEventRecord =>
  symptomsChanged(planId, at, { previousScore: 17, newScore: 21, previousBand: 'moderately_severe', newBand: 'severe', reasons: ['reliable_change', 'band_change'], urgency: 'urgent' });

/** PHQ-9 item 9 newly above 0. */
export const safetyFlagRaised = (planId: string, at: string): PlanEventRecord =>
  symptomsChanged(planId, at, { previousScore: 12, newScore: 13, previousBand: 'moderate', newBand: 'moderate', direction: 'worsened', reasons: ['safety_flag'], urgency: 'urgent' });

export const goalMet = (planId: string, at: string): PlanEventRecord => record({ name: 'GoalMet', version: 1, payload: { planId, goalId: randomUUID(), metAt: at } });

export const lifeEventReported = (planId: string, at: string): PlanEventRecord =>
  record({
    name: 'LifeEventReported',
    version: 1,
    payload: { planId, lifeEventId: randomUUID(), category: 'employment_change', impact: 'major', occurredOn: at.slice(0, 10), reportedAt: at },
  });

export const planRevised = (planId: string, revision: number, at: string, triggersAnswered: readonly string[] = []): PlanEventRecord =>
  record({
    name: 'PlanRevised',
    version: 1,
    payload: {
      planId,
      revision,
      reason: revision === 1 ? 'initial_plan' : 'symptom_change',
      triggersAnswered: [...triggersAnswered],
      changes: {
        goals: { added: [], changed: [], removed: [] },
        objectives: { added: [], changed: [], removed: [] },
        interventions: { added: [], changed: [], removed: [] },
        diagnoses: { added: [], changed: [], removed: [] },
      },
      revisedPlan: {
        diagnoses: [{ code: 'F33.1', rank: 'primary' }],
        goals: [],
        objectives: [],
        interventions: [],
        service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
      },
      revisedAt: at,
    },
  });

export const planSigned = (planId: string, at: string): PlanEventRecord =>
  record({ name: 'PlanSigned', version: 1, payload: { planId, revision: 2, signerRole: 'client', signerId: randomUUID(), method: 'electronic', signedAt: at } });

export const planClosed = (planId: string, at: string): PlanEventRecord =>
  record({ name: 'PlanClosed', version: 1, payload: { planId, reason: 'treatment_completed', lastRevision: 1, closedAt: at } });

/** The Kafka record the plan service's outbox relay would produce for it. */
export const planRecord = ({ id, event }: PlanEventRecord, topic: string, sequence?: number): Message => {
  const encoded = encodeEvent(event, { id, time: new Date().toISOString(), correlationId: randomUUID(), topic, ...(sequence === undefined ? {} : { sequence }) });
  return { key: encoded.key, value: encoded.value, headers: encoded.headers };
};
