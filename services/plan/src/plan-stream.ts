import { CommandRunner, type EventStream, type RunResult } from '@golden-loop/command-runner';
import type { CommandTargetOf } from '@golden-loop/http-api';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PlanCommand, PlanCommandType } from './domain/commands';
import type { PlanEvent } from './domain/events';
import type { TreatmentPlan } from './domain/plan-state';
import { treatmentPlanDecider } from './domain/treatment-plan';
import { planPublication, type PlanPublicationState } from './outbound/plan-publication';

export const PLAN_STREAM_TYPE = 'TreatmentPlan';

/** The plan stream, its decider and what of it is published on which topic. */
export type PlanStream = EventStream<TreatmentPlan, PlanCommand, PlanEvent, PlanPublicationState>;
export const PLAN_STREAM = Symbol('PLAN_STREAM');

export const planStream = (topic: string): PlanStream => ({
  streamType: PLAN_STREAM_TYPE,
  decider: treatmentPlanDecider,
  publication: planPublication(topic),
});

export type PlanRunResult = RunResult<TreatmentPlan, PlanEvent>;

/** A domain command as a use case states it: its type and data; the handler adds the metadata. */
export type PlanCommandInput<T extends PlanCommandType> = T extends PlanCommandType
  ? Pick<Extract<PlanCommand, { type: T }>, 'type' | 'data'>
  : never;

/**
 * Every plan use case's command: the plan it is for, with the request's metadata and If-Match, and the domain
 * command. A consumer would add its inbox transaction as `manager`.
 */
export abstract class PlanUseCase<T extends PlanCommandType> {
  constructor(
    readonly target: CommandTargetOf,
    readonly command: PlanCommandInput<T>,
    readonly manager?: EntityManager,
  ) {}
}

interface PlanUseCaseShape {
  readonly target: CommandTargetOf;
  readonly command: PlanCommandInput<PlanCommandType>;
  readonly manager?: EntityManager;
}

/** The one body of every plan command handler (ICommandHandler): the shared runner with the plan stream. */
@Injectable()
export abstract class PlanUseCaseHandler<C extends PlanUseCaseShape> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(PLAN_STREAM) private readonly stream: PlanStream,
  ) {}

  execute({ target, command, manager }: C): Promise<PlanRunResult> {
    const { now, userId } = target.metadata;
    return this.runner.run(this.stream, {
      streamId: target.streamId,
      command: { ...command, metadata: { now, userId } },
      metadata: target.metadata,
      expectedVersion: target.expectedVersion,
      manager,
    });
  }
}
