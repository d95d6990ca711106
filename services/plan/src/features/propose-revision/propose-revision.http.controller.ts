import { CommandTarget, PositiveIntegerParam, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { accepted, CommandAccepted } from '../command-accepted';
import { PlanCommandHeaders } from '../plan-command.headers';
import { ProposeRevision } from './propose-revision.command';
import { ProposeRevisionRequest, WithdrawRevisionRequest } from './propose-revision.request.dto';

@ApiTags('revisions')
@PlanCommandHeaders()
@Controller('plans/:planId/revisions')
export class ProposeRevisionController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Propose a revision, with its reason and the triggers it answers' })
  @ApiCreatedResponse({ type: CommandAccepted })
  async propose(@CommandTarget('planId') target: CommandTargetOf, @Body() body: ProposeRevisionRequest): Promise<CommandAccepted> {
    const data = { reason: body.reason, note: body.note, triggers: body.triggers.map(({ type, id }) => ({ type, id })) };
    return accepted(target, await this.commands.execute(new ProposeRevision(target, { type: 'ProposeRevision', data })));
  }

  @Delete(':revision')
  @HttpCode(200)
  @ApiParam({ name: 'revision', schema: { type: 'integer', minimum: 1 } })
  @ApiOperation({ summary: 'Withdraw the draft revision' })
  @ApiOkResponse({ type: CommandAccepted })
  async withdraw(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('revision', PositiveIntegerParam('revision')) revision: number,
    @Body() body: WithdrawRevisionRequest,
  ): Promise<CommandAccepted> {
    return accepted(target, await this.commands.execute(new ProposeRevision(target, { type: 'WithdrawRevision', data: { revision, note: body?.note } })));
  }
}
