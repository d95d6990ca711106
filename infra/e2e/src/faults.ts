// `npm run test:faults [-- --short]`: the loop under load while its processes crash (issue 11, docs/fault-run.md).
// The three services run as processes of their own (loop-system.ts). Assessments are posted at a steady rate over a
// set of plans in effect, each one a meaningful change (SymptomsChanged). Meanwhile each service is killed with
// SIGKILL and restarted, twice at random moments (once with --short), and the broker once. Afterwards, from Kafka:
//  - every accepted command's events are there (AssessmentRecorded and SymptomsChanged of each accepted assessment);
//  - every change is in exactly one review task (ReviewTaskOpened.triggeredBy or ReviewTaskTriggerJoined.joinedBy),
//    each plan has exactly one plan-update task;
//  - every change has exactly one readiness check (AuthorizationCheckCompleted.triggeredBy).
// Redelivery of the same event (one event id seen twice) is at-least-once delivery, not a duplicate; a duplicate is
// the same fact recorded twice (two event ids). Prints the counts; exits 1 on any difference.
import { randomUUID } from 'node:crypto';
import { decodeEvent, type DecodedEvent } from '@golden-loop/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { SERVICES, startLoopSystem, type LoopSystem, type ServiceName } from './loop-system';

const short = process.argv.includes('--short') || process.env.FAULTS_SHORT === '1';
const plansCount = Number(process.env.FAULTS_PLANS ?? (short ? 12 : 40));
const loadSeconds = Number(process.env.FAULTS_SECONDS ?? (short ? 40 : 90));
const ratePerSecond = Number(process.env.FAULTS_RATE ?? 8);
const crashesPerService = short ? 1 : 2;
const settleTimeoutMs = Number(process.env.FAULTS_SETTLE_MS ?? 120_000);

