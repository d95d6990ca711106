// Test-only (it uses jest's expect), so it is not exported from the library's index.
import { deciderSpecification } from '@golden-loop/decider/src/specification';
import type { PlanCommandInput } from '../command-inputs';
import type { PlanEvent } from '../events';
import { evolve } from '../evolve';
import { parsePlanCommand } from '../parse-command';
import { initialState, type TreatmentPlan } from '../plan-state';
import { decide } from '../treatment-plan';

/** A command as the plan's handler runs it: parsed at the edge, then decided. */
export const decideInput = (command: PlanCommandInput, plan: TreatmentPlan): PlanEvent[] => decide(parsePlanCommand(command), plan);

/** given(events).when(command).then(events): the plan decider's specification (libs/decider), for commands as the edge gives them. */
export const given = deciderSpecification<TreatmentPlan, PlanCommandInput, PlanEvent>({ decide: decideInput, evolve, initialState });

export const stateAfter = (history: readonly PlanEvent[]): TreatmentPlan => history.reduce(evolve, initialState());
