import { Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { Actor, planIdParam, UuidParam, type RequestActor } from '../../api/plan-http';

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
    @Param('planId', planIdParam) planId: string,
    @Param('goalId', new UuidParam('goalId')) goalId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: RequestActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.sender.send({ planId, type: 'MarkGoalMet', actor, ifMatch, response, data: { goalId } });
  }

  @Post('objectives/:objectiveId/met')
  @HttpCode(200)
  @ApiOperation({ summary: 'An objective was met (ObjectiveMet)' })
  @ApiOkResponse({ type: CommandAccepted })
  objectiveMet(
    @Param('planId', planIdParam) planId: string,
    @Param('objectiveId', new UuidParam('objectiveId')) objectiveId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: RequestActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.sender.send({ planId, type: 'MarkObjectiveMet', actor, ifMatch, response, data: { objectiveId } });
  }
}
