import type { ReviewEvent, Trigger } from './events';
import type { PlanReview, ReviewTask, TrackedPlan } from './state';

const withSeen = (plan: TrackedPlan, eventId: string | null | undefined): ReadonlySet<string> =>
  eventId ? new Set(plan.seenEvents).add(eventId) : plan.seenEvents;

const updateTask = (plan: TrackedPlan, taskId: string, change: (task: ReviewTask) => ReviewTask): TrackedPlan => ({
  ...plan,
  tasks: plan.tasks.map((task) => (task.taskId === taskId ? change(task) : task)),
});

const triggersWith = (task: ReviewTask, trigger: Trigger | null): readonly Trigger[] =>
  trigger === null ? task.triggers : [...task.triggers, trigger];

// An event type this build does not know (written by a newer one) leaves the state as it is.
const unknownEvent = (_event: never, state: PlanReview): PlanReview => state;

/** Applies one event to a plan's review state. Events of a stream that was never registered leave it as it is. */
export const evolve = (state: PlanReview, event: ReviewEvent): PlanReview => {
  if (event.type === 'PlanRegistered') {
    const { planId, clinicianId, payerId, openedAt, sourceEventId } = event.data;
    return {
      status: 'active',
      planId,
      clinicianId,
      payerId,
      openedAt,
      revision: null,
      revisedAt: null,
      periodicReview: null,
      tasks: [],
      seenEvents: new Set([sourceEventId]),
      closedAt: null,
    };
  }
  if (state.status === 'untracked') return state;
  switch (event.type) {
    case 'ReviewTaskOpened': {
      const d = event.data;
      const task: ReviewTask = {
        taskId: d.taskId,
        kind: d.kind,
        status: 'open',
        reasons: d.reasons,
        triggers: d.trigger === null ? [] : [d.trigger],
        answers: new Map(),
        reviewAt: d.reviewAt,
        reviewIntervalOutstanding: d.reviewAt !== null,
        urgency: d.urgency,
        dueAt: d.dueAt,
        openedAt: d.openedAt,
        firstTriggeredAt: d.firstTriggeredAt,
        overdueAt: null,
        escalation: null,
        completion: null,
        cancelledAt: null,
      };
      const periodicReview = d.reviewAt !== null && state.periodicReview ? { ...state.periodicReview, opened: true } : state.periodicReview;
      return { ...state, tasks: [...state.tasks, task], periodicReview, seenEvents: withSeen(state, d.trigger?.eventId) };
    }
    case 'ReviewTaskTriggerJoined': {
      const d = event.data;
      const joined = updateTask(state, d.taskId, (task) => ({
        ...task,
        reasons: d.reasons,
        triggers: triggersWith(task, d.trigger),
        reviewAt: d.reviewAt ?? task.reviewAt,
        reviewIntervalOutstanding: task.reviewIntervalOutstanding || d.reviewAt !== null,
        urgency: d.urgency,
        dueAt: d.dueAt,
      }));
      const periodicReview = d.reviewAt !== null && state.periodicReview ? { ...state.periodicReview, opened: true } : state.periodicReview;
      return { ...joined, periodicReview, seenEvents: withSeen(state, d.trigger?.eventId) };
    }
    case 'ReviewTaskTriggersAnswered': {
      const d = event.data;
      const answer = { revision: d.revision, answeredBy: d.answeredBy, answeredAt: d.answeredAt };
      return updateTask(state, d.taskId, (task) => ({
        ...task,
        answers: new Map([...task.answers, ...d.answered.map((id) => [id, answer] as const)]),
        // Stryker disable next-line ConditionalExpression: `false` is equivalent: a revision answers the review date whenever the task stood for it (record-revision.decide.ts sets reviewIntervalAnswered to the task's reviewIntervalOutstanding), so a decided event always leaves it false
        reviewIntervalOutstanding: task.reviewIntervalOutstanding && !d.reviewIntervalAnswered,
      }));
    }
    case 'ReviewTaskCompleted': {
      const d = event.data;
      return updateTask(state, d.taskId, (task) => {
        // A revision that completes the task answers every trigger still open.
        const answers = new Map(task.answers);
        // Stryker disable next-line ConditionalExpression,LogicalOperator: the three conditions hold together (a ReviewTaskCompleted has resolvedBy and revision exactly when its resolution is plan_revised), so dropping or or-ing any one of them is equivalent
        if (d.resolution === 'plan_revised' && d.resolvedBy !== null && d.revision !== null) {
          for (const trigger of task.triggers) {
            if (!answers.has(trigger.eventId)) answers.set(trigger.eventId, { revision: d.revision, answeredBy: d.resolvedBy, answeredAt: d.completedAt });
          }
        }
        return {
          ...task,
          status: 'completed',
          answers,
          reviewIntervalOutstanding: false,
          completion: {
            resolution: d.resolution,
            resolvedBy: d.resolvedBy,
            revision: d.revision,
            noChangeReason: d.noChangeReason,
            riskAssessment: d.riskAssessment,
            completedAt: d.completedAt,
            by: d.by,
            secondsToCompletion: d.secondsToCompletion,
          },
        };
      });
    }
    case 'ReviewTaskOverdue':
      return updateTask(state, event.data.taskId, (task) => ({ ...task, overdueAt: event.data.overdueAt }));
    case 'ReviewTaskEscalated': {
      const { route, supervisorId, teamId, escalatedAt } = event.data;
      return updateTask(state, event.data.taskId, (task) => ({ ...task, escalation: { route, supervisorId, teamId, escalatedAt } }));
    }
    case 'ReviewTaskCancelled':
      return updateTask(state, event.data.taskId, (task) => ({ ...task, status: 'cancelled', cancelledAt: event.data.cancelledAt }));
    case 'PlanRevisionRecorded':
      return { ...state, revision: event.data.revision, revisedAt: event.data.revisedAt, seenEvents: withSeen(state, event.data.sourceEventId) };
    case 'PeriodicReviewScheduled': {
      const { reviewAt, opensAt, intervalDays } = event.data;
      return { ...state, periodicReview: { reviewAt, opensAt, intervalDays, opened: false } };
    }
    case 'PlanClosureRecorded':
      return { ...state, status: 'closed', closedAt: event.data.closedAt, seenEvents: withSeen(state, event.data.sourceEventId) };
    default:
      return unknownEvent(event, state);
  }
};
