import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { startPlanApi, type PlanApiFixture } from './test-support/plan-api.fixture';
import { aGoalRequest, anObjectiveRequest, anOpenPlanRequest } from './test-support/plan-requests';

// Each class of hostile input of issue 8, as a client meets it: the exact problem body (docs/input-limits.md,
// docs/errors.md). The property-based sweep over every endpoint is plan-api.hostile.int.spec.ts.

let api: PlanApiFixture;
beforeAll(async () => {
  api = await startPlanApi('plan_input');
});
afterAll(async () => api?.close());

const as = () => api.asClinician();

const problem = (status: number, code: string, detail: string, instance: string, problems: { field: string; reason: string }[] = [], extensions = {}) => ({
  type: `urn:goldenloop:problem:${code}`,
  title: (code.charAt(0).toUpperCase() + code.slice(1)).replace(/_/g, ' '),
  status,
  detail,
  code,
  problems,
  instance,
  ...extensions,
});

/** One field at fault, its reason the detail (the HTTP layer's own refusals). */
const refusal = (status: number, code: string, field: string, detail: string, instance: string) => problem(status, code, detail, instance, [{ field, reason: detail }]);

const invalid = (instance: string, ...problems: { field: string; reason: string }[]) => problem(400, 'validation_failed', 'The request has invalid fields.', instance, problems);

const openDraft = async (overrides: Record<string, unknown> = {}) => {
  const response = await api.http().post('/plans').set(as()).send(anOpenPlanRequest(overrides)).expect(201);
  return response.body.planId as string;
};

const today = () => new Date().toISOString().slice(0, 10);
const yearsFrom = (day: string, years: number) => `${String(Number(day.slice(0, 4)) + years).padStart(4, '0')}${day.slice(4)}`;

