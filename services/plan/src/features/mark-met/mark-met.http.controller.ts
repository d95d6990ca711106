import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { CommandTarget, UuidParam, type PlanCommandTarget } from '../../api/plan-http';

@ApiParam({ name: 'planId', format: 'uuid' })
@ApiTags('goals and objectives')
@ApiHeader({ name: 'X-User-Id', required: true })
@Controller('plans/:planId')
export class MarkMetController {
  constructor(private readonly sender: PlanCommandSender) {}

  @Post('goals/:goalId/met')
  @HttpCode(200)
  @ApiOperation({ summary: 'A goal was met (GoalMet: the plan needs an update)' })
  @ApiOkResponse({ type: CommandAccepted })
  goalMet(
    @CommandTarget() target: PlanCommandTarget,
    @Param('goalId', new UuidParam('goalId')) goalId: string,
  ) {
    return this.sender.send({ target, type: 'MarkGoalMet', data: { goalId } });
  }

  @Post('objectives/:objectiveId/met')
  @HttpCode(200)
  @ApiOperation({ summary: 'An objective was met (ObjectiveMet)' })
  @ApiOkResponse({ type: CommandAccepted })
  objectiveMet(
    @CommandTarget() target: PlanCommandTarget,
    @Param('objectiveId', new UuidParam('objectiveId')) objectiveId: string,
  ) {
    return this.sender.send({ target, type: 'MarkObjectiveMet', data: { objectiveId } });
  }
}
