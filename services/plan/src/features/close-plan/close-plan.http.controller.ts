import { CLOSURE_REASONS } from '@golden-loop/contracts';
import { CommandTarget, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { ClosureReason } from '../../domain/plan-content';
import { TEXT_LIMITS } from '../../domain/plan-limits';
import { accepted, CommandAccepted } from '../command-accepted';
import { PlanCommandHeaders } from '../plan-command.headers';
import { ClosePlan } from './close-plan.command';

export class ClosePlanRequest {
  @ApiProperty({ enum: CLOSURE_REASONS }) @IsString() reason!: ClosureReason;
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.note }) @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.note) note?: string;
}

@ApiTags('plans')
@PlanCommandHeaders()
@Controller('plans/:planId/close')
export class ClosePlanController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the plan (discharge); it can be read but no longer changed' })
  @ApiOkResponse({ type: CommandAccepted })
  async close(@CommandTarget('planId') target: CommandTargetOf, @Body() body: ClosePlanRequest): Promise<CommandAccepted> {
    return accepted(target, await this.commands.execute(new ClosePlan(target, { type: 'ClosePlan', data: { reason: body.reason, note: body.note } })));
  }
}
