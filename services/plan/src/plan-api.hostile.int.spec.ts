import { randomUUID } from 'node:crypto';
import { openApiDocumentFor } from '@golden-loop/service-kit';
import { hostileRuns, runHostileInput, type Operation, type PreparedOperation } from '@golden-loop/service-testing';
import { PlanSummariesProjection } from './read-models/plan-summaries.projection';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';
import { aGoalRequest, anInterventionRequest, anObjectiveRequest, anOpenPlanRequest, phq9 } from './test-support/plan-requests';

// The hostile-input suite of libs/service-testing over every endpoint of the plan service (docs/input-limits.md):
// no 5xx, a bounded problem body for every refusal, and nothing stored by a refused request. Bounded here
// (hostileRuns() requests per endpoint); `npm run test:hostile` runs it longer.

let api: PlanApiFixture;
beforeAll(async () => {
  api = await startPlanApi('plan_hostile');
});
afterAll(async () => api?.close());

const as = () => api.asClinician();

/**
 * A plan in effect (revision 1 signed) with revision 2 open, unless `draft` is false: two diagnoses, a symptom, an
 * impairment, a goal with an objective and an intervention. Every path parameter of the API names one of its things.
 */
const planForHostileRequests = async (draft: boolean) => {
  const [symptomId, impairmentId] = [randomUUID(), randomUUID()];
  const body = anOpenPlanRequest({
    diagnoses: [
      { code: 'F32.1', rank: 'primary', description: 'Major depressive disorder, single episode, moderate' },
      { code: 'F41.1', rank: 'secondary', description: 'Generalized anxiety disorder' },
    ],
    symptoms: [{ id: symptomId, diagnosisCode: 'F32.1', description: 'Depressed mood most of the day' }],
    impairments: [{ id: impairmentId, diagnosisCode: 'F32.1', description: 'Has stopped seeing friends' }],
  });
  const planId = (await api.http().post('/plans').set(as()).send(body).expect(201)).body.planId as string;
  const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
  const objectiveId = (await api.http().post(`/plans/${planId}/draft/objectives`).set(as()).send(anObjectiveRequest(goalId)).expect(201)).body.id as string;
  const interventionId = (await api.http().post(`/plans/${planId}/draft/interventions`).set(as()).send(anInterventionRequest(objectiveId)).expect(201)).body
    .id as string;
  for (const [signerRole, signerId] of [['client', body.clientId], ['clinician', body.clinicianId]] as const) {
    await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole, signerId, method: signerRole === 'client' ? 'verbal_attested' : 'electronic' }).expect(201);
  }
  if (draft) await api.http().post(`/plans/${planId}/revisions`).set(as()).send({ reason: 'clinical_judgement', triggers: [] }).expect(201);
  const pathValues = { planId, goalId, objectiveId, interventionId, symptomId, impairmentId, revision: '2', code: 'F41.1' };
  return { pathValues, body };
};

/** What each endpoint is given: a plan whose things its path names, and a body it accepts. */
const prepare = async (operation: Operation): Promise<PreparedOperation> => {
  const { pathValues, body } = await planForHostileRequests(operation.id !== 'POST /plans/{planId}/revisions');
  const examples: Record<string, unknown> = {
    'POST /plans': anOpenPlanRequest(),
    'POST /plans/{planId}/revisions': { reason: 'clinical_judgement', note: 'Review after three months', triggers: [] },
    'DELETE /plans/{planId}/revisions/{revision}': { note: 'Not needed after all' },
    'POST /plans/{planId}/draft/diagnoses': { code: 'F43.1', description: 'Post-traumatic stress disorder' },
    'PUT /plans/{planId}/draft/primary-diagnosis': { code: 'F41.1' },
    'POST /plans/{planId}/draft/symptoms': { diagnosisCode: 'F32.1', description: 'Wakes at four most nights' },
    'POST /plans/{planId}/draft/impairments': { diagnosisCode: 'F32.1', description: 'Missed work twice this month' },
    'PUT /plans/{planId}/draft/service': { sessionType: 'individual', sessionMinutes: 45, frequency: { count: 2, per: 'month' }, expectedDurationWeeks: 20 },
    'POST /plans/{planId}/draft/goals': aGoalRequest({ addresses: [{ kind: 'symptom', id: pathValues.symptomId }] }),
    'PATCH /plans/{planId}/draft/goals/{goalId}': { clinicalGoal: 'Restore social activity', addresses: [{ kind: 'impairment', id: pathValues.impairmentId }] },
    'POST /plans/{planId}/draft/goals/{goalId}/discontinue': { reason: 'The client chose another goal' },
    'POST /plans/{planId}/draft/objectives': anObjectiveRequest(pathValues.goalId, {
      measure: { kind: 'behavioural', description: 'days out of the house', unit: 'days_per_week', baseline: 1, target: 4 },
    }),
    'PATCH /plans/{planId}/draft/objectives/{objectiveId}': { description: 'PHQ-9 below 8', targetDate: '2027-06-01' },
    'POST /plans/{planId}/draft/objectives/{objectiveId}/discontinue': { reason: 'Replaced' },
    'POST /plans/{planId}/draft/interventions': anInterventionRequest(pathValues.objectiveId),
    'POST /plans/{planId}/draft/interventions/{interventionId}/discontinue': { reason: 'Not helping' },
    'POST /plans/{planId}/revisions/{revision}/signatures': { signerRole: 'client', signerId: body.clientId, method: 'verbal_attested' },
    'POST /plans/{planId}/assessments': { instrument: 'PHQ-9', items: phq9(12) },
    'POST /plans/{planId}/life-events': { category: 'employment_change', impact: 'major', occurredOn: '2026-01-05', description: 'Lost her job' },
    'POST /plans/{planId}/close': { reason: 'administrative', note: 'Moved away' },
  };
  // The plan's own clinician (headers below), but the trail is the admin's.
  return { pathValues, example: examples[operation.id], ...(operation.id === 'GET /audit' ? { headers: api.callers.admin() } : {}) };
};

test('no hostile request makes the plan service answer 5xx, and none it refuses changes what it stores', async () => {
  // Imported once the fixture has set the environment: the module reads its configuration when it loads.
  const [{ PLAN_API }, { PlanModule }] = await Promise.all([import('./app'), import('./plan.module')]);
  const document = await openApiDocumentFor(PlanModule, PLAN_API);
  const report = await runHostileInput({
    fixture: api,
    document,
    headers: as(),
    prepare,
    settle: async () => {
      await api.app.get(PlanSummariesProjection).drain();
    },
  });
  expect(report.endpoints).toBe(Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0));
  expect(report.requests).toBe(report.endpoints * hostileRuns());
  expect(Object.keys(report.statuses).filter((status) => Number(status) >= 500)).toEqual([]);
  if (process.env.HOSTILE_REPORT === '1') console.log(JSON.stringify(report, null, 2));
  // About 30 ms a request on this machine; `npm run test:hostile` raises the runs, and the timeout with them.
}, 120_000 + hostileRuns() * 6_000);
