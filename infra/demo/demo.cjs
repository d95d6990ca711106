#!/usr/bin/env node
// `npm run demo`: the golden loop once through, against the running system (`npm start` in another terminal),
// through the public APIs only, printing each step as a clinician and a billing team would see it:
//  1. an admin sets the clinician's supervisor (review-scheduler) and licences (billing-readiness);
//  2. the clinician opens a Medicaid plan (a goal in the client's words, two objectives, interventions), records a
//     baseline PHQ-9 of 14; the client signs with their own token, the clinician signs: revision 1 in effect;
//  3. billing records the prior authorization: readiness `ready`;
//  4. an objective is met: a routine plan-update task;
//  5. PHQ-9 20 with item 9 above 0: the task turns urgent, a safety task opens, readiness `at_risk`;
//  6. the safety review is completed with a structured risk assessment;
//  7. a revision answering the triggers is co-signed: the task completes, readiness `ready` again;
//  8. a pre-claim check for next week's session; 9. a re-authorization request and its Da Vinci PAS bundle.
// Exits non-zero when a step does not happen in time. The end-to-end test (infra/e2e) runs the same story.
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
  activityObjective: 'Goes out for a planned activity twice a week',
  intervention: 'Weekly behavioural activation with an activity diary',
  revisionNote: 'Added grief-focused work after the PHQ-9 rose sharply',
};
const MEDICAID = 'a1000000-0000-4000-8000-000000000001';

