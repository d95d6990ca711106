import { randomUUID } from 'node:crypto';
import { RequestInvalid } from '@golden-loop/http-api';
import { Body, Controller, Delete, HttpCode, Param, ParseIntPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CommandAccepted, PlanCommandSender } from '../../api/plan-command.sender';
import { CommandTarget, UuidParam, type PlanCommandTarget } from '../../api/plan-http';
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
@ApiParam({ name: 'planId', format: 'uuid' })
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
  propose(@CommandTarget() target: PlanCommandTarget, @Body() body: ProposeRevisionRequest) {
    return this.sender.send({ target, type: 'ProposeRevision', data: { reason: body.reason, note: body.note, triggers: body.triggers.map(({ type, id }) => ({ type, id })) } });
  }

  @Delete('revisions/:revision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw the draft revision' })
  withdraw(@CommandTarget() target: PlanCommandTarget, @Param('revision', revisionParam) revision: number, @Body() body: WithdrawRevisionRequest) {
    return this.sender.send({ target, type: 'WithdrawRevision', data: { revision, note: body?.note } });
  }

  @Post('revisions/:revision/signatures')
  @HttpCode(201)
  @ApiOperation({ summary: 'Sign (attest) the draft revision as client or clinician; both signatures put it in effect' })
  sign(@CommandTarget() target: PlanCommandTarget, @Param('revision', revisionParam) revision: number, @Body() body: SignRevisionRequest) {
    return this.sender.send({ target, type: 'SignRevision', data: { revision, signerRole: body.signerRole, signerId: body.signerId, method: body.method } });
  }

  @Post('draft/diagnoses')
  @HttpCode(201)
  addDiagnosis(@CommandTarget() target: PlanCommandTarget, @Body() body: AddDiagnosisRequest) {
    return this.sender.send({ target, type: 'AddDiagnosis', data: { code: body.code, description: body.description } });
  }

  @Delete('draft/diagnoses/:code')
  removeDiagnosis(@CommandTarget() target: PlanCommandTarget, @Param('code') code: string) {
    return this.sender.send({ target, type: 'RemoveDiagnosis', data: { code } });
  }

  @Put('draft/primary-diagnosis')
  setPrimaryDiagnosis(@CommandTarget() target: PlanCommandTarget, @Body() body: PrimaryDiagnosisRequest) {
    return this.sender.send({ target, type: 'SetPrimaryDiagnosis', data: { code: body.code } });
  }

  @Post('draft/symptoms')
  @HttpCode(201)
  addSymptom(@CommandTarget() target: PlanCommandTarget, @Body() body: AddProblemRequest) {
    const symptomId = randomUUID();
    return this.sender.send({ target, type: 'AddSymptom', id: symptomId, data: { symptomId, diagnosisCode: body.diagnosisCode, description: body.description } });
  }

  @Delete('draft/symptoms/:symptomId')
  removeSymptom(@CommandTarget() target: PlanCommandTarget, @Param('symptomId', new UuidParam('symptomId')) symptomId: string) {
    return this.sender.send({ target, type: 'RemoveSymptom', data: { symptomId } });
  }

  @Post('draft/impairments')
  @HttpCode(201)
  addImpairment(@CommandTarget() target: PlanCommandTarget, @Body() body: AddProblemRequest) {
    const impairmentId = randomUUID();
    return this.sender.send({ target, type: 'AddImpairment', id: impairmentId, data: { impairmentId, diagnosisCode: body.diagnosisCode, description: body.description } });
  }

  @Delete('draft/impairments/:impairmentId')
  removeImpairment(@CommandTarget() target: PlanCommandTarget, @Param('impairmentId', new UuidParam('impairmentId')) impairmentId: string) {
    return this.sender.send({ target, type: 'RemoveImpairment', data: { impairmentId } });
  }

  @Put('draft/service')
  changeService(@CommandTarget() target: PlanCommandTarget, @Body() body: ServiceDto) {
    return this.sender.send({ target, type: 'ChangeService', data: { service: { ...body, frequency: { ...body.frequency } } } });
  }

  @Post('draft/goals')
  @HttpCode(201)
  addGoal(@CommandTarget() target: PlanCommandTarget, @Body() body: AddGoalRequest) {
    const goalId = randomUUID();
    return this.sender.send({
      target,
      type: 'AddGoal', id: goalId,
      data: { goalId, clientGoal: body.clientGoal, clinicalGoal: body.clinicalGoal, addresses: body.addresses.map(({ kind, id }) => ({ kind, id })) },
    });
  }

  @Patch('draft/goals/:goalId')
  reviseGoal(@CommandTarget() target: PlanCommandTarget, @Param('goalId', new UuidParam('goalId')) goalId: string, @Body() body: ReviseGoalRequest) {
    return this.sender.send({
      target,
      type: 'ReviseGoal',
      data: { goalId, clientGoal: body.clientGoal, clinicalGoal: body.clinicalGoal, addresses: body.addresses?.map(({ kind, id }) => ({ kind, id })) },
    });
  }

  @Post('draft/goals/:goalId/discontinue')
  @HttpCode(200)
  discontinueGoal(@CommandTarget() target: PlanCommandTarget, @Param('goalId', new UuidParam('goalId')) goalId: string, @Body() body: DiscontinueRequest) {
    return this.sender.send({ target, type: 'DiscontinueGoal', data: { goalId, reason: body.reason } });
  }

  @Post('draft/objectives')
  @HttpCode(201)
  addObjective(@CommandTarget() target: PlanCommandTarget, @Body() body: AddObjectiveRequest) {
    const objectiveId = randomUUID();
    return this.sender.send({
      target,
      type: 'AddObjective', id: objectiveId,
      data: { objectiveId, goalId: body.goalId, description: body.description, measure: measureInput(body.measure) ?? null, targetDate: body.targetDate ?? null },
    });
  }

  @Patch('draft/objectives/:objectiveId')
  reviseObjective(@CommandTarget() target: PlanCommandTarget, @Param('objectiveId', new UuidParam('objectiveId')) objectiveId: string, @Body() body: ReviseObjectiveRequest) {
    return this.sender.send({
      target,
      type: 'ReviseObjective',
      data: { objectiveId, description: body.description, measure: measureInput(body.measure), targetDate: body.targetDate },
    });
  }

  @Post('draft/objectives/:objectiveId/discontinue')
  @HttpCode(200)
  discontinueObjective(@CommandTarget() target: PlanCommandTarget, @Param('objectiveId', new UuidParam('objectiveId')) objectiveId: string, @Body() body: DiscontinueRequest) {
    return this.sender.send({ target, type: 'DiscontinueObjective', data: { objectiveId, reason: body.reason } });
  }

  @Post('draft/interventions')
  @HttpCode(201)
  addIntervention(@CommandTarget() target: PlanCommandTarget, @Body() body: AddInterventionRequest) {
    const interventionId = randomUUID();
    return this.sender.send({
      target,
      type: 'AddIntervention', id: interventionId,
      data: { interventionId, objectiveId: body.objectiveId, modality: body.modality, description: body.description, frequency: { ...body.frequency } },
    });
  }

  @Post('draft/interventions/:interventionId/discontinue')
  @HttpCode(200)
  discontinueIntervention(@CommandTarget() target: PlanCommandTarget, @Param('interventionId', new UuidParam('interventionId')) interventionId: string, @Body() body: DiscontinueRequest) {
    return this.sender.send({ target, type: 'DiscontinueIntervention', data: { interventionId, reason: body.reason } });
  }
}
