import { randomUUID } from 'node:crypto';
import { Access, CommandTarget, idOf, RequestRefused, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PlanRunResult } from '../../plan-stream';
import { accepted, CommandAccepted } from '../command-accepted';
import { PlanCommandErrors } from '../plan-command.headers';
import { OpenPlan } from './open-plan.command';
import { OpenPlanRequest } from './open-plan.request.dto';

@ApiTags('plans')
@PlanCommandErrors()
@Access({ roles: ['clinician'] })
@Controller('plans')
export class OpenPlanController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Open a treatment plan; its first revision is drafted and takes effect when client and clinician sign it' })
  @ApiCreatedResponse({ type: CommandAccepted, headers: { Location: { description: 'The new plan', schema: { type: 'string' } } } })
  async open(@CommandTarget() request: CommandTargetOf, @Body() body: OpenPlanRequest): Promise<CommandAccepted> {
    // A clinician opens plans on their own caseload (docs/security.md): clinicianId is the caller, said or not.
    const clinicianId = idOf(body.clinicianId) ?? request.principal.userId;
    if (clinicianId !== request.principal.userId) {
      throw new RequestRefused('not_your_caseload', 403, 'You can open plans only on your own caseload: clinicianId must be you.', 'clinicianId');
    }
    const planId = body.planId ?? randomUUID();
    const target = { ...request, streamId: planId };
    const data = {
      planId,
      clientId: body.clientId,
      clinicianId,
      payerId: body.payerId ?? null,
      presentingProblem: body.presentingProblem,
      strengths: body.strengths,
      diagnoses: body.diagnoses.map(({ code, rank, description }) => ({ code, rank, description })),
      symptoms: body.symptoms.map((s) => ({ symptomId: s.id ?? randomUUID(), diagnosisCode: s.diagnosisCode, description: s.description })),
      impairments: body.impairments.map((i) => ({ impairmentId: i.id ?? randomUUID(), diagnosisCode: i.diagnosisCode, description: i.description })),
      service: { ...body.service, frequency: { ...body.service.frequency } },
      openedAt: body.openedAt ?? null,
    };
    const result = await this.commands.execute<OpenPlan, PlanRunResult>(new OpenPlan(target, { type: 'OpenPlan', data }));
    target.response.setHeader('Location', `/plans/${planId}`);
    return accepted(target, result);
  }
}