/** PHQ-9 item responses adding up to `total`, item 9 (thoughts of self-harm) as given. */
const phq9 = (total, item9 = 0) => {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  for (let i = 0, left = total - item9; i < 8 && left > 0; i++) left -= items[i] = Math.min(3, left);
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

  const readiness = (planId, token = as.billing) => call('billing', 'GET', `/plans/${planId}/readiness`, token, undefined, [200, 404]);
  const findings = (check) => check.findings.map((f) => f.code).join(', ') || 'no findings';

  say(`1. clinician ${clinicianId}, supervisor ${supervisorId}, client ${clientId}: supervision and licences recorded`);
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
  const phqObjective = await call('plan', 'POST', `/plans/${planId}/draft/objectives`, as.clinician, {
    goalId: goal.id,
    description: FREE_TEXT.objective,
    measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 14, target: 9 },
    targetDate,
  });
  const activityObjective = await call('plan', 'POST', `/plans/${planId}/draft/objectives`, as.clinician, {
    goalId: goal.id,
    description: FREE_TEXT.activityObjective,
    measure: { kind: 'behavioural', description: 'days out for a planned activity', unit: 'days_per_week', baseline: 0, target: 2 },
    targetDate,
  });
  for (const objective of [phqObjective, activityObjective]) {
    await call('plan', 'POST', `/plans/${planId}/draft/interventions`, as.clinician, { objectiveId: objective.id, modality: 'behavioural_activation', description: FREE_TEXT.intervention, frequency: { count: 1, per: 'week' } });
  }
  await call('plan', 'POST', `/plans/${planId}/assessments`, as.clinician, { instrument: 'PHQ-9', items: phq9(14) });
  await sign(planId, 1);
  say(`2. plan ${planId} opened, baseline PHQ-9 14, co-signed by client and clinician: revision 1 in effect`);

  const today = new Date().toISOString().slice(0, 10);
  const endsOn = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
  await until('billing to hear of revision 1', () => readiness(planId), (r) => r.planId === planId && r.revisionInEffect === 1);
  await call('billing', 'POST', `/plans/${planId}/authorizations`, as.billing, { authorizationNumber: 'PA-DEMO-0001', serviceCodes: ['90837'], sessionsAuthorized: 16, startsOn: today, endsOn });
  const ready = await until('the plan to be ready', () => readiness(planId), (r) => r.latestCheck?.outcome === 'ready');
  say(`3. Medicaid prior authorization PA-DEMO-0001 recorded: readiness ${ready.latestCheck.outcome} (${findings(ready.latestCheck)})`);

  await call('plan', 'POST', `/plans/${planId}/objectives/${activityObjective.id}/met`, as.clinician, {});
  const routine = await until('a routine plan-update task', () => call('review', 'GET', `/clinicians/${clinicianId}/inbox`, as.clinician), (page) => page.items.some((t) => t.planId === planId && t.kind === 'plan_update'));
  const updateTask = routine.items.find((t) => t.planId === planId && t.kind === 'plan_update');
  say(`4. objective met: plan-update task ${updateTask.taskId} (${updateTask.urgency}, due ${updateTask.dueAt}, reasons ${updateTask.reasons.join(', ')})`);

  await call('plan', 'POST', `/plans/${planId}/assessments`, as.clinician, { instrument: 'PHQ-9', items: phq9(20, 1) });
  const urgent = await until('an urgent plan-update task and a safety task', () => call('review', 'GET', `/clinicians/${clinicianId}/inbox`, as.clinician), (page) =>
    page.items.some((t) => t.planId === planId && t.kind === 'plan_update' && t.urgency === 'urgent') && page.items.some((t) => t.planId === planId && t.kind === 'safety_review'));
  const safetyTask = urgent.items.find((t) => t.planId === planId && t.kind === 'safety_review');
  const update = urgent.items.find((t) => t.planId === planId && t.kind === 'plan_update');
  const atRisk = await until('billing to see the change', () => readiness(planId, as.clinician), (r) => r.latestCheck.outcome !== 'ready');
  say(`5. PHQ-9 20 with item 9 at 1: plan-update task ${update.urgency} (${update.reasons.join(', ')}), safety task ${safetyTask.taskId} due ${safetyTask.dueAt}; readiness ${atRisk.latestCheck.outcome} (${findings(atRisk.latestCheck)})`);

  await call('review', 'POST', `/plans/${planId}/review-tasks/${safetyTask.taskId}/risk-assessment`, as.clinician, { instrument: 'C-SSRS', riskLevel: 'moderate', safetyPlanMade: true });
  say('6. safety review completed with a structured risk assessment (C-SSRS, moderate, safety plan made)');

  const plan = await call('plan', 'GET', `/plans/${planId}`, as.clinician);
  const open = plan.triggers.filter((trigger) => trigger.answeredInRevision === null).map(({ type, id }) => ({ type, id }));
  await call('plan', 'POST', `/plans/${planId}/revisions`, as.clinician, { reason: 'symptom_change', note: FREE_TEXT.revisionNote, triggers: open });
  await sign(planId, 2);
  const closed = await until('the plan-update task to close', () => call('review', 'GET', `/plans/${planId}/review-tasks/${update.taskId}`, as.supervisor), (t) => t.status !== 'open');
  const after = await until('readiness after the revision', () => readiness(planId), (r) => r.revisionInEffect === 2 && r.latestCheck.outcome === 'ready');
  say(`7. revision 2 (answering ${open.length} triggers) co-signed: task ${closed.status} (${closed.completion?.resolution}); readiness ${after.latestCheck.outcome}`);

  const nextSession = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const precheck = await call('billing', 'POST', '/claims/precheck', as.billing, { planId, dateOfService: nextSession, serviceCode: '90837' });
  say(`8. pre-claim check for ${nextSession}: ${precheck.outcome ?? (precheck.billable ? 'billable' : 'not billable')} (${(precheck.findings ?? []).map((f) => f.code).join(', ') || 'no findings'})`);

  const request = await call('billing', 'POST', `/plans/${planId}/reauthorizations`, as.billing, { priority: 'standard', serviceCodes: ['90837'], sessionsRequested: 12 });
  const requestId = request.id ?? request.requestId;
  const tracking = await call('billing', 'GET', `/plans/${planId}/reauthorizations/${requestId}`, as.billing);
  const bundle = await call('billing', 'GET', `/plans/${planId}/reauthorizations/${requestId}/bundle`, as.billing);
  say(`9. re-authorization ${requestId} (${tracking.priority}, ${tracking.sessionsRequested} sessions) submitted: a FHIR ${bundle.resourceType} of ${bundle.entry?.length ?? 0} entries (Da Vinci PAS), decision due ${tracking.decisionDueAt}`);
  return { planId, clinicianId, clientId, supervisorId, updateTask: closed, safetyTaskId: safetyTask.taskId, readiness: after, precheck, bundle };
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
