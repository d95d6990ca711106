import { randomUUID } from 'node:crypto';
import { CommandTarget, idOf, UuidParam, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, Delete, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ObjectiveMeasureInput } from '../../domain/command-inputs';
import { accepted, CommandAccepted } from '../command-accepted';
import { ServiceDto } from '../open-plan/open-plan.request.dto';
import { PlanCommandHeaders } from '../plan-command.headers';
import { ChangeDraft } from './change-draft.command';
import {
  AddDiagnosisRequest,
  AddGoalRequest,
  AddInterventionRequest,
  AddObjectiveRequest,
  AddProblemRequest,
  DiscontinueRequest,
  MeasureDto,
  PrimaryDiagnosisRequest,
  ProblemLinkDto,
  ReviseGoalRequest,
  ReviseObjectiveRequest,
} from './change-draft.request.dto';

/** A symptom or impairment is named by its id, in any case, like every id (the domain reads a diagnosis code its own way). */
const linksOf = (addresses: readonly ProblemLinkDto[]) => addresses.map(({ kind, id }) => ({ kind, id: kind === 'diagnosis' ? id : (idOf(id) ?? id) }));

const measureInput = (measure: MeasureDto | null | undefined): ObjectiveMeasureInput | null | undefined => {
  if (measure === undefined || measure === null) return measure;
  return measure.kind === 'instrument'
    ? { kind: 'instrument', instrument: measure.instrument ?? '', baseline: measure.baseline, target: measure.target }
    : { kind: 'behavioural', description: measure.description ?? '', unit: measure.unit!, baseline: measure.baseline, target: measure.target };
};

/** The draft revision's content: diagnoses, symptoms, impairments, service, goals, objectives, interventions. */
@ApiTags('revisions')
@PlanCommandHeaders()
@ApiOkResponse({ type: CommandAccepted })
@Controller('plans/:planId/draft')
export class ChangeDraftController {
  constructor(private readonly commands: CommandBus) {}

  private async change(target: CommandTargetOf, command: ChangeDraft['command'], id?: string): Promise<CommandAccepted> {
    return accepted(target, await this.commands.execute(new ChangeDraft(target, command)), id);
  }

  @Post('diagnoses')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a diagnosis (secondary; make it primary with PUT primary-diagnosis)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  addDiagnosis(@CommandTarget('planId') target: CommandTargetOf, @Body() body: AddDiagnosisRequest) {
    return this.change(target, { type: 'AddDiagnosis', data: { code: body.code, description: body.description } });
  }

  @Delete('diagnoses/:code')
  @ApiParam({ name: 'code', description: 'ICD-10-CM code', example: 'F41.1' })
  @ApiOperation({ summary: 'Remove a diagnosis that nothing in the plan addresses any more' })
  removeDiagnosis(@CommandTarget('planId') target: CommandTargetOf, @Param('code') code: string) {
    return this.change(target, { type: 'RemoveDiagnosis', data: { code } });
  }

  @Put('primary-diagnosis')
  @ApiOperation({ summary: 'Make a diagnosis of the plan the primary one' })
  setPrimaryDiagnosis(@CommandTarget('planId') target: CommandTargetOf, @Body() body: PrimaryDiagnosisRequest) {
    return this.change(target, { type: 'SetPrimaryDiagnosis', data: { code: body.code } });
  }

  @Post('symptoms')
  @HttpCode(201)
  @ApiOperation({ summary: 'Document a symptom of a diagnosis' })
  @ApiCreatedResponse({ type: CommandAccepted })
  addSymptom(@CommandTarget('planId') target: CommandTargetOf, @Body() body: AddProblemRequest) {
    const symptomId = randomUUID();
    return this.change(target, { type: 'AddSymptom', data: { symptomId, diagnosisCode: body.diagnosisCode, description: body.description } }, symptomId);
  }

  @Delete('symptoms/:symptomId')
  @ApiParam({ name: 'symptomId', format: 'uuid' })
  @ApiOperation({ summary: 'Remove a symptom' })
  removeSymptom(@CommandTarget('planId') target: CommandTargetOf, @Param('symptomId', UuidParam('symptomId')) symptomId: string) {
    return this.change(target, { type: 'RemoveSymptom', data: { symptomId } });
  }

  @Post('impairments')
  @HttpCode(201)
  @ApiOperation({ summary: 'Document a functional impairment' })
  @ApiCreatedResponse({ type: CommandAccepted })
  addImpairment(@CommandTarget('planId') target: CommandTargetOf, @Body() body: AddProblemRequest) {
    const impairmentId = randomUUID();
    return this.change(
      target,
      { type: 'AddImpairment', data: { impairmentId, diagnosisCode: body.diagnosisCode, description: body.description } },
      impairmentId,
    );
  }

