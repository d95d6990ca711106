import type { Decider } from '@golden-loop/decider';
import { decideRecordAuthorization, decideRecordSession } from './authorization.decide';
import { isCheckable, withCheck } from './checked';
import type { ReadinessCommand } from './commands';
import type { ReadinessEvent } from './events';
import { evolve } from './evolve';
import { decideNoteEvent } from './note-event.decide';
import { decideFlagDecisionOverdue, decideRecordPayerDecision, decideRequestReauthorization } from './reauthorization.decide';
import { initialState, type PlanReadiness } from './state';

export const decide = (command: ReadinessCommand, state: PlanReadiness): ReadinessEvent[] => {
  switch (command.type) {
    case 'NoteEvent':
      return decideNoteEvent(command, state);
    case 'Recheck':
      return isCheckable(state) ? withCheck(state, [], command, command.data.cause, null) : [];
    case 'RecordAuthorization':
      return decideRecordAuthorization(command, state);
    case 'RecordSession':
      return decideRecordSession(command, state);
    case 'RequestReauthorization':
      return decideRequestReauthorization(command, state);
    case 'RecordPayerDecision':
      return decideRecordPayerDecision(command, state);
    case 'FlagDecisionOverdue':
      return decideFlagDecisionOverdue(command, state);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
};

/** One plan's readiness: what billing knows of it, and every check, append-only (stream id = plan id). */
export const readinessDecider: Decider<PlanReadiness, ReadinessCommand, ReadinessEvent> = { decide, evolve, initialState };
