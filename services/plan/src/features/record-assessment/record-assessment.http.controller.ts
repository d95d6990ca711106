import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { Actor, planIdParam, type RequestActor } from '../../api/plan-http';
import { RecordAssessmentRequest } from './record-assessment.request.dto';

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
    @Param('planId', planIdParam) planId: string,
    @Body() body: RecordAssessmentRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Actor() actor: RequestActor,
    @Res({ passthrough: true }) response: Response,
  ) {
    const assessmentId = randomUUID();
    return this.sender.send({
      planId,
      type: 'RecordAssessment',
      actor,
      ifMatch,
      response,
      id: assessmentId,
      data: { assessmentId, instrument: body.instrument, items: body.items, declaredTotal: body.declaredTotal ?? null },
    });
  }
}
