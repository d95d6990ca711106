import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { ExecutePlanCommand, type PlanCommandResult } from '../application/execute-plan-command';
import type { CommandMetadata, PlanCommand } from '../domain/commands';
import { commandMetadata, expectedVersionOf, setEtag, type PlanCommandTarget } from './plan-http';

export class CommandAccepted {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ description: 'The plan version after the command (also the ETag)' }) version!: number;
  @ApiProperty({ description: 'The events the command recorded, in order', example: ['AssessmentRecorded', 'SymptomsChanged'] })
  events!: string[];
  @ApiProperty({ required: false, description: 'The id given to what the command created (goal, objective, assessment, ...)' })
  id?: string;
}

type CommandOf<T extends PlanCommand['type']> = Extract<PlanCommand, { type: T }>;

/** How every command endpoint talks to the command bus: If-Match in, ETag and the recorded event types out. */
@Injectable()
export class PlanCommandSender {
  constructor(private readonly commands: CommandBus) {}

  async send<T extends PlanCommand['type']>(
    request: { target: PlanCommandTarget; type: T; data: CommandOf<T>['data']; id?: string },
  ): Promise<CommandAccepted> {
    const { planId, actor, ifMatch, response } = request.target;
    const metadata: CommandMetadata = commandMetadata(actor);
    const command = { type: request.type, data: request.data, metadata } as PlanCommand;
    const result = await this.commands.execute<ExecutePlanCommand, PlanCommandResult>(
      new ExecutePlanCommand(planId, command, {
        expectedVersion: expectedVersionOf(ifMatch),
        correlationId: actor.correlationId,
      }),
    );
    setEtag(response, result.version);
    return {
      planId,
      version: result.version,
      events: result.events.map((event) => event.type),
      ...(request.id === undefined ? {} : { id: request.id }),
    };
  }
}
