// Test-only (it uses jest's expect), so it is not exported from the library's index.
import { deciderSpecification } from '@golden-loop/decider/src/specification';
import type { ReviewCommand } from '../commands';
import type { ReviewEvent } from '../events';
import { evolve } from '../evolve';
import { planReviewDecider } from '../plan-review';
import { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from '../review-policy';
import { initialState, type PlanReview, type TrackedPlan } from '../state';

/** given(events).when(command).then(events): the plan review decider's specification (libs/decider). */
export const givenWith = (policy: ReviewPolicy) => deciderSpecification<PlanReview, ReviewCommand, ReviewEvent>(planReviewDecider(policy));
export const given = givenWith(DEFAULT_REVIEW_POLICY);

export const stateAfter = (history: readonly ReviewEvent[]): PlanReview => history.reduce(evolve, initialState());
export const trackedAfter = (history: readonly ReviewEvent[]): TrackedPlan => stateAfter(history) as TrackedPlan;
