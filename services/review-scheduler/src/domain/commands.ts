import type { NoChangeReason } from '@golden-loop/contracts';
import type { PlanSignal, RiskAssessment } from './events';

/** The handler supplies the time (the injected clock) and, for a person's command, who acts. */
export interface CommandMetadata {
  readonly now: string;
  readonly userId?: string;
}

export type Command<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data>; metadata: CommandMetadata }>;

// Reactions to the plan topic: `eventId` is the plan event's id (its ce_id), so a trigger is known again by it.

export type RegisterPlan = Command<
  'RegisterPlan',
  { eventId: string; planId: string; clinicianId: string; payerId: string | null; openedAt: string }
>;

/** Task ids are chosen by the caller (the same for the same trigger, so a replay decides the same ids). */
export type RecordTrigger = Command<
  'RecordTrigger',
  { eventId: string; occurredAt: string; signal: PlanSignal; taskIds: { readonly planUpdate: string; readonly safetyReview: string } }
>;

export type RecordRevision = Command<
  'RecordRevision',
  { eventId: string; revision: number; triggersAnswered: readonly string[]; revisedAt: string }
>;

export type RecordClosure = Command<'RecordClosure', { eventId: string; closedAt: string }>;

// A clinician's completions (HTTP).

export type CompleteWithoutChange = Command<'CompleteWithoutChange', { taskId: string; reason: NoChangeReason }>;

export type RecordRiskAssessment = Command<'RecordRiskAssessment', { taskId: string; assessment: RiskAssessment }>;

// Durable timers firing (libs/scheduling): each decides nothing when the state has moved on since it was set.

export type MarkOverdue = Command<'MarkOverdue', { taskId: string }>;

/** The clinician's supervisor as known when the escalation fires; null when none is known. */
export type EscalateSafetyReview = Command<
  'EscalateSafetyReview',
  { taskId: string; supervisorId: string | null; teamId: string | null }
>;

export type OpenPeriodicReview = Command<'OpenPeriodicReview', { reviewAt: string; taskId: string }>;

export type ReviewCommand =
  | RegisterPlan
  | RecordTrigger
  | RecordRevision
  | RecordClosure
  | CompleteWithoutChange
  | RecordRiskAssessment
  | MarkOverdue
  | EscalateSafetyReview
  | OpenPeriodicReview;

export type ReviewCommandType = ReviewCommand['type'];
