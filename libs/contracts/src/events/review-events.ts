import type { FromSchema } from '../json-schema';
import { closedObject, dateTime, revision, urgency, uuid, uuidList } from '../vocabulary';

// Integration events published by services/review-scheduler: the plan-update task's life cycle.
// Every event repeats the task's reasons, triggers, urgency and due time so that a consumer (billing-readiness,
// a warehouse) can act on any one of them without having seen the others.

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

const reviewTask = {
  taskId: uuid,
  planId: uuid,
  reasons: {
    type: 'array',
    items: { type: 'string', enum: REVIEW_REASONS },
    minItems: 1,
    uniqueItems: true,
  },
  triggeredBy: {
    ...uuidList,
    description: 'Event ids that opened or joined the task; empty when the review interval alone is due.',
  },
  urgency,
  dueAt: dateTime,
} as const;

export const reviewTaskOpenedV1 = {
  title: 'ReviewTaskOpened v1',
  description: 'A plan-update task was opened for the clinician.',
  ...closedObject({ ...reviewTask, openedAt: dateTime }),
} as const;

export const reviewTaskCompletedV1 = {
  title: 'ReviewTaskCompleted v1',
  description: 'A plan-update task was completed.',
  ...closedObject({
    ...reviewTask,
    resolution: { type: 'string', enum: ['plan_revised', 'plan_closed', 'reviewed_no_change'] },
    resolvedBy: {
      ...uuid,
      type: ['string', 'null'],
      description: 'Id of the PlanRevised or PlanClosed event that completed the task; null when reviewed without change.',
    },
    revision: { ...revision, type: ['integer', 'null'] },
    completedAt: dateTime,
  }),
} as const;

export const reviewTaskOverdueV1 = {
  title: 'ReviewTaskOverdue v1',
  description: 'A plan-update task passed its due time while still open.',
  ...closedObject({ ...reviewTask, overdueAt: dateTime }),
} as const;

export type ReviewTaskOpenedV1 = FromSchema<typeof reviewTaskOpenedV1>;
export type ReviewTaskCompletedV1 = FromSchema<typeof reviewTaskCompletedV1>;
export type ReviewTaskOverdueV1 = FromSchema<typeof reviewTaskOverdueV1>;
