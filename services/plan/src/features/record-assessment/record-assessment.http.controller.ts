import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { CommandTarget, type PlanCommandTarget } from '../../api/plan-http';
import { RecordAssessmentRequest } from './record-assessment.request.dto';

@ApiParam({ name: 'planId', format: 'uuid' })
@ApiTags('assessments')
@ApiHeader({ name: 'X-User-Id', required: true })
@ApiHeader({ name: 'If-Match', required: false, description: 'The plan ETag you read; 409 when it moved on' })
@Controller('plans/:planId/assessments')
export class RecordAssessmentController {
  constructor(private readonly sender: PlanCommandSender) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a PHQ-9 or GAD-7; a meaningful change also records SymptomsChanged' })
  @ApiCreatedResponse({ type: CommandAccepted })
  record(
    @CommandTarget() target: PlanCommandTarget,
    @Body() body: RecordAssessmentRequest,
  ) {
    const assessmentId = randomUUID();
    return this.sender.send({
      target,
      type: 'RecordAssessment',
      id: assessmentId,
      data: { assessmentId, instrument: body.instrument, items: body.items, declaredTotal: body.declaredTotal ?? null },
    });
  }
}
