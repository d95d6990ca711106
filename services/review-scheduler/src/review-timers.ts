import type { StoredEvent } from '@golden-loop/command-runner';
import type { Timer } from '@golden-loop/scheduling';
import type { ReviewEvent } from './domain/events';
import { escalationAt, type ReviewPolicy } from './domain/review-policy';
import { taskOf, type PlanReview } from './domain/state';

// Which durable timers a decision sets or clears (docs/review-scheduling.md, "Timers"). They are written in the
// transaction of the decision (libs/scheduling, Timers.schedule with the command's manager), so a timer exists
// exactly when the events that need it committed. A timer id names what it is for, so re-arming moves it.

export const TIMER_KINDS = {
  overdue: 'review.overdue',
  escalation: 'review.escalation',
  periodic: 'review.periodic',
} as const;

export interface OverduePayload extends Record<string, unknown> {
  readonly taskId: string;
}
export interface EscalationPayload extends Record<string, unknown> {
  readonly taskId: string;
  readonly clinicianId: string;
}
export interface PeriodicPayload extends Record<string, unknown> {
  readonly reviewAt: string;
}

export const overdueTimerId = (taskId: string): string => `${TIMER_KINDS.overdue}/${taskId}`;
export const escalationTimerId = (taskId: string): string => `${TIMER_KINDS.escalation}/${taskId}`;
export const periodicTimerId = (planId: string): string => `${TIMER_KINDS.periodic}/${planId}`;

export interface TimerChanges {
  readonly schedule: readonly Timer[];
  readonly cancel: readonly string[];
}

/** The timers to set and clear for the events a command appended, given the state after them. */
export const timerChangesOf = (events: readonly StoredEvent<ReviewEvent>[], state: PlanReview, policy: ReviewPolicy): TimerChanges => {
  if (state.status === 'untracked') return { schedule: [], cancel: [] };
  // Later changes of one timer win: a task opened and completed by one command leaves no timer.
  const changes = new Map<string, Timer | null>();
  const set = (timer: Timer) => changes.set(timer.timerId, timer);
  const armTask = (taskId: string) => {
    const task = taskOf(state, taskId);
    if (!task || task.status !== 'open') return;
    if (task.overdueAt === null) {
      set({ timerId: overdueTimerId(taskId), kind: TIMER_KINDS.overdue, streamId: state.planId, dueAt: new Date(task.dueAt), payload: { taskId } satisfies OverduePayload });
    }
    if (task.kind === 'safety_review' && task.escalation === null) {
      set({
        timerId: escalationTimerId(taskId),
        kind: TIMER_KINDS.escalation,
        streamId: state.planId,
        dueAt: new Date(escalationAt(policy, task.dueAt)),
        payload: { taskId, clinicianId: state.clinicianId } satisfies EscalationPayload,
      });
    }
  };
  for (const { event } of events) {
    switch (event.type) {
      case 'ReviewTaskOpened':
        armTask(event.data.taskId);
        break;
      case 'ReviewTaskTriggerJoined':
        if (event.data.dueAt !== event.data.previousDueAt) armTask(event.data.taskId);
        break;
      case 'ReviewTaskCompleted':
      case 'ReviewTaskCancelled':
        changes.set(overdueTimerId(event.data.taskId), null);
        changes.set(escalationTimerId(event.data.taskId), null);
        break;
      case 'PeriodicReviewScheduled':
        set({
          timerId: periodicTimerId(state.planId),
          kind: TIMER_KINDS.periodic,
          streamId: state.planId,
          dueAt: new Date(event.data.opensAt),
          payload: { reviewAt: event.data.reviewAt } satisfies PeriodicPayload,
        });
        break;
      case 'PlanClosureRecorded':
        changes.set(periodicTimerId(state.planId), null);
        break;
      default:
        break;
    }
  }
  const entries = [...changes.entries()];
  return {
    schedule: entries.flatMap(([, timer]) => (timer ? [timer] : [])),
    cancel: entries.flatMap(([timerId, timer]) => (timer ? [] : [timerId])),
  };
};