const say = (line: string) => process.stdout.write(`[faults] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** PHQ-9 items adding up to `total` (item 9 at 0). */
const phq9 = (total: number): number[] => {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0, left = total; i < 8 && left > 0; i++) left -= items[i] = Math.min(3, left);
  return items;
};

interface Plan {
  readonly planId: string;
  readonly clinicianId: string;
  readonly token: string;
  next: number;
}

const send = async (url: string, method: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(url, { method, headers: { authorization: token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
};

const must = async (what: string, call: Promise<{ status: number; body: Record<string, unknown> }>) => {
  const { status, body } = await call;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
};

const openPlanInEffect = async (system: LoopSystem, plan: Plan): Promise<void> => {
  const base = system.urls.plan;
  const clientId = randomUUID();
  await must('open', send(`${base}/plans`, 'POST', plan.token, {
    planId: plan.planId,
    clientId,
    // A payer's plan (commercial, the default rule set): billing checks only plans with payer rules to meet.
    payerId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a04',
    presentingProblem: 'Low mood after a job loss',
    strengths: ['keeps a routine'],
    diagnoses: [{ code: 'F32.1', rank: 'primary', description: 'Major depressive disorder, single episode, moderate' }],
    symptoms: [{ diagnosisCode: 'F32.1', description: 'Depressed mood most of the day' }],
    impairments: [{ diagnosisCode: 'F32.1', description: 'Stopped seeing friends' }],
    service: { sessionType: 'individual', sessionMinutes: 53, frequency: { count: 1, per: 'week' }, expectedDurationWeeks: 16 },
  }));
  const goal = await must('goal', send(`${base}/plans/${plan.planId}/draft/goals`, 'POST', plan.token, { clientGoal: 'Feel like myself again', clinicalGoal: 'Reduce depressive symptoms', addresses: [{ kind: 'diagnosis', id: 'F32.1' }] }));
  const targetDate = new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10);
  const objective = await must('objective', send(`${base}/plans/${plan.planId}/draft/objectives`, 'POST', plan.token, { goalId: goal.id, description: 'PHQ-9 below 10', measure: { kind: 'instrument', instrument: 'PHQ-9', baseline: 16, target: 9 }, targetDate }));
  await must('intervention', send(`${base}/plans/${plan.planId}/draft/interventions`, 'POST', plan.token, { objectiveId: objective.id, modality: 'behavioural_activation', description: 'Activity scheduling', frequency: { count: 1, per: 'week' } }));
  await must('client signature', send(`${base}/plans/${plan.planId}/revisions/1/signatures`, 'POST', plan.token, { signerRole: 'client', signerId: clientId, method: 'verbal_attested' }));
  await must('clinician signature', send(`${base}/plans/${plan.planId}/revisions/1/signatures`, 'POST', plan.token, { signerRole: 'clinician', signerId: plan.clinicianId, method: 'electronic' }));
  await must('baseline', send(`${base}/plans/${plan.planId}/assessments`, 'POST', plan.token, { instrument: 'PHQ-9', items: phq9(16) }));
};

/** Every record of the run's three topics, decoded, as a fresh consumer reads them from the beginning. */
const readTopics = async (system: LoopSystem, idleMs = 3_000): Promise<DecodedEvent[]> => {
  const kafka = new Kafka({ clientId: `faults-reader-${randomUUID()}`, brokers: system.brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `faults-reader-${randomUUID()}` });
  const events: DecodedEvent[] = [];
  let last = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics: Object.values(system.topics), fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      events.push(decodeEvent(message));
      last = Date.now();
      return Promise.resolve();
    },
  });
  const began = Date.now();
  while (Date.now() - last < idleMs || (events.length === 0 && Date.now() - began < 30_000)) await sleep(250);
  await consumer.disconnect();
  return events;
};

interface Counts {
  readonly commands: { accepted: number; refused: number };
  readonly events: { expected: number; found: number; duplicated: number };
  readonly tasks: { expected: number; found: number; duplicated: number };
  readonly changesInTasks: { expected: number; found: number; duplicated: number };
  readonly checks: { expected: number; found: number; duplicated: number };
}

const countOf = (events: readonly DecodedEvent[], accepted: ReadonlyMap<string, string>, plans: readonly Plan[], refused: number): Counts => {
  // One record per event id: a redelivered event is one event.
  const unique = [...new Map(events.map((event) => [event.envelope.id, event])).values()];
  const payload = (event: DecodedEvent) => event.payload as Record<string, unknown>;
  const byAssessment = (name: string) => {
    const found = new Map<string, number>();
    for (const event of unique.filter((e) => e.name === name)) {
      const id = payload(event).assessmentId as string;
      if (accepted.has(id)) found.set(id, (found.get(id) ?? 0) + 1);
    }
    return found;
  };
  const recorded = byAssessment('AssessmentRecorded');
  const changed = byAssessment('SymptomsChanged');
  const changeIds = new Set(unique.filter((e) => e.name === 'SymptomsChanged' && accepted.has(payload(e).assessmentId as string)).map((e) => e.envelope.id));

  const inTasks = new Map<string, number>();
  const tasksPerPlan = new Map<string, Set<string>>();
  for (const event of unique) {
    if (event.name === 'ReviewTaskOpened' && payload(event).kind === 'plan_update') {
      const planId = payload(event).planId as string;
      tasksPerPlan.set(planId, (tasksPerPlan.get(planId) ?? new Set()).add(payload(event).taskId as string));
    }
    const triggers = event.name === 'ReviewTaskOpened' ? (payload(event).triggeredBy as string[]) : event.name === 'ReviewTaskTriggerJoined' ? [payload(event).joinedBy as string] : [];
    for (const id of triggers) if (changeIds.has(id)) inTasks.set(id, (inTasks.get(id) ?? 0) + 1);
  }
  const checks = new Map<string, number>();
  for (const event of unique.filter((e) => e.name === 'AuthorizationCheckCompleted')) {
    const id = payload(event).triggeredBy as string;
    if (changeIds.has(id)) checks.set(id, (checks.get(id) ?? 0) + 1);
  }
  const tally = (found: ReadonlyMap<string, number>, expected: number) => ({ expected, found: found.size, duplicated: [...found.values()].filter((n) => n > 1).length });
  const planTasks = new Map(plans.filter((plan) => [...accepted.values()].includes(plan.planId)).map((plan) => [plan.planId, tasksPerPlan.get(plan.planId)?.size ?? 0]));
  return {
    commands: { accepted: accepted.size, refused },
    events: { expected: accepted.size * 2, found: recorded.size + changed.size, duplicated: [...recorded.values(), ...changed.values()].filter((n) => n > 1).length },
    tasks: { expected: planTasks.size, found: [...planTasks.values()].filter((n) => n > 0).length, duplicated: [...planTasks.values()].filter((n) => n > 1).length },
    changesInTasks: tally(inTasks, changeIds.size),
    checks: tally(checks, changeIds.size),
  };
};

const holds = (counts: Counts) =>
  [counts.events, counts.tasks, counts.changesInTasks, counts.checks].every((c) => c.found === c.expected && c.duplicated === 0) && counts.changesInTasks.expected === counts.commands.accepted;

const main = async (): Promise<number> => {
  const began = Date.now();
  say(`${short ? 'short' : 'full'} run: ${plansCount} plans, ${ratePerSecond} assessments/s for ${loadSeconds} s, each service killed ${crashesPerService}×, the broker once`);
  const system = await startLoopSystem({ name: 'faults' });
  let kept = false;
  say(`services ready in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  try {
    const clinicians = Array.from({ length: Math.max(1, Math.ceil(plansCount / 10)) }, () => randomUUID());
    const plans: Plan[] = Array.from({ length: plansCount }, (_, i) => {
      const clinicianId = clinicians[i % clinicians.length];
      return { planId: randomUUID(), clinicianId, token: `Bearer ${system.issuer.mint({ sub: clinicianId, roles: ['clinician'], ttlSeconds: 7_200 })}`, next: 4 };
    });
    for (let i = 0; i < plans.length; i += 4) await Promise.all(plans.slice(i, i + 4).map((plan) => openPlanInEffect(system, plan)));
    say(`${plans.length} plans in effect with a baseline PHQ-9`);

    // The load: one assessment every 1/rate s, alternating 4 and 20 per plan (every one a reliable change).
    const accepted = new Map<string, string>(); // assessmentId → planId
    let refused = 0;
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    // The load runs at least loadSeconds, and on until the last fault is over and the system has had a few seconds.
    const loadEnds = Date.now() + loadSeconds * 1000;
    let faultsOverAt = Number.POSITIVE_INFINITY;
    const load = (async () => {
      for (let tick = 0; Date.now() < Math.max(loadEnds, faultsOverAt + 5_000); tick++) {
        const plan = plans[tick % plans.length];
        const total = plan.next;
        const request = send(`${system.urls.plan}/plans/${plan.planId}/assessments`, 'POST', plan.token, { instrument: 'PHQ-9', items: phq9(total) })
          .then(({ status, body }) => {
            if (status === 201 && (body.events as string[]).includes('SymptomsChanged')) {
              accepted.set(body.id as string, plan.planId);
              plan.next = total === 4 ? 20 : 4;
            } else refused += 1;
          })
          .catch(() => {
            refused += 1; // the plan service is down: nothing was acknowledged
          });
        sent += 1;
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
        await sleep(1000 / ratePerSecond);
      }
      await Promise.all(inFlight);
    })();

    // The faults: every service crashed `crashesPerService` times and the broker once, at random moments.
    const faults: { what: string; at: number }[] = [
      ...SERVICES.flatMap((service) => Array.from({ length: crashesPerService }, () => ({ what: service as string, at: 0 }))),
      { what: 'broker', at: 0 },
    ];
    const window = (loadSeconds * 1000 * 0.8) / faults.length;
    faults.sort(() => Math.random() - 0.5).forEach((fault, i) => (fault.at = 2_000 + i * window + Math.random() * window * 0.5));
    const loadBegan = Date.now();
    for (const fault of faults) {
      await sleep(Math.max(0, fault.at - (Date.now() - loadBegan)));
      const outcome = fault.what === 'broker' ? await system.crashBroker() : await system.crash(fault.what as ServiceName);
      say(`${((Date.now() - loadBegan) / 1000).toFixed(1)} s: ${fault.what} killed (SIGKILL) — ${'skipped' in outcome ? outcome.skipped : `back and ready after ${(outcome.downMs / 1000).toFixed(1)} s`}`);
    }
    faultsOverAt = Date.now();
    await load;
    say(`load done: ${sent} assessments sent, ${accepted.size} accepted, ${refused} refused or unanswered (while the plan service was down)`);

    // Settle: read the topics until the counts hold or the time is up.
    const deadline = Date.now() + settleTimeoutMs;
    let counts: Counts;
    for (;;) {
      counts = countOf(await readTopics(system), accepted, plans, refused);
      if (holds(counts) || Date.now() > deadline) break;
      say(`settling: events ${counts.events.found}/${counts.events.expected}, changes in tasks ${counts.changesInTasks.found}/${counts.changesInTasks.expected}, checks ${counts.checks.found}/${counts.checks.expected}`);
      await sleep(5_000);
    }
    const row = (name: string, c: { expected: number; found: number; duplicated: number }) => say(`${name.padEnd(18)} expected ${String(c.expected).padStart(5)}  found ${String(c.found).padStart(5)}  duplicated ${c.duplicated}`);
    say(`commands accepted ${counts.commands.accepted}, refused ${counts.commands.refused}`);
    row('events on Kafka', counts.events);
    row('plan-update tasks', counts.tasks);
    row('changes in tasks', counts.changesInTasks);
    row('readiness checks', counts.checks);
    const ok = holds(counts);
    say(`${ok ? 'PASS' : 'FAIL'} in ${((Date.now() - began) / 1000).toFixed(0)} s`);
    if (!ok && system.errors.length > 0) say(`service stderr (last lines):\n${system.errors.slice(-20).join('\n')}`);
    if (!ok) say(`the run's schemas (${Object.values(system.schemas).join(', ')}) and topics are kept for a look`);
    kept = !ok;
    return ok ? 0 : 1;
  } finally {
    await system.stop();
    if (!kept) await system.remove();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
