import { openApiDocumentFor } from '@golden-loop/service-kit';
import { hostileRuns, runHostileInput, type Operation, type PreparedOperation } from '@golden-loop/service-testing';
import { PlanSummariesProjection } from './read-models/plan-summaries.projection';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';
import { aPlanWithEverything } from './test-support/plan-stories';
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

/** What each endpoint is given: a plan whose things its path names, and a body it accepts. */
const prepare = async (operation: Operation): Promise<PreparedOperation> => {
  const { pathValues, body } = await aPlanWithEverything(api, { draft: operation.id !== 'POST /plans/{planId}/revisions' });
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
