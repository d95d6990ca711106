import { randomUUID } from 'node:crypto';
import type { DecodedEvent } from '@golden-loop/contracts';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';
import { aGoalRequest, anInterventionRequest, anObjectiveRequest, anOpenPlanRequest, phq9 } from './test-support/plan-requests';

// Dates that come from the clinic (docs/clinical-dates.md): the plan's start, when each score was administered and
// when each signature was given, over HTTP, with what reaches Kafka. The 8-week non-response and 6-week plateau
// rules need weeks of treatment, which these dates give without waiting for them.

let api: PlanApiFixture;
beforeAll(async () => {
  api = await startPlanApi('plan_dates');
});
afterAll(async () => api?.close());

const as = () => api.asClinician();
const names = (events: DecodedEvent[]) => events.map((event) => event.name);
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
const at = (milliseconds: number) => new Date(milliseconds).toISOString();

/** A plan whose treatment started at `openedAt`, revision 1 in effect (signed by both). */
const planInEffect = async (openedAt?: string) => {
  const body = anOpenPlanRequest(openedAt === undefined ? {} : { openedAt });
  const planId = (await api.http().post('/plans').set(as()).send(body).expect(201)).body.planId as string;
  const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
  const objectiveId = (await api.http().post(`/plans/${planId}/draft/objectives`).set(as()).send(anObjectiveRequest(goalId)).expect(201)).body.id as string;
  await api.http().post(`/plans/${planId}/draft/interventions`).set(as()).send(anInterventionRequest(objectiveId)).expect(201);
  await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole: 'client', signerId: body.clientId, method: 'verbal_attested' }).expect(201);
  await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole: 'clinician', signerId: api.userId, method: 'electronic' }).expect(201);
  return { planId, clientId: body.clientId };
};

const recordPhq9 = (planId: string, items: number[], administeredAt?: string) =>
  api.http().post(`/plans/${planId}/assessments`).set(as()).send({ instrument: 'PHQ-9', items, ...(administeredAt === undefined ? {} : { administeredAt }) });

const published = async (planId: string, name: string) => (await api.settledFor(planId)).filter((event) => event.name === name);

describe('the 8-week non-response rule through the API', () => {
  test('a PHQ-9 of 18 at intake and 16 nine weeks into treatment puts one non-response SymptomsChanged on Kafka', async () => {
    const start = Date.now() - 10 * WEEK_MS;
    const { planId } = await planInEffect(at(start));
    const intake = await recordPhq9(planId, phq9(18), at(start)).expect(201);
    expect(intake.body.events).toEqual(['AssessmentRecorded']);
    const nineWeeks = await recordPhq9(planId, phq9(16), at(start + 9 * WEEK_MS)).expect(201);
    expect(nineWeeks.body.events).toEqual(['AssessmentRecorded', 'SymptomsChanged']);

    const events = await api.settledFor(planId);
    expect(events.find((event) => event.name === 'PlanOpened')?.payload).toMatchObject({ openedAt: at(start) });
    expect(events.filter((event) => event.name === 'AssessmentRecorded').map((event) => event.payload)).toEqual([
      expect.objectContaining({ assessmentId: intake.body.id, score: 18, assessedAt: at(start) }),
      expect.objectContaining({ assessmentId: nineWeeks.body.id, score: 16, assessedAt: at(start + 9 * WEEK_MS) }),
    ]);
    const changes = events.filter((event) => event.name === 'SymptomsChanged');
    expect(changes).toHaveLength(1);
    expect(changes[0].payload).toEqual({
      planId,
      assessmentId: nineWeeks.body.id,
      previousAssessmentId: intake.body.id,
      instrument: 'PHQ-9',
      loinc: '44261-6',
      previousScore: 18,
      newScore: 16,
      previousBand: 'moderately_severe',
      newBand: 'moderately_severe',
      direction: 'improved',
      reasons: ['non_response'],
      urgency: 'routine',
      occurredAt: expect.any(String),
      comparison: 'previous_score',
    });
    // The change was recorded now; the review clock starts then, not nine weeks ago.
    expect(Date.parse(changes[0].payload.occurredAt)).toBeGreaterThan(Date.now() - HOUR_MS);
  });

  test('the same scores seven weeks into treatment are not yet non-response', async () => {
    const start = Date.now() - 8 * WEEK_MS;
    const { planId } = await planInEffect(at(start));
    await recordPhq9(planId, phq9(18), at(start)).expect(201);
    const sevenWeeks = await recordPhq9(planId, phq9(16), at(start + 7 * WEEK_MS)).expect(201);
    expect(sevenWeeks.body.events).toEqual(['AssessmentRecorded']);
    expect(names(await api.settledFor(planId))).not.toContain('SymptomsChanged');
  });
});

