import { randomUUID } from 'node:crypto';
import { LIFE_EVENT_CATEGORIES, LIFE_EVENT_IMPACTS } from '@golden-loop/contracts';
import { CommandTarget, IsCalendarDate, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { LifeEventCategory, LifeEventImpact } from '../../domain/plan-content';
import { TEXT_LIMITS } from '../../domain/plan-limits';
import { accepted, CommandAccepted } from '../command-accepted';
import { PlanCommandHeaders } from '../plan-command.headers';
import { ReportLifeEvent } from './report-life-event.command';

export class ReportLifeEventRequest {
  @ApiProperty({ enum: LIFE_EVENT_CATEGORIES }) @IsString() category!: LifeEventCategory;
  @ApiProperty({ enum: LIFE_EVENT_IMPACTS }) @IsString() impact!: LifeEventImpact;
  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-11-20', nullable: true, description: 'Not in the future, at most 120 years ago' })
  @IsOptional()
  @IsCalendarDate()
  occurredOn?: string | null;
  @ApiProperty({ description: 'What happened; stays in the plan service (never published)', maxLength: TEXT_LIMITS.lifeEvent })
  @IsString()
  @MaxLength(TEXT_LIMITS.lifeEvent)
  description!: string;
}

@ApiTags('life events')
@PlanCommandHeaders()
@Controller('plans/:planId/life-events')
export class ReportLifeEventController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Report a lifestyle or environmental shift (a reason to update the plan)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  async report(@CommandTarget('planId') target: CommandTargetOf, @Body() body: ReportLifeEventRequest): Promise<CommandAccepted> {
    const lifeEventId = randomUUID();
    const data = { lifeEventId, category: body.category, impact: body.impact, occurredOn: body.occurredOn ?? null, description: body.description };
    return accepted(target, await this.commands.execute(new ReportLifeEvent(target, { type: 'ReportLifeEvent', data })), lifeEventId);
  }
}
