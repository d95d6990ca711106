import type { CatalogueKey, IntegrationEvent } from '../catalogue';

// One valid sample per catalogue entry, for tests here and in consuming services
// (`import { sampleEvent } from '@golden-loop/contracts/src/testing/sample-events'`).

export const SAMPLE_IDS = {
  plan: '0b6f7a52-1c1e-4d5a-9a39-6f1f3f2c8a01',
  client: '5d2c9e0a-7b3f-4e61-8c1d-2a9b4f6e7c02',
  clinician: 'a4e8c1f3-9d27-4b6a-b5e0-3c7d8f1a2b03',
  payer: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a04',
  goal: '7c3e5a91-2b4d-4f60-9e8a-1d2c3b4a5f05',
  objective: '3f9a1b2c-4d5e-4f60-8a7b-9c0d1e2f3a06',
  intervention: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c07',
  assessment: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e08',
  previousAssessment: 'd2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f09',
  lifeEvent: 'f4a5b6c7-d8e9-4f0a-8b1c-2d3e4f5a6b10',
  task: 'b6c7d8e9-f0a1-4b2c-9d3e-4f5a6b7c8d11',
  check: 'e9f0a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a12',
  triggerEvent: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c13',
  joinedEvent: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d14',
  closedEvent: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e15',
  supervisor: '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f16',
  team: '5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a17',
} as const;

const at = '2026-03-02T09:30:00.000Z';

type Sample<K extends CatalogueKey> = K extends `${infer N}.v${infer V extends number}`
  ? Extract<IntegrationEvent, { name: N; version: V }>
  : never;

const noChanges = { added: [], changed: [], removed: [] };

