// Test-only (it uses jest's expect), so it is not exported from the library's index.
import { deciderSpecification } from '@golden-loop/decider/src/specification';
import type { PlanCommand } from '../commands';
import type { PlanEvent } from '../events';
import { evolve } from '../evolve';
import { initialState, type TreatmentPlan } from '../plan-state';
import { decide } from '../treatment-plan';

/** given(events).when(command).then(events): the plan decider's specification (libs/decider). */
export const given = deciderSpecification<TreatmentPlan, PlanCommand, PlanEvent>({ decide, evolve, initialState });

export const stateAfter = (history: readonly PlanEvent[]): TreatmentPlan => history.reduce(evolve, initialState());
