import { randomUUID } from 'node:crypto';
import { RequestInvalid } from '@golden-loop/http-api';
import { Body, Controller, Delete, Headers, HttpCode, Param, ParseIntPipe, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { Actor, planIdParam, UuidParam, type RequestActor } from '../../api/plan-http';
import type { ObjectiveMeasureInput } from '../../domain/commands';
import {
  AddDiagnosisRequest,
  AddGoalRequest,
  AddInterventionRequest,
  AddObjectiveRequest,
  AddProblemRequest,
  DiscontinueRequest,
  MeasureDto,
  PrimaryDiagnosisRequest,
  ProposeRevisionRequest,
  ReviseGoalRequest,
  ReviseObjectiveRequest,
  SignRevisionRequest,
  WithdrawRevisionRequest,
} from './revise-plan.request.dto';
import { ServiceDto } from '../open-plan/open-plan.request.dto';

const measureInput = (measure: MeasureDto | null | undefined): ObjectiveMeasureInput | null | undefined => {
  if (measure === undefined || measure === null) return measure;
  return measure.kind === 'instrument'
    ? { kind: 'instrument', instrument: measure.instrument ?? '', baseline: measure.baseline, target: measure.target }
    : { kind: 'behavioural', description: measure.description ?? '', unit: measure.unit!, baseline: measure.baseline, target: measure.target };
};

const revisionParam = new ParseIntPipe({ exceptionFactory: () => new RequestInvalid([{ field: 'revision', reason: 'must be a revision number' }]) });

/**
 * Revisions: propose one (answering triggers), change its draft (diagnoses, symptoms, impairments, service,
 * goals, objectives, interventions), and sign it; it takes effect when client and clinician have both signed.
 */
@ApiTags('revisions')
@ApiHeader({ name: 'X-User-Id', required: true })
@ApiHeader({ name: 'If-Match', required: false, description: 'The plan ETag you read; 409 when it moved on' })
@ApiOkResponse({ type: CommandAccepted })
@Controller('plans/:planId')
export class RevisePlanController {
  constructor(private readonly sender: PlanCommandSender) {}

  @Post('revisions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Propose a revision, with its reason and the triggers it answers' })
  propose(@Param('planId', planIdParam) planId: string, @Body() body: ProposeRevisionRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'ProposeRevision', actor, ifMatch, response, data: { reason: body.reason, note: body.note, triggers: body.triggers.map(({ type, id }) => ({ type, id })) } });
  }

  @Delete('revisions/:revision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw the draft revision' })
  withdraw(@Param('planId', planIdParam) planId: string, @Param('revision', revisionParam) revision: number, @Body() body: WithdrawRevisionRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'WithdrawRevision', actor, ifMatch, response, data: { revision, note: body?.note } });
  }

  @Post('revisions/:revision/signatures')
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign (attest) the draft revision as client or clinician; both signatures put it in effect' })
  sign(@Param('planId', planIdParam) planId: string, @Param('revision', revisionParam) revision: number, @Body() body: SignRevisionRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'SignRevision', actor, ifMatch, response, data: { revision, signerRole: body.signerRole, signerId: body.signerId, method: body.method } });
  }

  @Post('draft/diagnoses')
  @HttpCode(201)
  addDiagnosis(@Param('planId', planIdParam) planId: string, @Body() body: AddDiagnosisRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'AddDiagnosis', actor, ifMatch, response, data: { code: body.code, description: body.description } });
  }

  @Delete('draft/diagnoses/:code')
  removeDiagnosis(@Param('planId', planIdParam) planId: string, @Param('code') code: string, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'RemoveDiagnosis', actor, ifMatch, response, data: { code } });
  }

  @Put('draft/primary-diagnosis')
  setPrimaryDiagnosis(@Param('planId', planIdParam) planId: string, @Body() body: PrimaryDiagnosisRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'SetPrimaryDiagnosis', actor, ifMatch, response, data: { code: body.code } });
  }

  @Post('draft/symptoms')
  @HttpCode(201)
  addSymptom(@Param('planId', planIdParam) planId: string, @Body() body: AddProblemRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    const symptomId = randomUUID();
    return this.sender.send({ planId, type: 'AddSymptom', actor, ifMatch, response, id: symptomId, data: { symptomId, diagnosisCode: body.diagnosisCode, description: body.description } });
  }

  @Delete('draft/symptoms/:symptomId')
  removeSymptom(@Param('planId', planIdParam) planId: string, @Param('symptomId', new UuidParam('symptomId')) symptomId: string, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'RemoveSymptom', actor, ifMatch, response, data: { symptomId } });
  }

  @Post('draft/impairments')
  @HttpCode(201)
  addImpairment(@Param('planId', planIdParam) planId: string, @Body() body: AddProblemRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    const impairmentId = randomUUID();
    return this.sender.send({ planId, type: 'AddImpairment', actor, ifMatch, response, id: impairmentId, data: { impairmentId, diagnosisCode: body.diagnosisCode, description: body.description } });
  }

  @Delete('draft/impairments/:impairmentId')
  removeImpairment(@Param('planId', planIdParam) planId: string, @Param('impairmentId', new UuidParam('impairmentId')) impairmentId: string, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'RemoveImpairment', actor, ifMatch, response, data: { impairmentId } });
  }

  @Put('draft/service')
  changeService(@Param('planId', planIdParam) planId: string, @Body() body: ServiceDto, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'ChangeService', actor, ifMatch, response, data: { service: { ...body, frequency: { ...body.frequency } } } });
  }

  @Post('draft/goals')
  @HttpCode(201)
  addGoal(@Param('planId', planIdParam) planId: string, @Body() body: AddGoalRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    const goalId = randomUUID();
    return this.sender.send({
      planId, type: 'AddGoal', actor, ifMatch, response, id: goalId,
      data: { goalId, clientGoal: body.clientGoal, clinicalGoal: body.clinicalGoal, addresses: body.addresses.map(({ kind, id }) => ({ kind, id })) },
    });
  }

  @Patch('draft/goals/:goalId')
  reviseGoal(@Param('planId', planIdParam) planId: string, @Param('goalId', new UuidParam('goalId')) goalId: string, @Body() body: ReviseGoalRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({
      planId, type: 'ReviseGoal', actor, ifMatch, response,
      data: { goalId, clientGoal: body.clientGoal, clinicalGoal: body.clinicalGoal, addresses: body.addresses?.map(({ kind, id }) => ({ kind, id })) },
    });
  }

  @Post('draft/goals/:goalId/discontinue')
  @HttpCode(200)
  discontinueGoal(@Param('planId', planIdParam) planId: string, @Param('goalId', new UuidParam('goalId')) goalId: string, @Body() body: DiscontinueRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'DiscontinueGoal', actor, ifMatch, response, data: { goalId, reason: body.reason } });
  }

  @Post('draft/objectives')
  @HttpCode(201)
  addObjective(@Param('planId', planIdParam) planId: string, @Body() body: AddObjectiveRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    const objectiveId = randomUUID();
    return this.sender.send({
      planId, type: 'AddObjective', actor, ifMatch, response, id: objectiveId,
      data: { objectiveId, goalId: body.goalId, description: body.description, measure: measureInput(body.measure) ?? null, targetDate: body.targetDate ?? null },
    });
  }

  @Patch('draft/objectives/:objectiveId')
  reviseObjective(@Param('planId', planIdParam) planId: string, @Param('objectiveId', new UuidParam('objectiveId')) objectiveId: string, @Body() body: ReviseObjectiveRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({
      planId, type: 'ReviseObjective', actor, ifMatch, response,
      data: { objectiveId, description: body.description, measure: measureInput(body.measure), targetDate: body.targetDate },
    });
  }

  @Post('draft/objectives/:objectiveId/discontinue')
  @HttpCode(200)
  discontinueObjective(@Param('planId', planIdParam) planId: string, @Param('objectiveId', new UuidParam('objectiveId')) objectiveId: string, @Body() body: DiscontinueRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'DiscontinueObjective', actor, ifMatch, response, data: { objectiveId, reason: body.reason } });
  }

  @Post('draft/interventions')
  @HttpCode(201)
  addIntervention(@Param('planId', planIdParam) planId: string, @Body() body: AddInterventionRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    const interventionId = randomUUID();
    return this.sender.send({
      planId, type: 'AddIntervention', actor, ifMatch, response, id: interventionId,
      data: { interventionId, objectiveId: body.objectiveId, modality: body.modality, description: body.description, frequency: { ...body.frequency } },
    });
  }

  @Post('draft/interventions/:interventionId/discontinue')
  @HttpCode(200)
  discontinueIntervention(@Param('planId', planIdParam) planId: string, @Param('interventionId', new UuidParam('interventionId')) interventionId: string, @Body() body: DiscontinueRequest, @Headers('if-match') ifMatch: string | undefined, @Actor() actor: RequestActor, @Res({ passthrough: true }) response: Response) {
    return this.sender.send({ planId, type: 'DiscontinueIntervention', actor, ifMatch, response, data: { interventionId, reason: body.reason } });
  }
}
