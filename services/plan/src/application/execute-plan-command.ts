import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PlanCommand } from '../domain/commands';
import type { PlanEvent } from '../domain/events';
import { PlanStreams, type CommandContext } from './plan-streams';

/** Every plan command takes the same path: load the stream, decide, append with its outbox rows. */
export class ExecutePlanCommand {
  constructor(
    readonly planId: string,
    readonly command: PlanCommand,
    readonly context: CommandContext,
  ) {}
}

export interface PlanCommandResult {
  readonly version: number;
  readonly events: readonly PlanEvent[];
}

@CommandHandler(ExecutePlanCommand)
export class ExecutePlanCommandHandler implements ICommandHandler<ExecutePlanCommand, PlanCommandResult> {
  constructor(private readonly streams: PlanStreams) {}

  execute({ planId, command, context }: ExecutePlanCommand): Promise<PlanCommandResult> {
    return this.streams.execute(planId, command, context);
  }
}