  @Delete('impairments/:impairmentId')
  @ApiParam({ name: 'impairmentId', format: 'uuid' })
  @ApiOperation({ summary: 'Remove a functional impairment' })
  removeImpairment(@CommandTarget('planId') target: CommandTargetOf, @Param('impairmentId', UuidParam('impairmentId')) impairmentId: string) {
    return this.change(target, { type: 'RemoveImpairment', data: { impairmentId } });
  }

  @Put('service')
  @ApiOperation({ summary: 'State the type, session length, frequency and expected duration of treatment' })
  changeService(@CommandTarget('planId') target: CommandTargetOf, @Body() body: ServiceDto) {
    return this.change(target, { type: 'ChangeService', data: { service: { ...body, frequency: { ...body.frequency } } } });
  }

  @Post('goals')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a goal: the client goal in their own words and the clinical goal, linked to what it addresses' })
  @ApiCreatedResponse({ type: CommandAccepted })
  addGoal(@CommandTarget('planId') target: CommandTargetOf, @Body() body: AddGoalRequest) {
    const goalId = randomUUID();
    const addresses = linksOf(body.addresses);
    return this.change(target, { type: 'AddGoal', data: { goalId, clientGoal: body.clientGoal, clinicalGoal: body.clinicalGoal, addresses } }, goalId);
  }

  @Patch('goals/:goalId')
  @ApiParam({ name: 'goalId', format: 'uuid' })
  @ApiOperation({ summary: 'Revise a goal; only the fields given change' })
  reviseGoal(@CommandTarget('planId') target: CommandTargetOf, @Param('goalId', UuidParam('goalId')) goalId: string, @Body() body: ReviseGoalRequest) {
    const addresses = body.addresses === undefined ? undefined : linksOf(body.addresses);
    return this.change(target, { type: 'ReviseGoal', data: { goalId, clientGoal: body.clientGoal, clinicalGoal: body.clinicalGoal, addresses } });
  }

  @Post('goals/:goalId/discontinue')
  @HttpCode(200)
  @ApiParam({ name: 'goalId', format: 'uuid' })
  @ApiOperation({ summary: 'Discontinue a goal' })
  discontinueGoal(@CommandTarget('planId') target: CommandTargetOf, @Param('goalId', UuidParam('goalId')) goalId: string, @Body() body: DiscontinueRequest) {
    return this.change(target, { type: 'DiscontinueGoal', data: { goalId, reason: body.reason } });
  }

  @Post('objectives')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a measurable objective with a target date' })
  @ApiCreatedResponse({ type: CommandAccepted })
  addObjective(@CommandTarget('planId') target: CommandTargetOf, @Body() body: AddObjectiveRequest) {
    const objectiveId = randomUUID();
    const data = { objectiveId, goalId: body.goalId, description: body.description, measure: measureInput(body.measure) ?? null, targetDate: body.targetDate ?? null };
    return this.change(target, { type: 'AddObjective', data }, objectiveId);
  }

  @Patch('objectives/:objectiveId')
  @ApiParam({ name: 'objectiveId', format: 'uuid' })
  @ApiOperation({ summary: 'Revise an objective; only the fields given change, null clears a measure or date' })
  reviseObjective(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('objectiveId', UuidParam('objectiveId')) objectiveId: string,
    @Body() body: ReviseObjectiveRequest,
  ) {
    return this.change(target, {
      type: 'ReviseObjective',
      data: { objectiveId, description: body.description, measure: measureInput(body.measure), targetDate: body.targetDate },
    });
  }

  @Post('objectives/:objectiveId/discontinue')
  @HttpCode(200)
  @ApiParam({ name: 'objectiveId', format: 'uuid' })
  @ApiOperation({ summary: 'Discontinue an objective' })
  discontinueObjective(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('objectiveId', UuidParam('objectiveId')) objectiveId: string,
    @Body() body: DiscontinueRequest,
  ) {
    return this.change(target, { type: 'DiscontinueObjective', data: { objectiveId, reason: body.reason } });
  }

  @Post('interventions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add an intervention (modality and frequency) for an objective' })
  @ApiCreatedResponse({ type: CommandAccepted })
  addIntervention(@CommandTarget('planId') target: CommandTargetOf, @Body() body: AddInterventionRequest) {
    const interventionId = randomUUID();
    const data = { interventionId, objectiveId: body.objectiveId, modality: body.modality, description: body.description, frequency: { ...body.frequency } };
    return this.change(target, { type: 'AddIntervention', data }, interventionId);
  }

  @Post('interventions/:interventionId/discontinue')
  @HttpCode(200)
  @ApiParam({ name: 'interventionId', format: 'uuid' })
  @ApiOperation({ summary: 'Discontinue an intervention' })
  discontinueIntervention(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('interventionId', UuidParam('interventionId')) interventionId: string,
    @Body() body: DiscontinueRequest,
  ) {
    return this.change(target, { type: 'DiscontinueIntervention', data: { interventionId, reason: body.reason } });
  }
}
