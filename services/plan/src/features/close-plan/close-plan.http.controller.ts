import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { CommandTarget, type PlanCommandTarget } from '../../api/plan-http';
import type { ClosureReason } from '../../domain/plan-content';

export class ClosePlanRequest {
  @ApiProperty({ example: 'treatment_completed' }) @IsString() reason!: ClosureReason;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) note?: string;
}

@ApiParam({ name: 'planId', format: 'uuid' })
@ApiTags('plans')
@ApiHeader({ name: 'X-User-Id', required: true })
@Controller('plans/:planId/close')
export class ClosePlanController {
  constructor(private readonly sender: PlanCommandSender) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the plan (discharge); it can be read but no longer changed' })
  @ApiOkResponse({ type: CommandAccepted })
  close(
    @CommandTarget() target: PlanCommandTarget,
    @Body() body: ClosePlanRequest,
  ) {
    return this.sender.send({ target, type: 'ClosePlan', data: { reason: body.reason, note: body.note } });
  }
}
