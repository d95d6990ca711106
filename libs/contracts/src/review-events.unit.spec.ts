import { randomUUID } from 'node:crypto';
import { CATALOGUE, decodeEvent, encodeEvent, type IntegrationEvent } from './index';
import { SAMPLE_IDS, sampleEvent } from './testing/sample-events';
import { validatorsOf } from './validators';

// The review events grew after billing-readiness started consuming them: what was valid before stays valid
// (README "Compatibility"), and what was added is codes only.

const valid = (key: keyof typeof CATALOGUE, payload: unknown): boolean => validatorsOf(CATALOGUE[key]).payload(payload);

const released = {
  taskId: SAMPLE_IDS.task,
  planId: SAMPLE_IDS.plan,
  reasons: ['reliable_change'],
  triggeredBy: [SAMPLE_IDS.triggerEvent],
  urgency: 'routine',
  dueAt: '2026-03-16T09:30:00.000Z',
};

describe('review events', () => {
  test('records of the first release (no kind, no clinician) are still valid', () => {
    expect(valid('ReviewTaskOpened.v1', { ...released, openedAt: '2026-03-02T09:30:00.000Z' })).toBe(true);
    expect(valid('ReviewTaskOverdue.v1', { ...released, overdueAt: '2026-03-16T09:30:00.000Z' })).toBe(true);
    expect(
      valid('ReviewTaskCompleted.v1', {
        ...released,
        resolution: 'plan_closed',
        resolvedBy: SAMPLE_IDS.triggerEvent,
        revision: null,
        completedAt: '2026-03-05T09:30:00.000Z',
      }),
    ).toBe(true);
  });

  test('a safety review completes with a structured risk assessment, codes only', () => {
    const completed = sampleEvent('ReviewTaskCompleted.v1', {
      kind: 'safety_review',
      reasons: ['safety_flag'],
      urgency: 'urgent',
      resolution: 'risk_assessed',
      resolvedBy: null,
      revision: null,
      riskAssessment: { instrument: 'C-SSRS', riskLevel: 'moderate', safetyPlanMade: true },
    });
    const record = encodeEvent(completed, { id: randomUUID(), time: '2026-03-02T12:00:00.000Z' });
    expect(decodeEvent(record).payload).toEqual(completed.payload);

    const narrated = { ...completed.payload, riskAssessment: { instrument: 'C-SSRS', riskLevel: 'said she is fine', safetyPlanMade: true } };
    expect(valid('ReviewTaskCompleted.v1', narrated)).toBe(false);
  });

  test('a reviewed-without-change completion carries its reason code and nothing typed', () => {
    const payload = { ...sampleEvent('ReviewTaskCompleted.v1').payload, resolution: 'reviewed_no_change', resolvedBy: null, revision: null };
    expect(valid('ReviewTaskCompleted.v1', { ...payload, noChangeReason: 'transient_change' })).toBe(true);
    expect(valid('ReviewTaskCompleted.v1', { ...payload, noChangeReason: 'client feels better' })).toBe(false);
  });

  test.each([
    ['ReviewTaskTriggerJoined.v1', 'joinedBy'],
    ['ReviewTaskEscalated.v1', 'supervisorId'],
  ] as const)('%s: %s may be null (the review interval joined; no supervisor known)', (key, field) => {
    expect(valid(key, { ...sampleEvent(key).payload, [field]: null })).toBe(true);
  });

  test.each(['ReviewTaskTriggerJoined.v1', 'ReviewTaskEscalated.v1', 'ReviewTaskCancelled.v1'] as const)(
    '%s: the new events name the kind and the clinician',
    (key) => {
      const { kind: _kind, ...withoutKind } = sampleEvent(key).payload as { kind: string };
      expect(valid(key, withoutKind)).toBe(false);
      const event = sampleEvent(key) as IntegrationEvent;
      expect(decodeEvent(encodeEvent(event, { id: randomUUID(), time: '2026-03-02T12:00:00.000Z' })).name).toBe(event.name);
    },
  );
});
