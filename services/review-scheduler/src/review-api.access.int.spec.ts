import { randomUUID } from 'node:crypto';
import { ManualClock, useClock } from '@golden-loop/scheduling';
import { openApiDocumentFor } from '@golden-loop/service-kit';
import { renderAccessMatrix, runAccessMatrix, type AccessRoute } from '@golden-loop/service-testing';
import { planOpened, planRevised, safetyFlagRaised } from './test-support/plan-events';
import { startReviewScheduler, type ReviewFixture } from './test-support/review.fixture';
import { taskIdFor } from './task-ids';

// Who may do what in review-scheduler (docs/security.md): the role × endpoint × own/other-caseload matrix against
// the real service. The caseload is what the service learned from PlanOpened.

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const clock = new ManualClock(new Date(T0 + 3 * 3_600_000));
let restoreClock: () => void;
let api: ReviewFixture;
beforeAll(async () => {
  restoreClock = useClock(clock);
  api = await startReviewScheduler('review_access');
});
afterAll(async () => {
  await api?.close();
  restoreClock?.();
});

const caseloadOnPlan: Omit<AccessRoute, 'id'> = { roles: ['clinician', 'supervisor'], scope: 'plan' };

/** review-scheduler's matrix, as docs/security.md states it. */
const ROUTES: AccessRoute[] = [
  { id: 'GET /clinicians/{clinicianId}/inbox', roles: ['clinician', 'supervisor'], scope: 'clinician' },
  { id: 'GET /plans/{planId}/review', ...caseloadOnPlan },
  { id: 'GET /plans/{planId}/review-tasks/{taskId}', ...caseloadOnPlan },
  { id: 'POST /plans/{planId}/review-tasks/{taskId}/reviewed-no-change', ...caseloadOnPlan },
  { id: 'POST /plans/{planId}/review-tasks/{taskId}/risk-assessment', ...caseloadOnPlan },
  { id: 'PUT /clinicians/{clinicianId}/supervision', roles: ['admin'] },
  { id: 'GET /clinicians/{clinicianId}/supervision', roles: ['clinician', 'supervisor', 'admin'], scope: 'clinician' },
  { id: 'GET /teams/{teamId}/review-summary', roles: ['supervisor', 'admin'] },
  { id: 'GET /escalations/unrouted', roles: ['supervisor', 'admin'] },
  { id: 'GET /audit', roles: ['admin'] },
];

test('role × endpoint × own/other caseload: every cell answers what docs/security.md says', async () => {
  const [{ REVIEW_API }, { ReviewSchedulerModule }] = await Promise.all([import('./app'), import('./review-scheduler.module')]);
  const document = await openApiDocumentFor(ReviewSchedulerModule, REVIEW_API);
  const [planId, clinicianId, teamId] = [randomUUID(), randomUUID(), randomUUID()];
  const flag = safetyFlagRaised(planId, at(2));
  await api.send(planOpened(planId, clinicianId, at(0)), planRevised(planId, 1, at(1)), flag);
  await api.http().put(`/clinicians/${clinicianId}/supervision`).set(api.callers.admin()).send({ supervisorId: randomUUID(), teamId }).expect(200);
  await api.drain();

  const { cells, wrong, missing } = await runAccessMatrix({
    fixture: api,
    document,
    routes: ROUTES,
    caseload: { planId, clinicianId, clientId: randomUUID() },
    pathValues: { taskId: taskIdFor(planId, 'safety_review', flag.id), teamId },
    unknownPlanCode: 'plan_review_not_found',
  });
  if (process.env.ACCESS_REPORT === '1') console.log(renderAccessMatrix(cells));
  expect(missing).toEqual([]);
  expect(wrong).toEqual([]);
});
