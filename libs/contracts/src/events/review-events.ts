import type { FromSchema } from '../json-schema';
import { closedObject, dateTime, revision, urgency, uuid, uuidList } from '../vocabulary';

// Integration events published by services/review-scheduler: the life cycle of a plan's review tasks.
// Every event repeats the task's reasons, triggers, urgency and due time so that a consumer (billing-readiness,
// a warehouse) can act on any one of them without having seen the others.
// docs/review-scheduling.md says when each is published and why.

export const REVIEW_REASONS = [
  'reliable_change',
  'band_change',
  'safety_flag',
  'non_response',
  'plateau',
  'goal_met',
  'objective_met',
  'life_event',
  'review_interval',
] as const;

/**
 * plan_update: a meaningful clinical change (or a goal, objective or life event) calls for a plan revision;
 * safety_review: a PHQ-9 item-9 flag calls for a structured suicide-risk assessment, apart from the revision;
 * periodic_review: the plan's review interval is ending (per payer) with no task open.
 */
export const REVIEW_TASK_KINDS = ['plan_update', 'safety_review', 'periodic_review'] as const;

/** Why a clinician closed a plan-update or periodic task without revising the plan. */
export const NO_CHANGE_REASONS = [
  'plan_still_appropriate',
  'expected_course_of_treatment',
  'transient_change',
  'client_prefers_current_plan',
  'recorded_in_error',
] as const;

/**
 * Structured suicide-risk screening after a PHQ-9 item-9 flag (Simon et al. 2013): C-SSRS (Columbia Suicide
 * Severity Rating Scale), ASQ (Ask Suicide-Screening Questions), SBQ-R (Suicidal Behaviors Questionnaire-Revised),
 * SAFE-T (Suicide Assessment Five-step Evaluation and Triage), or a structured clinical interview.
 */
export const RISK_SCREENING_INSTRUMENTS = ['C-SSRS', 'ASQ', 'SBQ-R', 'SAFE-T', 'clinical_interview'] as const;

/** The risk formulation of the assessment (SAFE-T's low / moderate / high, with imminent for acute danger). */
export const RISK_LEVELS = ['low', 'moderate', 'high', 'imminent'] as const;

export const TASK_RESOLUTIONS = ['plan_revised', 'plan_closed', 'reviewed_no_change', 'risk_assessed'] as const;

export const ESCALATION_REASONS = ['safety_review_overdue'] as const;

/** supervisor: sent to the clinician's supervisor; unrouted: no supervisor is known, the network's queue has it. */
export const ESCALATION_ROUTES = ['supervisor', 'unrouted'] as const;

export const CANCELLATION_REASONS = ['plan_closed'] as const;

const reasons = {
  type: 'array',
  items: { type: 'string', enum: REVIEW_REASONS },
  minItems: 1,
  uniqueItems: true,
} as const;

const reviewTask = {
  taskId: uuid,
  planId: uuid,
  reasons,
  triggeredBy: {
    ...uuidList,
    description: 'Event ids that opened or joined the task; empty when the review interval alone is due.',
  },
  urgency,
  dueAt: dateTime,
} as const;

const kind = { type: 'string', enum: REVIEW_TASK_KINDS } as const;
const clinicianId = { ...uuid, description: "The plan's clinician: the task is in their inbox." } as const;

/** Added to the three v1 events after their first release: optional, so every earlier record stays valid. */
const taskOwner = {
  kind: { ...kind, description: 'Absent on records written before kinds were published; read as plan_update.' },
  clinicianId,
} as const;

export const reviewTaskOpenedV1 = {
  title: 'ReviewTaskOpened v1',
  description: 'A review task was opened for the clinician.',
  ...closedObject({ ...reviewTask, openedAt: dateTime }, taskOwner),
} as const;

const riskAssessment = closedObject({
  instrument: { type: 'string', enum: RISK_SCREENING_INSTRUMENTS },
  riskLevel: { type: 'string', enum: RISK_LEVELS },
  safetyPlanMade: { type: 'boolean', description: 'Whether a safety plan was made with the client.' },
});