describe('5xx from input, now the 4xx each mistake deserves', () => {
  test('an unsupported charset is 415 unsupported_charset', async () => {
    const response = await api.http().post('/plans').set(as()).set('Content-Type', 'application/json; charset=latin1').send(JSON.stringify(anOpenPlanRequest()));
    expect(response.status).toBe(415);
    expect(response.body).toEqual(refusal(415, 'unsupported_charset', 'Content-Type', 'The charset is not supported; send JSON as UTF-8.', '/plans'));
  });

  test('an unknown Content-Encoding is 415, and a gzip body that does not inflate is 400 content_encoding_invalid', async () => {
    const unknown = await api.http().post('/plans').set(as()).set('Content-Type', 'application/json').set('Content-Encoding', 'compress').send(JSON.stringify(anOpenPlanRequest()));
    expect(unknown.status).toBe(415);
    expect(unknown.body).toEqual(
      refusal(415, 'unsupported_content_encoding', 'Content-Encoding', 'The Content-Encoding is not supported; send the body as identity, gzip, deflate, br or zstd.', '/plans'),
    );
    const broken = await api.http().post('/plans').set(as()).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"not":"gzip"}');
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual(
      refusal(400, 'content_encoding_invalid', 'Content-Encoding', 'The request body is not valid gzip data, as its Content-Encoding says it is.', '/plans'),
    );
    // A body that is what it says is read.
    await api.http().post('/plans').set(as()).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip')
      // As they are: superagent would serialise a Buffer sent as application/json.
      .serialize((bytes: unknown) => bytes as string)
      .send(gzipSync(JSON.stringify(anOpenPlanRequest())))
      .expect(201);
  });

  test('a body that is not JSON is 415 unsupported_media_type', async () => {
    const response = await api.http().post('/plans').set(as()).set('Content-Type', 'text/plain').send(JSON.stringify(anOpenPlanRequest()));
    expect(response.status).toBe(415);
    expect(response.body).toEqual(
      refusal(415, 'unsupported_media_type', 'Content-Type', 'The request body must be JSON: send it with Content-Type: application/json (not text/plain).', '/plans'),
    );
  });

  test('JSON nested 1,500 deep (it overflowed the stack) is 400 body_too_deep, at the level that crosses the limit', async () => {
    const body = JSON.stringify(anOpenPlanRequest()).replace('"strengths":[', `"strengths":[${'['.repeat(1500)}${']'.repeat(1500)},`);
    const response = await api.http().post('/plans').set(as()).set('Content-Type', 'application/json').send(body);
    const path = `strengths${'[0]'.repeat(9)}`;
    expect(response.status).toBe(400);
    expect(response.body).toEqual(refusal(400, 'body_too_deep', path, `${path} nests deeper than 10 levels of objects and arrays, the most a body may have.`, '/plans'));
  });

  test.each([
    ['NUL', 'a\u0000b', 'presentingProblem contains a NUL character (U+0000), which cannot be stored.'],
    ['a lone surrogate', 'a\ud800b', 'presentingProblem contains a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair), which is not text and cannot be stored.'],
  ])('text PostgreSQL jsonb refuses (%s) is 400 text_unstorable, before any insert', async (_, presentingProblem, detail) => {
    const response = await api.http().post('/plans').set(as()).send(anOpenPlanRequest({ presentingProblem }));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(refusal(400, 'text_unstorable', 'presentingProblem', detail, '/plans'));
  });

  test('upper-case UUIDs are taken and kept lower-case, as the contract wants them', async () => {
    const [planId, clientId, clinicianId, symptomId] = [randomUUID(), randomUUID(), api.userId, randomUUID()];
    const body = anOpenPlanRequest({
      planId: planId.toUpperCase(),
      clientId: clientId.toUpperCase(),
      clinicianId: clinicianId.toUpperCase(),
      symptoms: [{ id: symptomId.toUpperCase(), diagnosisCode: 'F32.1', description: 'Low mood' }],
    });
    const opened = await api.http().post('/plans').set(as()).send(body).expect(201);
    expect(opened.body.planId).toBe(planId);
    const goal = aGoalRequest({ addresses: [{ kind: 'symptom', id: symptomId.toUpperCase() }] });
    await api.http().post(`/plans/${planId.toUpperCase()}/draft/goals`).set(as()).send(goal).expect(201);
    const [published] = await api.publishedFor(planId, (events) => events.length >= 1);
    expect(published.payload).toMatchObject({ planId, clientId, clinicianId });
    const plan = await api.http().get(`/plans/${planId}`).set(as()).expect(200);
    expect(plan.body.draft.content.goals[0].addresses).toEqual([{ kind: 'symptom', id: symptomId }]);
  });

  test('the 26th diagnosis, added one at a time, is 409 collection_full; the plan at the limit can still be signed', async () => {
    const body = anOpenPlanRequest();
    const planId = (await api.http().post('/plans').set(as()).send(body).expect(201)).body.planId as string;
    for (let i = 0; i < 24; i += 1) {
      await api.http().post(`/plans/${planId}/draft/diagnoses`).set(as()).send({ code: `F${40 + i}.0`, description: 'More' }).expect(201);
    }
    const response = await api.http().post(`/plans/${planId}/draft/diagnoses`).set(as()).send({ code: 'F99', description: 'One more' });
    expect(response.status).toBe(409);
    expect(response.body).toEqual(
      problem(
        409,
        'collection_full',
        'This revision already has 25 diagnoses, the most a plan can hold; remove one that nothing addresses before adding another.',
        `/plans/${planId}/draft/diagnoses`,
        [{ field: 'diagnoses', reason: 'This revision already has 25 diagnoses, the most a plan can hold; remove one that nothing addresses before adding another.' }],
        { collection: 'diagnoses', limit: 25 },
      ),
    );
    for (let i = 0; i < 50; i += 1) await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201);
    const goal51 = await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest());
    expect(goal51.status).toBe(409);
    expect(goal51.body).toMatchObject({ code: 'collection_full', collection: 'goals', limit: 50, problems: [{ field: 'goals' }] });
    for (const [signerRole, signerId] of [['client', body.clientId], ['clinician', body.clinicianId]] as const) {
      await api.http().post(`/plans/${planId}/revisions/1/signatures`).set(as()).send({ signerRole, signerId, method: signerRole === 'client' ? 'verbal_attested' : 'electronic' }).expect(201);
    }
    const events = await api.settledFor(planId);
    const revised = events.find((event) => event.name === 'PlanRevised');
    if (revised?.name !== 'PlanRevised') throw new Error('no PlanRevised was published');
    expect(revised.payload.revisedPlan.diagnoses).toHaveLength(25);
    expect(revised.payload.revisedPlan.goals).toHaveLength(50);
  });

  test.each(['1e308', '1e3', '+1', '0x10', '0', '10001'])('page=%s is 400, not 1,000 or Infinity', async (page) => {
    const response = await api.http().get(`/plans?clientId=${randomUUID()}&page=${encodeURIComponent(page)}`).set(as());
    expect(response.status).toBe(400);
    expect(response.body).toEqual(invalid('/plans', { field: 'page', reason: 'page must be a whole number from 1 to 10000, written in digits' }));
  });

  test.each(['2026-W01', '20260101', '2026-03-01'])('?at=%s, which Date cannot read as an instant, is 400', async (at) => {
    const planId = await openDraft();
    const response = await api.http().get(`/plans/${planId}/as-of?at=${at}`).set(as());
    expect(response.status).toBe(400);
    expect(response.body).toEqual(invalid(`/plans/${planId}/as-of`, { field: 'at', reason: 'at must be an RFC 3339 date-time with its offset, such as 2026-03-01T09:30:00Z' }));
  });

  test.each(['2026-W01', '20260101', '2026-02-30'])('a life event on %s is 400 naming occurredOn', async (occurredOn) => {
    const planId = await openDraft();
    const response = await api.http().post(`/plans/${planId}/life-events`).set(as()).send({ category: 'other', impact: 'minor', occurredOn, description: 'x' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(invalid(`/plans/${planId}/life-events`, { field: 'occurredOn', reason: 'occurredOn must be a calendar date written YYYY-MM-DD, such as 2026-03-01' }));
  });

  test('a path whose percent-encoding does not decode is 400 malformed_path', async () => {
    const response = await api.http().get('/plans/%E0%A4%A').set(as());
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      refusal(400, 'malformed_path', '(path)', 'The path has a malformed percent-encoding (a % must be followed by two hex digits of UTF-8).', '/plans/%E0%A4%A'),
    );
  });
});

