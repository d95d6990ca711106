#!/usr/bin/env node
// `npm run demo`: the golden loop once through, against the running system (`npm start` in another terminal).
//  1. An admin sets the clinician's supervisor (review-scheduler) and licences (billing-readiness).
//  2. The clinician opens a Medicaid plan: diagnosis, symptom, impairment, a goal in the client's words, an objective,
//     an intervention; the client signs with their own token, the clinician signs: revision 1 is in effect.
//  3. Billing records the payer's authorization; readiness turns ready.
//  4. A PHQ-9 much worse than the last one: SymptomsChanged. review-scheduler opens an urgent plan-update task in the
//     clinician's inbox; billing-readiness turns at_risk (the plan does not reflect the change yet).
//  5. The clinician revises the plan answering the change; both sign. The task closes, readiness is ready again.
// Every step prints what the services answered. Exits non-zero when the loop does not close.
// Also used by the end-to-end test (infra/demo/demo.e2e.int.spec.ts) against in-process services.
const { randomUUID } = require('node:crypto');

/** Free text the demo sends: none of it may appear on Kafka or in a log line (the e2e test checks). */
const FREE_TEXT = {
  presentingProblem: 'Low mood since her mother died in the spring; stopped going to choir.',
  strength: 'sings with her granddaughter on Sundays',
  symptom: 'Wakes before dawn most days and cannot get back to sleep',
  impairment: 'Has not left the house for choir practice in six weeks',
  clientGoal: 'I want to get back to singing at church with my friends',
  clinicalGoal: 'Reduce depressive symptoms and restore valued social activity',
  objective: 'PHQ-9 below 10 at two consecutive sessions',
  intervention: 'Weekly behavioural activation with an activity diary',
  revisionNote: 'Added grief-focused work after the PHQ-9 rose sharply',
};
const MEDICAID = 'a1000000-0000-4000-8000-000000000001';

const phq9 = (total) => {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0, left = total; i < 8 && left > 0; i++) left -= items[i] = Math.min(3, left);
  return items;
};

/**
 * Runs the story. `urls`: base URLs of plan, review and billing; `mint(claims)`: a token their issuer signed;
 * `say(line)`: where the narrative goes. Resolves with the ids it made and what the services answered at the end.
 */
