import { RISK_LEVELS, RISK_SCREENING_INSTRUMENTS, type RiskLevel, type RiskScreeningInstrument } from '@golden-loop/contracts';
import { CommandTarget, UuidParam, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { accepted, ReviewTaskCommandHeaders, TaskCommandAccepted } from '../review-command.headers';
import { RecordRiskAssessment } from './record-risk-assessment.command';

/** A structured suicide-risk assessment after a PHQ-9 item-9 flag: codes only (docs/review-scheduling.md). */
export class RiskAssessmentRequest {
  @ApiProperty({ enum: RISK_SCREENING_INSTRUMENTS, description: 'The screening instrument used' })
  @IsIn(RISK_SCREENING_INSTRUMENTS)
  instrument!: RiskScreeningInstrument;

  @ApiProperty({ enum: RISK_LEVELS, description: 'The risk formulation' })
  @IsIn(RISK_LEVELS)
  riskLevel!: RiskLevel;

  @ApiProperty({ description: 'Whether a safety plan was made with the client' })
  @IsBoolean()
  safetyPlanMade!: boolean;
}

@ApiTags('review tasks')
@ReviewTaskCommandHeaders()
@Controller('plans/:planId/review-tasks/:taskId/risk-assessment')
export class RecordRiskAssessmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a safety review with a structured risk assessment' })
  @ApiOkResponse({ type: TaskCommandAccepted })
  async assess(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('taskId', UuidParam('taskId')) taskId: string,
    @Body() body: RiskAssessmentRequest,
  ): Promise<TaskCommandAccepted> {
    const assessment = { instrument: body.instrument, riskLevel: body.riskLevel, safetyPlanMade: body.safetyPlanMade };
    const command = new RecordRiskAssessment(target.streamId, { type: 'RecordRiskAssessment', data: { taskId, assessment } }, target.metadata, undefined, target.expectedVersion);
    return accepted(target, taskId, await this.commands.execute(command));
  }
}
