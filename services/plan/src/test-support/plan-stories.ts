import { randomUUID } from 'node:crypto';
import type { PlanApiFixture } from './plan-api.fixture';
import { aGoalRequest, anInterventionRequest, anObjectiveRequest, anOpenPlanRequest } from './plan-requests';

/**
 * A plan in effect (revision 1 signed by both) with revision 2 open, unless `draft` is false: two diagnoses, a
 * symptom, an impairment, a goal with an objective and an intervention. Every path parameter of the API names one
 * of its things (`pathValues`), which is what the hostile-input suite and the access matrix call every endpoint with.
 */
export const aPlanWithEverything = async (api: PlanApiFixture, { draft = true }: { draft?: boolean } = {}) => {
  const as = () => api.asClinician();
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
  const interventionId = (await api.http().post(`/plans/${planId}/draft/interventions`).set(as()).send(anInterventionRequest(objectiveId)).expect(201)).body.id as string;
  // The clinician records the client's in-session attestation, then signs as themself (docs/security.md).
  await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole: 'client', signerId: body.clientId, method: 'verbal_attested' }).expect(201);
  await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole: 'clinician', signerId: api.userId, method: 'electronic' }).expect(201);
  if (draft) await api.http().post(`/plans/${planId}/revisions`).set(as()).send({ reason: 'clinical_judgement', triggers: [] }).expect(201);
  const pathValues = { planId, goalId, objectiveId, interventionId, symptomId, impairmentId, revision: '2', code: 'F41.1' };
  return { planId, clientId: body.clientId as string, pathValues, body };
};