const SAMPLES: { readonly [K in CatalogueKey]: Sample<K>['payload'] } = {
  'PlanOpened.v1': {
    planId: SAMPLE_IDS.plan,
    clientId: SAMPLE_IDS.client,
    clinicianId: SAMPLE_IDS.clinician,
    payerId: SAMPLE_IDS.payer,
    revision: 1,
    diagnoses: [{ code: 'F33.1', rank: 'primary' }],
    openedAt: at,
  },
  'GoalAdded.v1': {
    planId: SAMPLE_IDS.plan,
    goalId: SAMPLE_IDS.goal,
    revision: 1,
    diagnosisCodes: ['F33.1'],
    addedAt: at,
  },
  'ObjectiveAdded.v1': {
    planId: SAMPLE_IDS.plan,
    goalId: SAMPLE_IDS.goal,
    objectiveId: SAMPLE_IDS.objective,
    revision: 1,
    measure: { kind: 'instrument', instrument: 'PHQ-9', loinc: '44261-6', baseline: 16, target: 9 },
    targetDate: '2026-06-01',
    addedAt: at,
  },
  'AssessmentRecorded.v1': {
    planId: SAMPLE_IDS.plan,
    assessmentId: SAMPLE_IDS.assessment,
    instrument: 'PHQ-9',
    loinc: '44261-6',
    score: 16,
    band: 'moderately_severe',
    safetyFlag: false,
    assessedAt: at,
  },
  'SymptomsChanged.v1': {
    planId: SAMPLE_IDS.plan,
    assessmentId: SAMPLE_IDS.assessment,
    previousAssessmentId: SAMPLE_IDS.previousAssessment,
    instrument: 'PHQ-9',
    loinc: '44261-6',
    previousScore: 8,
    newScore: 16,
    previousBand: 'mild',
    newBand: 'moderately_severe',
    direction: 'worsened',
    reasons: ['reliable_change', 'band_change'],
    urgency: 'routine',
    occurredAt: at,
  },
  'GoalMet.v1': { planId: SAMPLE_IDS.plan, goalId: SAMPLE_IDS.goal, metAt: at },
  'ObjectiveMet.v1': {
    planId: SAMPLE_IDS.plan,
    goalId: SAMPLE_IDS.goal,
    objectiveId: SAMPLE_IDS.objective,
    metAt: at,
  },
  'LifeEventReported.v1': {
    planId: SAMPLE_IDS.plan,
    lifeEventId: SAMPLE_IDS.lifeEvent,
    category: 'employment_change',
    impact: 'major',
    occurredOn: '2026-02-20',
    reportedAt: at,
  },
  'PlanRevised.v1': {
    planId: SAMPLE_IDS.plan,
    revision: 2,
    reason: 'symptom_change',
    triggersAnswered: [SAMPLE_IDS.triggerEvent],
    changes: {
      goals: noChanges,
      objectives: { added: [SAMPLE_IDS.objective], changed: [], removed: [] },
      interventions: { added: [], changed: [SAMPLE_IDS.intervention], removed: [] },
      diagnoses: noChanges,
    },
    revisedPlan: {
      diagnoses: [{ code: 'F33.1', rank: 'primary' }],
      goals: [{ goalId: SAMPLE_IDS.goal, status: 'active', diagnosisCodes: ['F33.1'] }],
      objectives: [
        {
          objectiveId: SAMPLE_IDS.objective,
          goalId: SAMPLE_IDS.goal,
          status: 'active',
          measure: { kind: 'behavioural', unit: 'days_per_week', baseline: 1, target: 4 },
          targetDate: '2026-05-01',
        },
      ],
      interventions: [
        { interventionId: SAMPLE_IDS.intervention, modality: 'behavioural_activation', frequency: { count: 1, per: 'week' } },
      ],
      service: {
        sessionType: 'individual',
        sessionMinutes: 53,
        frequency: { count: 1, per: 'week' },
        expectedDurationWeeks: 16,
      },
    },
    revisedAt: at,
  },
  'PlanSigned.v1': {
    planId: SAMPLE_IDS.plan,
    revision: 2,
    signerRole: 'client',
    signerId: SAMPLE_IDS.client,
    method: 'electronic',
    signedAt: at,
  },
  'PlanClosed.v1': { planId: SAMPLE_IDS.plan, reason: 'treatment_completed', lastRevision: 3, closedAt: at },
  'ReviewTaskOpened.v1': {
    taskId: SAMPLE_IDS.task,
    planId: SAMPLE_IDS.plan,
    kind: 'plan_update',
    clinicianId: SAMPLE_IDS.clinician,
    reasons: ['reliable_change'],
    triggeredBy: [SAMPLE_IDS.triggerEvent],
    urgency: 'routine',
    dueAt: '2026-03-16T09:30:00.000Z',
    openedAt: at,
  },
  'ReviewTaskCompleted.v1': {
    taskId: SAMPLE_IDS.task,
    planId: SAMPLE_IDS.plan,
    reasons: ['reliable_change'],
    triggeredBy: [SAMPLE_IDS.triggerEvent],
    urgency: 'routine',
    dueAt: '2026-03-16T09:30:00.000Z',
    resolution: 'plan_revised',
    resolvedBy: SAMPLE_IDS.triggerEvent,
    revision: 2,
    completedAt: at,
    kind: 'plan_update',
    clinicianId: SAMPLE_IDS.clinician,
    firstTriggeredAt: '2026-02-27T09:30:00.000Z',
    secondsToCompletion: 259200,
  },
  'ReviewTaskOverdue.v1': {
    taskId: SAMPLE_IDS.task,
    planId: SAMPLE_IDS.plan,
    reasons: ['safety_flag'],
    triggeredBy: [SAMPLE_IDS.triggerEvent],
    urgency: 'urgent',
    dueAt: '2026-03-03T09:30:00.000Z',
    overdueAt: '2026-03-03T09:30:05.000Z',
  },
  'ReviewTaskTriggerJoined.v1': {
    taskId: SAMPLE_IDS.task,
    planId: SAMPLE_IDS.plan,
    kind: 'plan_update',
    clinicianId: SAMPLE_IDS.clinician,
    reasons: ['reliable_change', 'life_event'],
    triggeredBy: [SAMPLE_IDS.triggerEvent, SAMPLE_IDS.joinedEvent],
    urgency: 'routine',
    dueAt: '2026-03-16T09:30:00.000Z',
    joinedBy: SAMPLE_IDS.joinedEvent,
    joinedReasons: ['life_event'],
    previousUrgency: 'routine',
    previousDueAt: '2026-03-16T09:30:00.000Z',
    joinedAt: at,
  },
  'ReviewTaskEscalated.v1': {
    taskId: SAMPLE_IDS.task,
    planId: SAMPLE_IDS.plan,
    kind: 'safety_review',
    clinicianId: SAMPLE_IDS.clinician,
    reasons: ['safety_flag'],
    triggeredBy: [SAMPLE_IDS.triggerEvent],
    urgency: 'urgent',
    dueAt: '2026-03-02T23:59:59.999Z',
    escalationReason: 'safety_review_overdue',
    route: 'supervisor',
    supervisorId: SAMPLE_IDS.supervisor,
    teamId: SAMPLE_IDS.team,
    escalatedAt: '2026-03-03T00:00:00.000Z',
  },
  'ReviewTaskCancelled.v1': {
    taskId: SAMPLE_IDS.task,
    planId: SAMPLE_IDS.plan,
    kind: 'plan_update',
    clinicianId: SAMPLE_IDS.clinician,
    reasons: ['goal_met'],
    triggeredBy: [SAMPLE_IDS.triggerEvent],
    urgency: 'routine',
    dueAt: '2026-03-16T09:30:00.000Z',
    cancellationReason: 'plan_closed',
    cancelledBy: SAMPLE_IDS.closedEvent,
    cancelledAt: at,
  },
  'AuthorizationCheckCompleted.v1': {
    planId: SAMPLE_IDS.plan,
    payerId: SAMPLE_IDS.payer,
    checkId: SAMPLE_IDS.check,
    outcome: 'not_ready',
    findings: [
      {
        code: 'revision_not_signed_by_client',
        rule: 'default.current-revision-signed',
        severity: 'error',
        evidence: { revision: 2, missingSignerRoles: ['client'] },
        fix: { code: 'obtain_client_signature' },
      },
      {
        code: 'authorization_sessions_low',
        rule: 'default.reauthorization-due',
        severity: 'warning',
        evidence: { sessionsAuthorized: 12, sessionsUsed: 10, sessionsRemaining: 2, authorizationEndsOn: '2026-04-30' },
        fix: { code: 'request_reauthorization' },
      },
    ],
    checkedAt: at,
    triggeredBy: SAMPLE_IDS.triggerEvent,
  },
};

/** A valid sample of a catalogue entry, with payload fields replaced by `overrides`. */
export const sampleEvent = <K extends CatalogueKey>(key: K, overrides: Partial<Sample<K>['payload']> = {}): Sample<K> => {
  const [name, version] = key.split('.v') as [string, string];
  return { name, version: Number(version), payload: { ...SAMPLES[key], ...overrides } } as unknown as Sample<K>;
};

export const SAMPLE_KEYS = Object.keys(SAMPLES) as CatalogueKey[];