export const reviewTaskCompletedV1 = {
  title: 'ReviewTaskCompleted v1',
  description:
    'A review task was completed: by a revision that answered all its triggers, by the clinician as reviewed ' +
    'without change, or (safety review) by a structured risk assessment. A closed plan cancels its tasks ' +
    '(ReviewTaskCancelled); plan_closed is kept for records of earlier releases.',
  ...closedObject(
    {
      ...reviewTask,
      resolution: { type: 'string', enum: TASK_RESOLUTIONS },
      resolvedBy: {
        ...uuid,
        type: ['string', 'null'],
        description: 'Id of the PlanRevised or PlanClosed event that completed the task; null when completed by the clinician.',
      },
      revision: { ...revision, type: ['integer', 'null'] },
      completedAt: dateTime,
    },
    {
      ...taskOwner,
      noChangeReason: { type: 'string', enum: NO_CHANGE_REASONS, description: 'With resolution reviewed_no_change.' },
      riskAssessment: { ...riskAssessment, description: 'With resolution risk_assessed.' },
      firstTriggeredAt: { ...dateTime, description: 'When the first trigger of the task happened.' },
      secondsToCompletion: { type: 'integer', minimum: 0, description: 'From the first trigger to completion.' },
    },
  ),
} as const;

export const reviewTaskOverdueV1 = {
  title: 'ReviewTaskOverdue v1',
  description: 'A review task passed its due time while still open. Published once per task.',
  ...closedObject({ ...reviewTask, overdueAt: dateTime }, taskOwner),
} as const;

export const reviewTaskTriggerJoinedV1 = {
  title: 'ReviewTaskTriggerJoined v1',
  description:
    'A trigger joined the open task instead of opening a second one: its reasons are added, its urgency may rise ' +
    'and its due time only moves earlier. The task fields are those after the join.',
  ...closedObject({
    ...reviewTask,
    kind,
    clinicianId,
    joinedBy: {
      ...uuid,
      type: ['string', 'null'],
      description: 'Id of the plan event that joined; null when the review interval came due.',
    },
    joinedReasons: reasons,
    previousUrgency: urgency,
    previousDueAt: dateTime,
    joinedAt: dateTime,
  }),
} as const;

export const reviewTaskEscalatedV1 = {
  title: 'ReviewTaskEscalated v1',
  description: "A safety review was not completed in time and went to the clinician's supervisor. Published once per task.",
  ...closedObject({
    ...reviewTask,
    kind,
    clinicianId,
    escalationReason: { type: 'string', enum: ESCALATION_REASONS },
    route: { type: 'string', enum: ESCALATION_ROUTES },
    supervisorId: { ...uuid, type: ['string', 'null'], description: 'null when no supervisor is known (route unrouted).' },
    teamId: { ...uuid, type: ['string', 'null'] },
    escalatedAt: dateTime,
  }),
} as const;

export const reviewTaskCancelledV1 = {
  title: 'ReviewTaskCancelled v1',
  description: 'An open review task was cancelled because its plan was closed.',
  ...closedObject({
    ...reviewTask,
    kind,
    clinicianId,
    cancellationReason: { type: 'string', enum: CANCELLATION_REASONS },
    cancelledBy: { ...uuid, description: 'Id of the PlanClosed event.' },
    cancelledAt: dateTime,
  }),
} as const;

export type ReviewTaskOpenedV1 = FromSchema<typeof reviewTaskOpenedV1>;
export type ReviewTaskCompletedV1 = FromSchema<typeof reviewTaskCompletedV1>;
export type ReviewTaskOverdueV1 = FromSchema<typeof reviewTaskOverdueV1>;
export type ReviewTaskTriggerJoinedV1 = FromSchema<typeof reviewTaskTriggerJoinedV1>;
export type ReviewTaskEscalatedV1 = FromSchema<typeof reviewTaskEscalatedV1>;
export type ReviewTaskCancelledV1 = FromSchema<typeof reviewTaskCancelledV1>;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
export type ReviewTaskKind = (typeof REVIEW_TASK_KINDS)[number];
export type NoChangeReason = (typeof NO_CHANGE_REASONS)[number];
export type RiskScreeningInstrument = (typeof RISK_SCREENING_INSTRUMENTS)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type EscalationRoute = (typeof ESCALATION_ROUTES)[number];
