import type { Decider } from '@golden-loop/decider';
import type { ReviewCommand } from './commands';
import { completeWithoutChange, recordRiskAssessment } from './complete-task.decide';
import type { ReviewEvent } from './events';
import { evolve } from './evolve';
import { recordClosure } from './record-closure.decide';
import { recordRevision } from './record-revision.decide';
import { recordTrigger } from './record-trigger.decide';
import { registerPlan } from './register-plan.decide';
import { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from './review-policy';
import { escalateSafetyReview, markOverdue, openPeriodicReview } from './review-timers.decide';
import { initialState, type PlanReview } from './state';

// One plan's review as a decider (docs/service-kit.md, "The decider"): decide(command, state) → events, evolve(state, event) → state,
// with the network's service levels given once (the service's config class).

// A command type this build does not know decides nothing rather than dead-lettering a plan's key.
const unknownCommand = (_command: never): ReviewEvent[] => [];

export const decide =
  (policy: ReviewPolicy) =>
  (command: ReviewCommand, state: PlanReview): ReviewEvent[] => {
    switch (command.type) {
      case 'RegisterPlan':
        return registerPlan(command, state);
      case 'RecordTrigger':
        return recordTrigger(command, state, policy);
      case 'RecordRevision':
        return recordRevision(command, state, policy);
      case 'RecordClosure':
        return recordClosure(command, state);
      case 'CompleteWithoutChange':
        return completeWithoutChange(command, state, policy);
      case 'RecordRiskAssessment':
        return recordRiskAssessment(command, state);
      case 'MarkOverdue':
        return markOverdue(command, state);
      case 'EscalateSafetyReview':
        return escalateSafetyReview(command, state, policy);
      case 'OpenPeriodicReview':
        return openPeriodicReview(command, state);
      default:
        return unknownCommand(command);
    }
  };

export const planReviewDecider = (policy: ReviewPolicy = DEFAULT_REVIEW_POLICY): Decider<PlanReview, ReviewCommand, ReviewEvent> => ({
  decide: decide(policy),
  evolve,
  initialState,
});