describe('the 6-week plateau rule through the API', () => {
  test('three PHQ-9s of 16, 16 and 15 over six weeks put one plateau SymptomsChanged on Kafka', async () => {
    const start = Date.now() - 7 * WEEK_MS;
    const { planId } = await planInEffect(at(start));
    await recordPhq9(planId, phq9(16), at(start)).expect(201);
    const second = await recordPhq9(planId, phq9(16), at(start + 3 * WEEK_MS)).expect(201);
    expect(second.body.events).toEqual(['AssessmentRecorded']);
    const third = await recordPhq9(planId, phq9(15), at(start + 6 * WEEK_MS)).expect(201);
    expect(third.body.events).toEqual(['AssessmentRecorded', 'SymptomsChanged']);

    const changes = await published(planId, 'SymptomsChanged');
    expect(changes.map((event) => event.payload)).toEqual([
      expect.objectContaining({
        assessmentId: third.body.id,
        previousAssessmentId: second.body.id,
        previousScore: 16,
        newScore: 15,
        direction: 'improved',
        reasons: ['plateau'],
        urgency: 'routine',
        comparison: 'previous_score',
      }),
    ]);
  });

  test('the same three scores over five weeks are not a plateau yet', async () => {
    const start = Date.now() - 6 * WEEK_MS;
    const { planId } = await planInEffect(at(start));
    await recordPhq9(planId, phq9(16), at(start)).expect(201);
    await recordPhq9(planId, phq9(16), at(start + 3 * WEEK_MS)).expect(201);
    const third = await recordPhq9(planId, phq9(15), at(start + 5 * WEEK_MS)).expect(201);
    expect(third.body.events).toEqual(['AssessmentRecorded']);
  });
});

describe('a score entered late', () => {
  test('is compared with the score administered before it; the later score raises nothing again', async () => {
    const start = Date.now() - 3 * WEEK_MS;
    const { planId } = await planInEffect(at(start));
    const first = await recordPhq9(planId, phq9(8), at(start)).expect(201);
    await recordPhq9(planId, phq9(9), at(start + 2 * WEEK_MS)).expect(201);
    const late = await recordPhq9(planId, phq9(16), at(start + WEEK_MS)).expect(201);
    expect(late.body.events).toEqual(['AssessmentRecorded', 'SymptomsChanged']);

    const events = await api.settledFor(planId);
    expect(names(events).filter((name) => name === 'SymptomsChanged')).toHaveLength(1);
    expect(events.find((event) => event.name === 'SymptomsChanged')?.payload).toMatchObject({
      assessmentId: late.body.id,
      previousAssessmentId: first.body.id,
      previousScore: 8,
      newScore: 16,
      direction: 'worsened',
    });
  });
});

describe('a first-ever score with the safety flag', () => {
  test('says on Kafka that there was no previous score (comparison), with the previous fields null', async () => {
    const { planId } = await planInEffect();
    const flagged = await recordPhq9(planId, phq9(10, 1)).expect(201);
    const [change] = await published(planId, 'SymptomsChanged');
    expect(change.payload).toMatchObject({
      assessmentId: flagged.body.id,
      previousAssessmentId: null,
      previousScore: null,
      previousBand: null,
      comparison: 'no_previous_score',
      // v1's value for "no previous score", kept for consumers that do not read comparison yet.
      direction: 'unchanged',
      reasons: ['safety_flag'],
      urgency: 'urgent',
    });
  });
});

describe('signatures given before they are entered', () => {
  test('signedAt is the attestation’s time on PlanSigned', async () => {
    const start = Date.now() - 2 * 24 * HOUR_MS;
    const body = anOpenPlanRequest({ openedAt: at(start) });
    const planId = (await api.http().post('/plans').set(as()).send(body).expect(201)).body.planId as string;
    const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
    await api.http().post(`/plans/${planId}/draft/objectives`).set(as()).send(anObjectiveRequest(goalId)).expect(201);
    const signedAt = at(start + HOUR_MS);
    await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole: 'client', signerId: body.clientId, method: 'wet_ink_scanned', signedAt }).expect(201);
    const [signed] = await published(planId, 'PlanSigned');
    expect(signed.payload).toMatchObject({ signerRole: 'client', method: 'wet_ink_scanned', signedAt });
  });
});