const runDemo = async ({ urls, mint, say = (line) => console.log(line), timeoutMs = 60_000 }) => {
  const clinicianId = randomUUID();
  const clientId = randomUUID();
  const supervisorId = randomUUID();
  const as = {
    clinician: `Bearer ${mint({ sub: clinicianId, roles: ['clinician'] })}`,
    client: `Bearer ${mint({ sub: clientId, roles: ['client'] })}`,
    supervisor: `Bearer ${mint({ sub: supervisorId, roles: ['supervisor'], supervises: [clinicianId] })}`,
    billing: `Bearer ${mint({ sub: randomUUID(), roles: ['billing'] })}`,
    admin: `Bearer ${mint({ sub: randomUUID(), roles: ['admin'] })}`,
  };
  const call = async (service, method, path, token, body, expected = [200, 201]) => {
    const response = await fetch(`${urls[service]}${path}`, {
      method,
      headers: { authorization: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${method} ${service}${path} answered ${response.status}: ${text}`);
    return text === '' ? {} : JSON.parse(text);
  };
  const until = async (what, read, done) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const sign = async (planId, revision) => {
    await call('plan', 'POST', `/plans/${planId}/revisions/${revision}/signatures`, as.client, { signerRole: 'client', signerId: clientId, method: 'electronic' });
    await call('plan', 'POST', `/plans/${planId}/revisions/${revision}/signatures`, as.clinician, { signerRole: 'clinician', signerId: clinicianId, method: 'electronic' });
  };

  say(`1. clinician ${clinicianId}, supervisor ${supervisorId}, client ${clientId}`);
  await call('review', 'PUT', `/clinicians/${clinicianId}/supervision`, as.admin, { supervisorId, teamId: randomUUID() });
  await call('billing', 'PUT', `/clinicians/${clinicianId}/credentials`, as.admin, { credentials: ['lcsw'] });

  const opened = await call('plan', 'POST', '/plans', as.clinician, {
    clientId,
    payerId: MEDICAID,
    presentingProblem: FREE_TEXT.presentingProblem,
    strengths: [FREE_TEXT.strength],
    diagnoses: [{ code: 'F32.1', rank: 'primary', description: 'Major depressive disorder, single episode, moderate' }],
    symptoms: [{ diagnosisCode: 'F32.1', description: FREE_TEXT.symptom }],
    impairments: [{ diagnosisCode: 'F32.1', description: FREE_TEXT.impairment }],
    service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
  });
  const planId = opened.planId;
  const goal = await call('plan', 'POST', `/plans/${planId}/draft/goals`, as.clinician, { clientGoal: FREE_TEXT.clientGoal, clinicalGoal: FREE_TEXT.clinicalGoal, addresses: [{ kind: 'diagnosis', id: 'F32.1' }] });
  const targetDate = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
  const objective = await call('plan', 'POST', `/plans/${planId}/draft/objectives`, as.clinician, {
    goalId: goal.id,
    description: FREE_TEXT.objective,
    measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 14, target: 9 },
    targetDate,
  });
  await call('plan', 'POST', `/plans/${planId}/draft/interventions`, as.clinician, { objectiveId: objective.id, modality: 'behavioural_activation', description: FREE_TEXT.intervention, frequency: { count: 1, per: 'week' } });
  await call('plan', 'POST', `/plans/${planId}/assessments`, as.clinician, { instrument: 'PHQ-9', items: phq9(14) });
  await sign(planId, 1);
  say(`2. plan ${planId} opened and signed by client and clinician: revision 1 in effect`);

  const today = new Date().toISOString().slice(0, 10);
  const endsOn = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
  await until('billing to hear of the plan', () => call('billing', 'GET', `/plans/${planId}/readiness`, as.billing, undefined, [200, 404]), (r) => r.planId === planId && r.revisionInEffect === 1);
  await call('billing', 'POST', `/plans/${planId}/authorizations`, as.billing, { authorizationNumber: 'PA-DEMO-0001', serviceCodes: ['90837'], sessionsAuthorized: 16, startsOn: today, endsOn });
  const first = await until('a readiness check after the authorization', () => call('billing', 'GET', `/plans/${planId}/readiness`, as.billing), (r) => r.latestCheck !== null);
  say(`3. authorization recorded; readiness ${first.latestCheck.outcome} (${first.latestCheck.findings.map((f) => f.code).join(', ') || 'no findings'})`);

  await call('plan', 'POST', `/plans/${planId}/assessments`, as.clinician, { instrument: 'PHQ-9', items: phq9(22) });
  const inbox = await until('a plan-update task in the inbox', () => call('review', 'GET', `/clinicians/${clinicianId}/inbox`, as.clinician), (page) => page.items.some((task) => task.planId === planId && task.kind === 'plan_update'));
  const task = inbox.items.find((item) => item.planId === planId && item.kind === 'plan_update');
  const atRisk = await until('billing to see the change', () => call('billing', 'GET', `/plans/${planId}/readiness`, as.clinician), (r) => r.latestCheck.outcome !== 'ready' && r.latestCheck.findings.some((f) => f.code === 'clinical_change_not_reflected'));
  say(`4. PHQ-9 14 → 22: task ${task.taskId} (${task.urgency}, due ${task.dueAt}, reasons ${task.reasons.join(', ')}); readiness ${atRisk.latestCheck.outcome}`);

  const plan = await call('plan', 'GET', `/plans/${planId}`, as.clinician);
  const open = plan.triggers.filter((trigger) => trigger.answeredInRevision === null).map(({ type, id }) => ({ type, id }));
  await call('plan', 'POST', `/plans/${planId}/revisions`, as.clinician, { reason: 'symptom_change', note: FREE_TEXT.revisionNote, triggers: open });
  await sign(planId, 2);
  const closed = await until('the task to close', () => call('review', 'GET', `/plans/${planId}/review-tasks/${task.taskId}`, as.supervisor), (t) => t.status !== 'open');
  const after = await until('readiness after the revision', () => call('billing', 'GET', `/plans/${planId}/readiness`, as.billing), (r) => r.revisionInEffect === 2 && !r.latestCheck.findings.some((f) => f.code === 'clinical_change_not_reflected'));
  say(`5. revision 2 in effect: task ${closed.status} (${closed.completion?.resolution}); readiness ${after.latestCheck.outcome}`);
  return { planId, clinicianId, clientId, supervisorId, taskId: task.taskId, task: closed, readiness: after };
};

module.exports = { runDemo, FREE_TEXT };

if (require.main === module) {
  const { devIssuer } = require('../auth/dev-issuer.cjs');
  const issuer = devIssuer();
  const urls = {
    plan: process.env.PLAN_URL ?? 'http://127.0.0.1:3001',
    review: process.env.REVIEW_URL ?? 'http://127.0.0.1:3002',
    billing: process.env.BILLING_URL ?? 'http://127.0.0.1:3003',
  };
  runDemo({ urls, mint: (claims) => issuer.mint(claims) }).then(
    () => console.log('The loop closed: a clinical change became a task, a revision closed it, billing followed.'),
    (error) => {
      console.error(`The demo failed: ${error.message}\n(Is the system running? npm start, in another terminal.)`);
      process.exit(1);
    },
  );
}
