import { randomUUID } from 'node:crypto';
import { CommandTarget, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { accepted, CommandAccepted } from '../command-accepted';
import { PlanCommandHeaders } from '../plan-command.headers';
import { RecordAssessment } from './record-assessment.command';
import { RecordAssessmentRequest } from './record-assessment.request.dto';

@ApiTags('assessments')
@PlanCommandHeaders()
@Controller('plans/:planId/assessments')
export class RecordAssessmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a PHQ-9 or GAD-7; a meaningful change also records SymptomsChanged' })
  @ApiCreatedResponse({ type: CommandAccepted })
  async record(@CommandTarget('planId') target: CommandTargetOf, @Body() body: RecordAssessmentRequest): Promise<CommandAccepted> {
    const assessmentId = randomUUID();
    const data = {
      assessmentId,
      instrument: body.instrument,
      items: body.items,
      declaredTotal: body.declaredTotal ?? null,
      administeredAt: body.administeredAt ?? null,
    };
    return accepted(target, await this.commands.execute(new RecordAssessment(target, { type: 'RecordAssessment', data })), assessmentId);
  }
}
