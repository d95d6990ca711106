import type { EventStream } from '@golden-loop/command-runner';
import type { ReadinessCommand } from './domain/commands';
import type { ReadinessEvent } from './domain/events';
import { readinessDecider } from './domain/readiness';
import type { PlanReadiness } from './domain/state';
import { billingPublication } from './outbound/billing-publication';

export const READINESS_STREAM_TYPE = 'PlanReadiness';
export const READINESS_STREAM = Symbol('READINESS_STREAM');

/** One plan's readiness stream (stream id = plan id): its decider and what of it is published on `topic`. */
export type ReadinessStream = EventStream<PlanReadiness, ReadinessCommand, ReadinessEvent, null>;

export const readinessStream = (topic: string): ReadinessStream => ({
  streamType: READINESS_STREAM_TYPE,
  decider: readinessDecider,
  publication: billingPublication(topic),
});

/** Durable timers of this service (libs/scheduling): one re-check per plan, one decision deadline per request. */
export const TIMERS = {
  recheck: { kind: 'billing.recheck', idOf: (planId: string) => `billing/recheck/${planId}` },
  decisionDue: { kind: 'billing.reauthorization-decision-due', idOf: (requestId: string) => `billing/reauthorization-due/${requestId}` },
} as const;
