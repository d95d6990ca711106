import type { ChangeDirection, ChangeReason, InstrumentCode, SeverityBand } from '@golden-loop/clinical';
import type {
  EscalationRoute,
  LIFE_EVENT_CATEGORIES,
  LIFE_EVENT_IMPACTS,
  NoChangeReason,
  ReviewReason,
  ReviewTaskKind,
  RiskLevel,
  RiskScreeningInstrument,
} from '@golden-loop/contracts';

// The events of one plan's review stream (stream id = plan id, docs/review-scheduling.md). They hold ids, codes
// and times only, like the plan's public events they come from, and each carries what the read model and the
// publication need without replaying the stream. Times are ISO-8601.

export type Event<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;
export type Urgency = 'routine' | 'urgent';
export type LifeEventCategory = (typeof LIFE_EVENT_CATEGORIES)[number];
export type LifeEventImpact = (typeof LIFE_EVENT_IMPACTS)[number];

/** What the plan service told about a change: the codes of the public plan event behind a trigger. */
export type PlanSignal =
  | Readonly<{
      type: 'SymptomsChanged';
      assessmentId: string;
      instrument: InstrumentCode;
      previousScore: number | null;
      newScore: number;
      previousBand: SeverityBand | null;
      newBand: SeverityBand;
      direction: ChangeDirection;
      reasons: readonly ChangeReason[];
      urgency: Urgency;
    }>
  | Readonly<{ type: 'GoalMet'; goalId: string }>
  | Readonly<{ type: 'ObjectiveMet'; goalId: string; objectiveId: string }>
  | Readonly<{ type: 'LifeEventReported'; lifeEventId: string; category: LifeEventCategory; impact: LifeEventImpact }>;

/** One plan event that calls for a review: its id on the plan topic (what PlanRevised answers), when, and why. */
export interface Trigger {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly reasons: readonly ReviewReason[];
  readonly urgency: Urgency;
  readonly signal: PlanSignal;
}

export interface RiskAssessment {
  readonly instrument: RiskScreeningInstrument;
  readonly riskLevel: RiskLevel;
  readonly safetyPlanMade: boolean;
}

/** The plan was opened: whose inbox its tasks go to, and whose payer's review interval applies. */
export type PlanRegistered = Event<
  'PlanRegistered',
  { planId: string; clinicianId: string; payerId: string | null; openedAt: string; sourceEventId: string }
>;

/**
 * `trigger` is null for a periodic review, opened because the review date is near (`reviewAt`).
 * `firstTriggeredAt` starts the clock of the time to revision.
 */
export type ReviewTaskOpened = Event<
  'ReviewTaskOpened',
  {
    taskId: string;
    planId: string;
    clinicianId: string;
    kind: ReviewTaskKind;
    trigger: Trigger | null;
    reviewAt: string | null;
    reasons: readonly ReviewReason[];
    urgency: Urgency;
    dueAt: string;
    openedAt: string;
    firstTriggeredAt: string;
  }
>;

/** A later trigger (or the review date) joined the open task; the task fields are those after the join. */
export type ReviewTaskTriggerJoined = Event<
  'ReviewTaskTriggerJoined',
  {
    taskId: string;
    planId: string;
    trigger: Trigger | null;
    reviewAt: string | null;
    joinedReasons: readonly ReviewReason[];
    reasons: readonly ReviewReason[];
    urgency: Urgency;
    dueAt: string;
    previousUrgency: Urgency;
    previousDueAt: string;
    joinedAt: string;
  }
>;

/** A revision answered some of the task's triggers (or its review date) but not all: the task stays open. */
export type ReviewTaskTriggersAnswered = Event<
  'ReviewTaskTriggersAnswered',
  {
    taskId: string;
    planId: string;
    answered: readonly string[];
    reviewIntervalAnswered: boolean;
    outstanding: readonly string[];
    revision: number;
    answeredBy: string;
    answeredAt: string;
  }
>;

export type ReviewTaskCompleted = Event<
  'ReviewTaskCompleted',
  {
    taskId: string;
    planId: string;
    resolution: 'plan_revised' | 'reviewed_no_change' | 'risk_assessed';
    /** The PlanRevised event id; null when the clinician completed it. */
    resolvedBy: string | null;
    revision: number | null;
    noChangeReason: NoChangeReason | null;
    riskAssessment: RiskAssessment | null;
    completedAt: string;
    by: string | null;
    firstTriggeredAt: string;
    secondsToCompletion: number;
  }
>;

export type ReviewTaskOverdue = Event<'ReviewTaskOverdue', { taskId: string; planId: string; dueAt: string; overdueAt: string }>;

export type ReviewTaskEscalated = Event<
  'ReviewTaskEscalated',
  {
    taskId: string;
    planId: string;
    route: EscalationRoute;
    supervisorId: string | null;
    teamId: string | null;
    escalatedAt: string;
  }
>;

export type ReviewTaskCancelled = Event<
  'ReviewTaskCancelled',
  { taskId: string; planId: string; cancelledBy: string; cancelledAt: string }
>;

export type PlanRevisionRecorded = Event<
  'PlanRevisionRecorded',
  { planId: string; revision: number; revisedAt: string; triggersAnswered: readonly string[]; sourceEventId: string }
>;

/**
 * The next periodic review: due at `reviewAt` (the interval after `basis`), its task opening at `opensAt`.
 * `basis` is the revision taking effect, or a periodic review completed without change.
 */
export type PeriodicReviewScheduled = Event<
  'PeriodicReviewScheduled',
  { planId: string; basis: 'revision' | 'review_without_change'; intervalDays: number; reviewAt: string; opensAt: string }
>;

export type PlanClosureRecorded = Event<'PlanClosureRecorded', { planId: string; closedAt: string; sourceEventId: string }>;

export type ReviewEvent =
  | PlanRegistered
  | ReviewTaskOpened
  | ReviewTaskTriggerJoined
  | ReviewTaskTriggersAnswered
  | ReviewTaskCompleted
  | ReviewTaskOverdue
  | ReviewTaskEscalated
  | ReviewTaskCancelled
  | PlanRevisionRecorded
  | PeriodicReviewScheduled
  | PlanClosureRecorded;

export type ReviewEventType = ReviewEvent['type'];
