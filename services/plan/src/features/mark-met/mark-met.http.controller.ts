import { CommandTarget, UuidParam, type CommandTargetOf } from '@golden-loop/http-api';
import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { accepted, CommandAccepted } from '../command-accepted';
import { PlanCommandHeaders } from '../plan-command.headers';
import { MarkMet } from './mark-met.command';

@ApiTags('goals and objectives')
@PlanCommandHeaders()
@Controller('plans/:planId')
export class MarkMetController {
  constructor(private readonly commands: CommandBus) {}

  @Post('goals/:goalId/met')
  @HttpCode(200)
  @ApiParam({ name: 'goalId', format: 'uuid' })
  @ApiOperation({ summary: 'A goal was met (GoalMet: the plan needs an update)' })
  @ApiOkResponse({ type: CommandAccepted })
  async goalMet(@CommandTarget('planId') target: CommandTargetOf, @Param('goalId', UuidParam('goalId')) goalId: string): Promise<CommandAccepted> {
    return accepted(target, await this.commands.execute(new MarkMet(target, { type: 'MarkGoalMet', data: { goalId } })));
  }

  @Post('objectives/:objectiveId/met')
  @HttpCode(200)
  @ApiParam({ name: 'objectiveId', format: 'uuid' })
  @ApiOperation({ summary: 'An objective was met (ObjectiveMet)' })
  @ApiOkResponse({ type: CommandAccepted })
  async objectiveMet(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('objectiveId', UuidParam('objectiveId')) objectiveId: string,
  ): Promise<CommandAccepted> {
    return accepted(target, await this.commands.execute(new MarkMet(target, { type: 'MarkObjectiveMet', data: { objectiveId } })));
  }
}
