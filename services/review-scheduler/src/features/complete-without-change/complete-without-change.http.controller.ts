import { NO_CHANGE_REASONS, type NoChangeReason } from '@golden-loop/contracts';
import { CommandTarget, UuidParam, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { accepted, ReviewTaskCommandHeaders, TaskCommandAccepted } from '../review-command.headers';
import { CompleteWithoutChange } from './complete-without-change.command';

export class CompleteWithoutChangeRequest {
  @ApiProperty({ enum: NO_CHANGE_REASONS, description: 'Why the plan needs no change (a code; no free text leaves the service)' })
  @IsIn(NO_CHANGE_REASONS)
  reason!: NoChangeReason;
}

@ApiTags('review tasks')
@ReviewTaskCommandHeaders()
@Controller('plans/:planId/review-tasks/:taskId/reviewed-no-change')
export class CompleteWithoutChangeController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a plan-update or periodic task as reviewed, no change needed, with a reason code' })
  @ApiOkResponse({ type: TaskCommandAccepted })
  async complete(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('taskId', UuidParam('taskId')) taskId: string,
    @Body() body: CompleteWithoutChangeRequest,
  ): Promise<TaskCommandAccepted> {
    const command = new CompleteWithoutChange(target.streamId, { type: 'CompleteWithoutChange', data: { taskId, reason: body.reason } }, target.metadata, undefined, target.expectedVersion);
    return accepted(target, taskId, await this.commands.execute(command));
  }
}