describe('dates that cannot be right get a 400 naming the field, and nothing is stored', () => {
  const problemOf = (instance: string, field: string, reason: string) => ({
    type: 'urn:goldenloop:problem:date_out_of_range',
    title: 'Date out of range',
    status: 400,
    detail: reason,
    code: 'date_out_of_range',
    problems: [{ field, reason }],
    instance,
  });
  const snapshot = async (planId: string) => ({
    version: (await api.http().get(`/plans/${planId}`).set(as()).expect(200)).body.version as number,
    published: names(await api.settledFor(planId)),
  });

  test('an assessment administered tomorrow', async () => {
    const { planId } = await planInEffect();
    const before = await snapshot(planId);
    const tomorrow = at(Date.now() + 24 * HOUR_MS);
    const response = await recordPhq9(planId, phq9(8), tomorrow).expect(400);
    const reason = response.body.detail as string;
    expect(reason).toMatch(new RegExp(`^The time the assessment was administered \\(${tomorrow.replace(/[.]/g, '\\.')}\\) is in the future; it can be at most 5 minutes ahead of the service's clock \\(`));
    expect(response.body).toEqual(problemOf(`/plans/${planId}/assessments`, 'administeredAt', reason));
    expect(await snapshot(planId)).toEqual(before);
  });

  test('an assessment administered before the plan opened', async () => {
    const start = Date.now() - WEEK_MS;
    const { planId } = await planInEffect(at(start));
    const before = await snapshot(planId);
    const response = await recordPhq9(planId, phq9(8), at(start - 24 * HOUR_MS)).expect(400);
    const reason = `The time the assessment was administered (${at(start - 24 * HOUR_MS)}) is before the plan opened (${at(start)}): the plan records one treatment, from its start (openedAt, given when the plan is opened).`;
    expect(response.body).toEqual(problemOf(`/plans/${planId}/assessments`, 'administeredAt', reason));
    expect(await snapshot(planId)).toEqual(before);
  });

  test.each([
    ['a date without a time', '2026-03-02'],
    ['a time without an offset', '2026-03-02T09:30:00'],
    ['words', 'yesterday'],
    ['a number', 1767225600000],
  ])('an administeredAt that is %s is refused by the edge', async (_, administeredAt) => {
    const { planId } = await planInEffect();
    const before = await snapshot(planId);
    const response = await api.http().post(`/plans/${planId}/assessments`).set(as()).send({ instrument: 'PHQ-9', items: phq9(8), administeredAt }).expect(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      problems: [{ field: 'administeredAt', reason: 'administeredAt must be an RFC 3339 date-time with its offset, such as 2026-03-01T09:30:00Z' }],
    });
    expect(await snapshot(planId)).toEqual(before);
  });

  test('a plan whose treatment starts next week is not opened', async () => {
    const planId = randomUUID();
    const response = await api.http().post('/plans').set(as()).send(anOpenPlanRequest({ planId, openedAt: at(Date.now() + WEEK_MS) })).expect(400);
    expect(response.body).toMatchObject({ code: 'date_out_of_range', problems: [{ field: 'openedAt', reason: expect.stringContaining('is in the future') }] });
    await api.http().get(`/plans/${planId}`).set(as()).expect(404);
  });

  test('a signature given before the plan opened', async () => {
    const start = Date.now() - WEEK_MS;
    const body = anOpenPlanRequest({ openedAt: at(start) });
    const planId = (await api.http().post('/plans').set(as()).send(body).expect(201)).body.planId as string;
    const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
    await api.http().post(`/plans/${planId}/draft/objectives`).set(as()).send(anObjectiveRequest(goalId)).expect(201);
    const before = await snapshot(planId);
    const response = await api.http()
      .post(`/plans/${planId}/revisions/1/signatures`)
      .set(as())
      .send({ signerRole: 'client', signerId: body.clientId, method: 'wet_ink_scanned', signedAt: at(start - HOUR_MS) })
      .expect(400);
    expect(response.body).toMatchObject({ code: 'date_out_of_range', problems: [{ field: 'signedAt', reason: expect.stringContaining('is before the plan opened') }] });
    expect(await snapshot(planId)).toEqual(before);
  });
});
