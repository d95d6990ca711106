import { randomUUID } from 'node:crypto';
import type { Bundle, Observation, Provenance } from '@medplum/fhirtypes';
import { fhirValidationErrors } from './features/export-fhir/testing/fhir-validator';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';
import { aGoalRequest, anInterventionRequest, anObjectiveRequest, anOpenPlanRequest, phq9 } from './test-support/plan-requests';

// GET /plans/:planId/fhir against the real service: the plan as a FHIR R4 Bundle, validated by medplum's validator.

let api: PlanApiFixture;
beforeAll(async () => {
  api = await startPlanApi('plan_fhir');
});
afterAll(async () => api?.close());

const as = () => api.asClinician();
const resources = <T>(bundle: Bundle, type: string) => (bundle.entry ?? []).map((entry) => entry.resource).filter((resource) => resource?.resourceType === type) as T[];

/** A plan in effect (goal, objective, intervention, both signatures) with two PHQ-9 assessments; `between` is an instant between them. */
const aSignedAssessedPlan = async () => {
  const body = anOpenPlanRequest();
  const planId = (await api.http().post('/plans').set(as()).send(body).expect(201)).body.planId as string;
  const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
  const objectiveId = (await api.http().post(`/plans/${planId}/draft/objectives`).set(as()).send(anObjectiveRequest(goalId)).expect(201)).body.id as string;
  await api.http().post(`/plans/${planId}/draft/interventions`).set(as()).send(anInterventionRequest(objectiveId)).expect(201);
  await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole: 'client', signerId: body.clientId, method: 'verbal_attested' }).expect(201);
  await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole: 'clinician', signerId: api.userId, method: 'electronic' }).expect(201);
  await api.http().post(`/plans/${planId}/assessments`).set(as()).send({ instrument: 'PHQ-9', items: phq9(16) }).expect(201);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const between = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await api.http().post(`/plans/${planId}/assessments`).set(as()).send({ instrument: 'PHQ-9', items: phq9(12) }).expect(201);
  return { planId, goalId, clientId: body.clientId as string, between };
};

describe('GET /plans/:planId/fhir', () => {
  test('is a valid FHIR R4 Bundle, application/fhir+json; ?at= before the second assessment has one Observation fewer', async () => {
    const { planId, goalId, clientId, between } = await aSignedAssessedPlan();

    const response = await api.http().get(`/plans/${planId}/fhir`).set(as()).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(response.text) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(fhirValidationErrors(bundle)).toEqual([]);
    expect((bundle.entry ?? []).map((entry) => entry.resource?.resourceType)).toEqual([
      'CarePlan',
      'Condition',
      'Goal',
      'Observation',
      'Observation',
      'Provenance',
      'Provenance',
    ]);
    expect(bundle.entry?.[0].resource).toMatchObject({ id: planId, status: 'active', subject: { reference: `Patient/${clientId}` }, goal: [{ reference: `Goal/${goalId}` }] });
    expect(bundle.entry?.[0].fullUrl).toMatch(new RegExp(`/plans/${planId}/fhir/CarePlan/${planId}$`));
    const observations = resources<Observation>(bundle, 'Observation');
    expect(observations.map((observation) => [observation.code.coding?.[0].code, observation.valueInteger])).toEqual([
      ['44261-6', 16],
      ['44261-6', 12],
    ]);
    const signatures = resources<Provenance>(bundle, 'Provenance').map((provenance) => provenance.signature?.[0].who.reference);
    expect(signatures.sort()).toEqual([`Patient/${clientId}`, `Practitioner/${api.userId}`].sort());

    const before = await api.http().get(`/plans/${planId}/fhir`).set(as()).query({ at: between }).expect(200);
    const earlier = JSON.parse(before.text) as Bundle;
    expect(fhirValidationErrors(earlier)).toEqual([]);
    expect(resources<Observation>(earlier, 'Observation').map((observation) => observation.valueInteger)).toEqual([16]);
    expect(earlier.entry).toHaveLength((bundle.entry ?? []).length - 1);
  });

  test('?at= must be an instant with its offset', async () => {
    const { planId } = await aSignedAssessedPlan();
    const refused = await api.http().get(`/plans/${planId}/fhir`).set(as()).query({ at: 'yesterday' }).expect(400);
    expect(refused.body.problems).toEqual([expect.objectContaining({ field: 'at' })]);
  });

  test("another clinician's token gets the 404 of a plan that does not exist", async () => {
    const { planId } = await aSignedAssessedPlan();
    const stranger = api.callers.clinician(randomUUID());
    const hidden = await api.http().get(`/plans/${planId}/fhir`).set(stranger).expect(404);
    expect(hidden.body).toMatchObject({ code: 'plan_not_found' });
    expect(hidden.text).not.toContain('Reduce depressive symptoms');
  });
});