describe('accepted, but wrong: now refused', () => {
  test.each(['0x1', '+1', '1e0', '%201', '01'])('revision %s in the path is refused, not read as 1', async (revision) => {
    const planId = await openDraft();
    const instance = `/plans/${planId}/revisions/${revision}/signatures`;
    const response = await api.http().post(instance).set(as()).send({ signerRole: 'client', signerId: randomUUID(), method: 'electronic' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(invalid(instance, { field: 'revision', reason: 'must be a positive whole number written in digits' }));
  });

  test.each(['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'])('planId %s, which no path route takes, is refused in the body too', async (planId) => {
    const response = await api.http().post('/plans').set(as()).send(anOpenPlanRequest({ planId }));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(invalid('/plans', { field: 'planId', reason: 'planId must be a UUID' }));
    expect((await api.http().get(`/plans/${planId}`).set(as())).body).toEqual(invalid(`/plans/${planId}`, { field: 'planId', reason: 'must be a UUID' }));
  });

  test('an objective target date before the plan opened, or in 9999, is 400 date_out_of_range', async () => {
    const planId = await openDraft();
    const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
    const opened = ((await api.http().get(`/plans/${planId}`).set(as()).expect(200)).body.openedAt as string).slice(0, 10);
    const instance = `/plans/${planId}/draft/objectives`;
    const before = await api.http().post(instance).set(as()).send(anObjectiveRequest(goalId, { targetDate: '2020-01-01' }));
    const reasonBefore = `The target date 2020-01-01 is before the plan opened (${opened}).`;
    expect(before.body).toEqual(problem(400, 'date_out_of_range', reasonBefore, instance, [{ field: 'targetDate', reason: reasonBefore }]));
    const far = await api.http().post(instance).set(as()).send(anObjectiveRequest(goalId, { targetDate: '9999-12-31' }));
    const reasonFar = `The target date 9999-12-31 is more than 10 years ahead; the latest is ${yearsFrom(today(), 10)}.`;
    expect(far.body).toEqual(problem(400, 'date_out_of_range', reasonFar, instance, [{ field: 'targetDate', reason: reasonFar }]));
  });

  test('a life event in the year 1000 is 400 date_out_of_range', async () => {
    const planId = await openDraft();
    const instance = `/plans/${planId}/life-events`;
    const response = await api.http().post(instance).set(as()).send({ category: 'bereavement', impact: 'major', occurredOn: '1000-01-01', description: 'x' });
    const reason = `The date 1000-01-01 is more than 120 years ago; the earliest is ${yearsFrom(today(), -120)}.`;
    expect(response.body).toEqual(problem(400, 'date_out_of_range', reason, instance, [{ field: 'occurredOn', reason }]));
  });

  test.each([
    ['days_per_week', 1000, 'The baseline must be a number from 0 to 7 days a week.'],
    ['percent', 5000, 'The baseline must be a number from 0 to 100 percent.'],
  ])('%s %i is 400 objective_not_measurable', async (unit, baseline, reason) => {
    const planId = await openDraft();
    const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
    const instance = `/plans/${planId}/draft/objectives`;
    const measure = { kind: 'behavioural', description: 'what is counted', unit, baseline, target: 1 };
    const response = await api.http().post(instance).set(as()).send(anObjectiveRequest(goalId, { measure }));
    expect(response.body).toEqual(problem(400, 'objective_not_measurable', reason, instance, [{ field: 'measure.baseline', reason }]));
  });

  test('a PATCH of a goal is held to the links cap of the POST: 2,500, 21 and duplicate links are refused', async () => {
    const planId = await openDraft();
    const goalId = (await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest()).expect(201)).body.id as string;
    const instance = `/plans/${planId}/draft/goals/${goalId}`;
    const link = { kind: 'diagnosis', id: 'F32.1' };
    const huge = await api.http().patch(instance).set(as()).send({ addresses: new Array(2500).fill(link) });
    expect(huge.body).toEqual(refusal(400, 'array_too_long', 'addresses', 'addresses has 2500 elements; no list may have more than 200.', instance));
    const over = await api.http().patch(instance).set(as()).send({ addresses: new Array(21).fill(link) });
    expect(over.body).toEqual(invalid(instance, { field: 'addresses', reason: 'addresses must contain no more than 20 elements' }));
    const twice = await api.http().patch(instance).set(as()).send({ addresses: [link, link] });
    expect(twice.body).toEqual(problem(400, 'field_invalid', 'The diagnosis F32.1 is listed twice.', instance, [{ field: 'addresses[1]', reason: 'The diagnosis F32.1 is listed twice.' }]));
  });

  test.each([
    ['a control character', 'Back to work\u0007', 'text_control_character', 'clientGoal contains the control character U+0007; text may hold tab, line feed and carriage return, no other control.'],
    [
      'an RTL override',
      'Back to \u202ekrow',
      'text_bidi_control',
      'clientGoal contains the bidirectional formatting character U+202E, which can make text display differently from what is stored; right-to-left text needs none (the display orders it), so send it without.',
    ],
    ['zero-width text only', '\u200b\u200b', 'text_invisible', 'clientGoal has no visible character, only zero-width or other invisible formatting characters.'],
  ])('clinical text with %s is refused: 400 %s', async (_, clientGoal, code, detail) => {
    const planId = await openDraft();
    const instance = `/plans/${planId}/draft/goals`;
    const response = await api.http().post(instance).set(as()).send(aGoalRequest({ clientGoal }));
    expect(response.body).toEqual(refusal(400, code, 'clientGoal', detail, instance));
  });

  test('clinical text is kept in NFC with LF line breaks', async () => {
    const planId = await openDraft();
    await api.http().post(`/plans/${planId}/draft/goals`).set(as()).send(aGoalRequest({ clientGoal: 'Cafe\u0301 with friends\r\nagain' })).expect(201);
    expect((await api.http().get(`/plans/${planId}`).set(as()).expect(200)).body.draft.content.goals[0].clientGoal).toBe('Café with friends\nagain');
  });

  test('a prototype key is refused, not silently dropped', async () => {
    const body = JSON.stringify(anOpenPlanRequest()).replace('{', '{"__proto__":{"isAdmin":true},');
    const response = await api.http().post('/plans').set(as()).set('Content-Type', 'application/json').send(body);
    expect(response.body).toEqual(refusal(400, 'prototype_key', '__proto__', '__proto__ is not accepted: "__proto__" is never a field of a Golden Loop request.', '/plans'));
  });

  test('a 413 says the limit, not that the body is malformed', async () => {
    const response = await api.http().post('/plans').set(as()).send(anOpenPlanRequest({ presentingProblem: 'x'.repeat(150_000) }));
    expect(response.status).toBe(413);
    expect(response.body).toEqual(problem(413, 'payload_too_large', 'The request body is larger than the limit of 102400 bytes (after decompression).', '/plans'));
  });
});

describe('cheap ways to slow everyone', () => {
  test('a 30 kB body of 10,000 {} is refused on its length, with one short problem', async () => {
    const body = JSON.stringify(anOpenPlanRequest({ diagnoses: new Array(10_000).fill({}) }));
    expect(body.length).toBeGreaterThan(30_000);
    const response = await api.http().post('/plans').set(as()).set('Content-Type', 'application/json').send(body);
    expect(response.body).toEqual(refusal(400, 'array_too_long', 'diagnoses', 'diagnoses has 10000 elements; no list may have more than 200.', '/plans'));
    expect(response.text.length).toBeLessThan(1_000);
  });

  test('a list just under the generic limit but over its DTO limit is refused before its elements are validated', async () => {
    const response = await api.http().post('/plans').set(as()).send(anOpenPlanRequest({ diagnoses: new Array(200).fill({}) }));
    expect(response.body).toEqual(invalid('/plans', { field: 'diagnoses', reason: 'diagnoses must contain no more than 25 elements' }));
  });
});
