import { randomUUID } from 'node:crypto';
import { ManualClock, TimerWorker, useClock } from '@golden-loop/scheduling';
import { openApiDocumentFor } from '@golden-loop/service-kit';
import { hostileRuns, runHostileInput, type Operation, type PreparedOperation } from '@golden-loop/service-testing';
import { planOpened, planRevised, safetyFlagRaised } from './test-support/plan-events';
import { startReviewScheduler, type ReviewFixture } from './test-support/review.fixture';
import { taskIdFor } from './task-ids';

// The hostile-input suite of libs/service-testing over every endpoint of review-scheduler (docs/input-limits.md):
// no 5xx, a bounded problem body for every refusal, nothing stored by a refused request.

jest.setTimeout(120_000 + hostileRuns() * 6_000);

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const clock = new ManualClock(new Date(T0 + 3 * 3_600_000));
let restoreClock: () => void;
let api: ReviewFixture;
beforeAll(async () => {
  restoreClock = useClock(clock);
  api = await startReviewScheduler('review_hostile');
});
afterAll(async () => {
  await api?.close();
  restoreClock?.();
});


/** A plan in effect with an item-9 flag: a plan-update task and a safety task, and a clinician with a supervisor. */
const planForHostileRequests = async (): Promise<Record<string, string>> => {
  const planId = randomUUID();
  const clinicianId = randomUUID();
  const teamId = randomUUID();
  const flag = safetyFlagRaised(planId, at(2));
  await api.send(planOpened(planId, clinicianId, at(0)), planRevised(planId, 1, at(1)), flag);
  await api.http().put(`/clinicians/${clinicianId}/supervision`).set(api.callers.admin()).send({ supervisorId: randomUUID(), teamId }).expect(200);
  await api.drain();
  return { planId, clinicianId, teamId, taskId: taskIdFor(planId, 'plan_update', flag.id), safetyTaskId: taskIdFor(planId, 'safety_review', flag.id) };
};

const prepare = async (operation: Operation): Promise<PreparedOperation> => {
  const pathValues = await planForHostileRequests();
  const safety = operation.id === 'POST /plans/{planId}/review-tasks/{taskId}/risk-assessment';
  const examples: Record<string, unknown> = {
    'POST /plans/{planId}/review-tasks/{taskId}/reviewed-no-change': { reason: 'transient_change' },
    'POST /plans/{planId}/review-tasks/{taskId}/risk-assessment': { instrument: 'C-SSRS', riskLevel: 'moderate', safetyPlanMade: true },
    'PUT /clinicians/{clinicianId}/supervision': { supervisorId: randomUUID(), teamId: randomUUID() },
  };
  // A token of a role the endpoint admits, for the plan's own clinician where it is theirs (docs/security.md).
  const headers = ['PUT /clinicians/{clinicianId}/supervision', 'GET /audit'].includes(operation.id)
    ? api.callers.admin()
    : /teams|escalations/.test(operation.id)
      ? api.callers.supervisor([pathValues.clinicianId])
      : api.callers.clinician(pathValues.clinicianId);
  return { pathValues: safety ? { ...pathValues, taskId: pathValues.safetyTaskId } : pathValues, example: examples[operation.id], headers };
};

test('no hostile request makes review-scheduler answer 5xx, and none it refuses changes what it stores', async () => {
  const [{ REVIEW_API }, { ReviewSchedulerModule }] = await Promise.all([import('./app'), import('./review-scheduler.module')]);
  const document = await openApiDocumentFor(ReviewSchedulerModule, REVIEW_API);
  const settle = async () => {
    await api.app.get(TimerWorker).runUntilNoneDue();
    await api.drain();
  };
  const report = await runHostileInput({ fixture: api, document, prepare, settle });
  expect(report.endpoints).toBe(Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0));
  expect(Object.keys(report.statuses).filter((status) => Number(status) >= 500)).toEqual([]);
  if (process.env.HOSTILE_REPORT === '1') console.log(JSON.stringify(report, null, 2));
});
