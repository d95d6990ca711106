import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { Actor, planIdParam, type RequestActor } from '../../api/plan-http';
import type { LifeEventCategory, LifeEventImpact } from '../../domain/plan-content';

export class ReportLifeEventRequest {
  @ApiProperty({ example: 'employment_change', description: 'A life-event category code (see the AsyncAPI catalogue)' })
  @IsString()
  category!: LifeEventCategory;
  @ApiProperty({ enum: ['minor', 'moderate', 'major'] }) @IsString() impact!: LifeEventImpact;
  @ApiPropertyOptional({ example: '2026-11-20', nullable: true }) @IsOptional() @IsISO8601({ strict: true }) occurredOn?: string | null;
  @ApiProperty({ description: 'What happened; stays in the plan service (never published)' }) @IsString() @MaxLength(4000) description!: string;
}

@ApiTags('life events')
@ApiHeader({ name: 'X-User-Id', required: true })
@Controller('plans/:planId/life-events')
export class ReportLifeEventController {
  constructor(private readonly sender: PlanCommandSender) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Report a lifestyle or environmental shift (a reason to update the plan)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  report(
    @Param('planId', planIdParam) planId: string,
    @Body() body: ReportLifeEventRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: RequestActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    const lifeEventId = randomUUID();
    return this.sender.send({
      planId,
      type: 'ReportLifeEvent',
      actor,
      ifMatch,
      response,
      id: lifeEventId,
      data: { lifeEventId, category: body.category, impact: body.impact, occurredOn: body.occurredOn ?? null, description: body.description },
    });
  }
}
