import type {
  CompleteWithoutChange,
  EscalateSafetyReview,
  MarkOverdue,
  OpenPeriodicReview,
  RecordClosure,
  RecordRevision,
  RecordRiskAssessment,
  RecordTrigger,
  RegisterPlan,
  ReviewCommand,
} from '../commands';
import type { PlanSignal, ReviewEvent, RiskAssessment } from '../events';
import { planReviewDecider } from '../plan-review';
import { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from '../review-policy';
import { stateAfter } from './given';

// Test data builders (docs/service-kit.md, "Tests"): a history is built by running commands through the decider itself, so every
// given history is one the stream could really hold.

export const PLAN_ID = 'plan-1';
export const CLINICIAN_ID = 'clinician-1';
export const PAYER_ID = 'payer-1';
export const SUPERVISOR_ID = 'supervisor-1';
export const TEAM_ID = 'team-1';
export const USER_ID = 'user-1';

const START = Date.parse('2026-03-02T09:00:00.000Z');
const HOUR_MS = 60 * 60 * 1000;
/** `days` (and `hours`) after Monday 2 March 2026, 09:00 UTC. */
export const at = (days: number, hours = 0): string => new Date(START + (days * 24 + hours) * HOUR_MS).toISOString();

const command = <C extends ReviewCommand>(type: C['type'], data: C['data'], now: string, userId?: string): C =>
  ({ type, data, metadata: userId === undefined ? { now } : { now, userId } }) as C;

export const registerPlan = (data: Partial<RegisterPlan['data']> = {}, now = at(0)): RegisterPlan =>
  command<RegisterPlan>('RegisterPlan', { eventId: 'opened', planId: PLAN_ID, clinicianId: CLINICIAN_ID, payerId: PAYER_ID, openedAt: now, ...data }, now);

/** A trigger whose task ids are named after its event: `task-<eventId>`, `safety-<eventId>`. */
export const trigger = (eventId: string, signal: PlanSignal, occurredAt = at(1), now = occurredAt): RecordTrigger =>
  command<RecordTrigger>('RecordTrigger', { eventId, occurredAt, signal, taskIds: { planUpdate: `task-${eventId}`, safetyReview: `safety-${eventId}` } }, now);

type SymptomsSignal = Extract<PlanSignal, { type: 'SymptomsChanged' }>;

/** PHQ-9 8 → 14: a reliable worsening into the moderate band, routine. */
export const symptoms = (overrides: Partial<Omit<SymptomsSignal, 'type'>> = {}): SymptomsSignal => ({
  type: 'SymptomsChanged',
  assessmentId: 'assessment-1',
  instrument: 'PHQ-9',
  previousScore: 8,
  newScore: 14,
  previousBand: 'mild',
  newBand: 'moderate',
  direction: 'worsened',
  reasons: ['reliable_change', 'band_change'],
  urgency: 'routine',
  ...overrides,
});

/** PHQ-9 12 → 13 with item 9 newly above 0. */
export const safetyFlag = (): SymptomsSignal =>
  symptoms({ previousScore: 12, newScore: 13, previousBand: 'moderate', newBand: 'moderate', reasons: ['safety_flag'], urgency: 'urgent' });

export const goalMet = (): PlanSignal => ({ type: 'GoalMet', goalId: 'goal-1' });
export const objectiveMet = (): PlanSignal => ({ type: 'ObjectiveMet', goalId: 'goal-1', objectiveId: 'objective-1' });
export const lifeEvent = (): PlanSignal => ({ type: 'LifeEventReported', lifeEventId: 'life-1', category: 'bereavement', impact: 'major' });

export const revised = (revision: number, triggersAnswered: readonly string[], revisedAt = at(5), eventId = `revised-${revision}`): RecordRevision =>
  command<RecordRevision>('RecordRevision', { eventId, revision, triggersAnswered, revisedAt }, revisedAt);

export const closed = (closedAt = at(6), eventId = 'closed'): RecordClosure => command<RecordClosure>('RecordClosure', { eventId, closedAt }, closedAt);

export const completeWithoutChange = (taskId: string, now = at(3), reason: CompleteWithoutChange['data']['reason'] = 'transient_change'): CompleteWithoutChange =>
  command<CompleteWithoutChange>('CompleteWithoutChange', { taskId, reason }, now, USER_ID);

export const RISK_ASSESSMENT: RiskAssessment = { instrument: 'C-SSRS', riskLevel: 'moderate', safetyPlanMade: true };

export const riskAssessment = (taskId: string, now = at(1, 3), assessment = RISK_ASSESSMENT): RecordRiskAssessment =>
  command<RecordRiskAssessment>('RecordRiskAssessment', { taskId, assessment }, now, USER_ID);

export const markOverdue = (taskId: string, now: string): MarkOverdue => command<MarkOverdue>('MarkOverdue', { taskId }, now);

export const escalate = (taskId: string, now: string, supervisorId: string | null = SUPERVISOR_ID, teamId: string | null = TEAM_ID): EscalateSafetyReview =>
  command<EscalateSafetyReview>('EscalateSafetyReview', { taskId, supervisorId, teamId }, now);

export const periodicReview = (reviewAt: string, now: string, taskId = `periodic-${reviewAt}`): OpenPeriodicReview =>
  command<OpenPeriodicReview>('OpenPeriodicReview', { reviewAt, taskId }, now);

/** A history built by deciding commands in turn. */
export class History {
  constructor(
    readonly events: readonly ReviewEvent[] = [],
    private readonly policy: ReviewPolicy = DEFAULT_REVIEW_POLICY,
  ) {}

  run(...commands: ReviewCommand[]): History {
    const decider = planReviewDecider(this.policy);
    let events = this.events;
    for (const next of commands) events = [...events, ...decider.decide(next, stateAfter(events))];
    return new History(events, this.policy);
  }
}

/** A registered plan (opened at day 0). */
export const aPlan = (policy: ReviewPolicy = DEFAULT_REVIEW_POLICY, data: Partial<RegisterPlan['data']> = {}): History =>
  new History([], policy).run(registerPlan(data));
