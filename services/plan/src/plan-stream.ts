import { CommandRunner, type EventStream, type RunResult } from '@golden-loop/command-runner';
import type { CommandTargetOf } from '@golden-loop/http-api';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PlanCommandInput } from './domain/command-inputs';
import type { PlanCommand, PlanCommandType } from './domain/commands';
import type { PlanEvent } from './domain/events';
import { parsePlanCommand } from './domain/parse-command';
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

/** A domain command as a use case states it, from its request: its type and data; the handler adds the metadata and parses it. */
export type PlanUseCaseCommand<T extends PlanCommandType> = T extends PlanCommandType
  ? Pick<Extract<PlanCommandInput, { type: T }>, 'type' | 'data'>
  : never;

/**
 * Every plan use case's command: the plan it is for, with the request's metadata and If-Match, and the domain
 * command. A consumer would add its inbox transaction as `manager`.
 */
export abstract class PlanUseCase<T extends PlanCommandType> {
  constructor(
    readonly target: CommandTargetOf,
    readonly command: PlanUseCaseCommand<T>,
    readonly manager?: EntityManager,
  ) {}
}

/** The command the decider takes: a use case's command with the handler's metadata, parsed (domain/parse-command.ts). */
export const planCommandOf = (command: PlanUseCaseCommand<PlanCommandType>, metadata: PlanCommand['metadata']): PlanCommand =>
  parsePlanCommand({ ...command, metadata });

interface PlanUseCaseShape {
  readonly target: CommandTargetOf;
  readonly command: PlanUseCaseCommand<PlanCommandType>;
  readonly manager?: EntityManager;
}

/**
 * The one body of every plan command handler (ICommandHandler): the command parsed at the edge (a field that is not
 * what it must be is refused before the plan is read), then the shared runner with the plan stream.
 */
@Injectable()
export abstract class PlanUseCaseHandler<C extends PlanUseCaseShape> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(PLAN_STREAM) private readonly stream: PlanStream,
  ) {}

  async execute({ target, command, manager }: C): Promise<PlanRunResult> {
    const { now, userId } = target.metadata;
    const parsed = planCommandOf(command, { now, userId });
    return await this.runner.run(this.stream, {
      streamId: target.streamId,
      command: parsed,
      metadata: target.metadata,
      expectedVersion: target.expectedVersion,
      manager,
    });
  }
}
