import {
  CHANGE_DIRECTIONS,
  ESCALATION_ROUTES,
  INSTRUMENTS,
  LIFE_EVENT_CATEGORIES,
  LIFE_EVENT_IMPACTS,
  NO_CHANGE_REASONS,
  REVIEW_REASONS,
  REVIEW_TASK_KINDS,
  RISK_LEVELS,
  RISK_SCREENING_INSTRUMENTS,
  SEVERITY_BANDS,
  URGENCIES,
} from '@golden-loop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ReviewEvent } from '../../domain/events';
import type { PlanReview, ReviewTask, TrackedPlan } from '../../domain/state';

// What the read endpoints answer, documented for OpenAPI with the vocabularies of libs/contracts.

const Integer = 'integer';
const TRIGGER_TYPES = ['SymptomsChanged', 'GoalMet', 'ObjectiveMet', 'LifeEventReported'] as const;
const TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;
const TASK_EVENT_TYPES = [
  'ReviewTaskOpened',
  'ReviewTaskTriggerJoined',
  'ReviewTaskTriggersAnswered',
  'ReviewTaskCompleted',
  'ReviewTaskOverdue',
  'ReviewTaskEscalated',
  'ReviewTaskCancelled',
] as const;
const RESOLUTIONS = ['plan_revised', 'reviewed_no_change', 'risk_assessed'] as const;

/** The codes of the plan event behind a trigger: which fields are present depends on `type`. */
export class PlanEventCodes {
  @ApiProperty({ enum: TRIGGER_TYPES }) type!: string;
  @ApiPropertyOptional({ format: 'uuid' }) assessmentId?: string;
  @ApiPropertyOptional({ enum: Object.keys(INSTRUMENTS) }) instrument?: string;
  @ApiPropertyOptional({ type: Integer, nullable: true }) previousScore?: number | null;
  @ApiPropertyOptional({ type: Integer }) newScore?: number;
  @ApiPropertyOptional({ enum: SEVERITY_BANDS, nullable: true }) previousBand?: string | null;
  @ApiPropertyOptional({ enum: SEVERITY_BANDS }) newBand?: string;
  @ApiPropertyOptional({ enum: CHANGE_DIRECTIONS }) direction?: string;
  @ApiPropertyOptional({ enum: REVIEW_REASONS, isArray: true, description: 'SymptomsChanged: the reasons the plan service gave' }) reasons?: string[];
  @ApiPropertyOptional({ enum: URGENCIES, description: 'SymptomsChanged: the urgency the plan service gave' }) urgency?: string;
  @ApiPropertyOptional({ format: 'uuid' }) goalId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) objectiveId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) lifeEventId?: string;
  @ApiPropertyOptional({ enum: LIFE_EVENT_CATEGORIES }) category?: string;
  @ApiPropertyOptional({ enum: LIFE_EVENT_IMPACTS }) impact?: string;
}

export class TriggerAnswer {
  @ApiProperty({ type: Integer }) revision!: number;
  @ApiProperty({ format: 'uuid', description: 'The PlanRevised event id' }) answeredBy!: string;
  @ApiProperty({ format: 'date-time' }) answeredAt!: string;
}

export class TriggerDocument {
  @ApiProperty({ format: 'uuid', description: 'The plan event id (its ce_id on the plan topic), what PlanRevised.triggersAnswered names' }) eventId!: string;
  @ApiProperty({ enum: TRIGGER_TYPES }) type!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ enum: REVIEW_REASONS, isArray: true }) reasons!: string[];
  @ApiProperty({ enum: URGENCIES }) urgency!: string;
  @ApiProperty({ type: () => TriggerAnswer, nullable: true, description: 'The revision that answered it; null while outstanding' }) answer!: TriggerAnswer | null;
  @ApiProperty({ type: () => PlanEventCodes }) planEvent!: PlanEventCodes;
}

export class EscalationDocument {
  @ApiProperty({ enum: ESCALATION_ROUTES }) route!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) supervisorId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) teamId!: string | null;
  @ApiProperty({ format: 'date-time' }) escalatedAt!: string;
}

export class RiskAssessmentDocument {
  @ApiProperty({ enum: RISK_SCREENING_INSTRUMENTS }) instrument!: string;
  @ApiProperty({ enum: RISK_LEVELS }) riskLevel!: string;
  @ApiProperty() safetyPlanMade!: boolean;
}

export class CompletionDocument {
  @ApiProperty({ enum: RESOLUTIONS }) resolution!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The PlanRevised event id; null when completed by the clinician' }) resolvedBy!: string | null;
  @ApiProperty({ type: Integer, nullable: true }) revision!: number | null;
  @ApiProperty({ enum: NO_CHANGE_REASONS, nullable: true }) noChangeReason!: string | null;
  @ApiProperty({ type: () => RiskAssessmentDocument, nullable: true }) riskAssessment!: RiskAssessmentDocument | null;
  @ApiProperty({ format: 'date-time' }) completedAt!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who completed it; null for a revision' }) by!: string | null;
  @ApiProperty({ type: Integer, description: 'From the first trigger to completion' }) secondsToCompletion!: number;
}

