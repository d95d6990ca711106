import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { Actor, planIdParam, type RequestActor } from '../../api/plan-http';
import type { ClosureReason } from '../../domain/plan-content';

export class ClosePlanRequest {
  @ApiProperty({ example: 'treatment_completed' }) @IsString() reason!: ClosureReason;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) note?: string;
}

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
    @Param('planId', planIdParam) planId: string,
    @Body() body: ClosePlanRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: RequestActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.sender.send({ planId, type: 'ClosePlan', actor, ifMatch, response, data: { reason: body.reason, note: body.note } });
  }
}
