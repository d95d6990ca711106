import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { Actor, type RequestActor } from '../../api/plan-http';
import { OpenPlanRequest } from './open-plan.request.dto';

@ApiTags('plans')
@ApiHeader({ name: 'X-User-Id', required: true, description: 'The acting user (UUID)' })
@Controller('plans')
export class OpenPlanController {
  constructor(private readonly sender: PlanCommandSender) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Open a treatment plan; its first revision is drafted and takes effect when client and clinician sign it' })
  @ApiCreatedResponse({ type: CommandAccepted })
  async open(@Body() body: OpenPlanRequest, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    const planId = body.planId ?? randomUUID();
    const accepted = await this.sender.send({
      target: { planId, actor, response },
      type: 'OpenPlan',
      data: {
        planId,
        clientId: body.clientId,
        clinicianId: body.clinicianId,
        payerId: body.payerId ?? null,
        presentingProblem: body.presentingProblem,
        strengths: body.strengths,
        diagnoses: body.diagnoses.map(({ code, rank, description }) => ({ code, rank, description })),
        symptoms: body.symptoms.map((s) => ({ symptomId: s.id ?? randomUUID(), diagnosisCode: s.diagnosisCode, description: s.description })),
        impairments: body.impairments.map((i) => ({ impairmentId: i.id ?? randomUUID(), diagnosisCode: i.diagnosisCode, description: i.description })),
        service: { ...body.service, frequency: { ...body.service.frequency } },
      },
    });
    response.setHeader('Location', `/plans/${planId}`);
    return accepted;
  }
}