export class TaskHistoryEntry {
  @ApiProperty({ type: Integer, description: 'Position in the plan review stream' }) position!: number;
  @ApiProperty({ enum: TASK_EVENT_TYPES }) type!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
}

export class TaskSummary {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ enum: REVIEW_TASK_KINDS }) kind!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ enum: URGENCIES }) urgency!: string;
  @ApiProperty({ enum: REVIEW_REASONS, isArray: true }) reasons!: string[];
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) overdueAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) escalatedAt!: string | null;
}

export class TaskDocument extends TaskSummary {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) clinicianId!: string;
  @ApiProperty({ format: 'date-time', description: 'When the first trigger happened: the time to revision counts from here' }) firstTriggeredAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The review date the task also stands for (periodic review)' }) reviewAt!: string | null;
  @ApiProperty({ description: 'Whether the review date still waits for a revision or a review without change' }) reviewIntervalOutstanding!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cancelledAt!: string | null;
  @ApiProperty({ type: () => EscalationDocument, nullable: true }) escalation!: EscalationDocument | null;
  @ApiProperty({ type: () => CompletionDocument, nullable: true }) completion!: CompletionDocument | null;
  @ApiProperty({ type: () => [TriggerDocument], description: 'The plan events behind the task, in order' }) triggers!: TriggerDocument[];
  @ApiProperty({ type: () => [TaskHistoryEntry] }) history!: TaskHistoryEntry[];
  @ApiProperty({ type: Integer, description: 'The plan review version (also the ETag)' }) version!: number;
}

export class PeriodicReviewDocument {
  @ApiProperty({ format: 'date-time' }) reviewAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When its task opens' }) opensAt!: string;
  @ApiProperty({ type: Integer }) intervalDays!: number;
  @ApiProperty({ description: 'Whether its task has opened' }) opened!: boolean;
}

export class PlanReviewDocument {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) clinicianId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) payerId!: string | null;
  @ApiProperty({ enum: ['active', 'closed'] }) status!: string;
  @ApiProperty({ type: Integer, nullable: true, description: 'The revision in effect' }) revision!: number | null;
  @ApiProperty({ type: () => PeriodicReviewDocument, nullable: true }) periodicReview!: PeriodicReviewDocument | null;
  @ApiProperty({ type: () => [TaskSummary] }) tasks!: TaskSummary[];
  @ApiProperty({ type: Integer }) version!: number;
}

const summaryOf = (task: ReviewTask): TaskSummary => ({
  taskId: task.taskId,
  kind: task.kind,
  status: task.status,
  urgency: task.urgency,
  reasons: [...task.reasons],
  dueAt: task.dueAt,
  openedAt: task.openedAt,
  overdueAt: task.overdueAt,
  escalatedAt: task.escalation?.escalatedAt ?? null,
});

export const planReviewDocument = (plan: TrackedPlan, version: number): PlanReviewDocument => ({
  planId: plan.planId,
  clinicianId: plan.clinicianId,
  payerId: plan.payerId,
  status: plan.status,
  revision: plan.revision,
  periodicReview: plan.periodicReview ? { ...plan.periodicReview } : null,
  tasks: plan.tasks.map(summaryOf),
  version,
});

export const taskDocument = (
  plan: TrackedPlan,
  task: ReviewTask,
  stored: readonly { eventId: string; streamPosition: number; event: ReviewEvent }[],
  version: number,
): TaskDocument => ({
  ...summaryOf(task),
  planId: plan.planId,
  clinicianId: plan.clinicianId,
  firstTriggeredAt: task.firstTriggeredAt,
  reviewAt: task.reviewAt,
  reviewIntervalOutstanding: task.reviewIntervalOutstanding,
  cancelledAt: task.cancelledAt,
  escalation: task.escalation ? { ...task.escalation } : null,
  completion: task.completion ? { ...task.completion, riskAssessment: task.completion.riskAssessment ? { ...task.completion.riskAssessment } : null } : null,
  triggers: task.triggers.map((trigger) => ({
    eventId: trigger.eventId,
    type: trigger.signal.type,
    occurredAt: trigger.occurredAt,
    reasons: [...trigger.reasons],
    urgency: trigger.urgency,
    answer: task.answers.get(trigger.eventId) ?? null,
    planEvent: { ...trigger.signal } as PlanEventCodes,
  })),
  history: stored
    .filter(({ event }) => 'taskId' in event.data && event.data.taskId === task.taskId)
    .map(({ eventId, streamPosition, event }) => ({ position: streamPosition, type: event.type, eventId })),
  version,
});

export const isTracked = (plan: PlanReview): plan is TrackedPlan => plan.status !== 'untracked';
