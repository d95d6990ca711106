import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { CommandTarget, type PlanCommandTarget } from '../../api/plan-http';
import type { LifeEventCategory, LifeEventImpact } from '../../domain/plan-content';

export class ReportLifeEventRequest {
  @ApiProperty({ example: 'employment_change', description: 'A life-event category code (see the AsyncAPI catalogue)' })
  @IsString()
  category!: LifeEventCategory;
  @ApiProperty({ enum: ['minor', 'moderate', 'major'] }) @IsString() impact!: LifeEventImpact;
  @ApiPropertyOptional({ example: '2026-11-20', nullable: true }) @IsOptional() @IsISO8601({ strict: true }) occurredOn?: string | null;
  @ApiProperty({ description: 'What happened; stays in the plan service (never published)' }) @IsString() @MaxLength(4000) description!: string;
}

@ApiParam({ name: 'planId', format: 'uuid' })
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
    @CommandTarget() target: PlanCommandTarget,
    @Body() body: ReportLifeEventRequest,
  ) {
    const lifeEventId = randomUUID();
    return this.sender.send({
      target,
      type: 'ReportLifeEvent',
      id: lifeEventId,
      data: { lifeEventId, category: body.category, impact: body.impact, occurredOn: body.occurredOn ?? null, description: body.description },
    });
  }
}
