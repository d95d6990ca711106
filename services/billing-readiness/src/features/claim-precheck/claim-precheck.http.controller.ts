import { CommandRunner } from '@golden-loop/command-runner';
import { Access, ProblemDetails } from '@golden-loop/http-api';
import { CLOCK, type Clock } from '@golden-loop/scheduling';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsUUID, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { PlanIsSelfPay, PlanNotKnown } from '../../domain/errors';
import { precheckSession } from '../../domain/precheck';
import { cliniciansOf } from '../../domain/state';
import { READINESS_STREAM, type ReadinessStream } from '../../readiness-stream';
import { RuleSetCatalog } from '../../rule-sets/rule-set-catalog';
import { ClinicianCredentialsStore } from '../clinician-credentials/clinician-credentials.store';
import { FindingView, findingView } from '../readiness.views';

const Integer = 'integer';

export class PrecheckRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() planId!: string;
  @ApiProperty({ format: 'date' }) @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfService must be a date (YYYY-MM-DD)' }) dateOfService!: string;
  @ApiProperty({ example: '90837' }) @Matches(/^[0-9A-Z][0-9]{3}[0-9A-Z]$/, { message: 'serviceCode must be a CPT or HCPCS code such as 90837' }) serviceCode!: string;
}

export class PrecheckView {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ description: 'No error finding: the session can be billed on that date' }) billable!: boolean;
  @ApiProperty({ enum: ['ready', 'at_risk', 'not_ready'] }) outcome!: string;
  @ApiProperty({ type: [FindingView] }) findings!: FindingView[];
  @ApiProperty({ type: Integer, nullable: true, description: 'The revision in effect on the date of service' }) revision!: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The authorization covering the date and service' }) authorizationId!: string | null;
  @ApiProperty() ruleSetId!: string;
}

@ApiTags('claims')
@Access({ roles: ['billing'] })
@Controller('claims')
export class ClaimPrecheckController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: CommandRunner,
    @Inject(READINESS_STREAM) private readonly stream: ReadinessStream,
    private readonly catalog: RuleSetCatalog,
    private readonly credentials: ClinicianCredentialsStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('precheck')
  @HttpCode(200)
  @ApiOperation({ summary: 'Is this session billable on its date? Plan in effect and signed, authorization, documentation rules (nothing is stored)' })
  @ApiOkResponse({ type: PrecheckView })
  @ApiBadRequestResponse({ type: ProblemDetails })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiConflictResponse({ type: ProblemDetails, description: 'plan_self_pay' })
  async precheck(@Body() body: PrecheckRequest): Promise<PrecheckView> {
    const planId = body.planId.toLowerCase();
    const { state } = await this.runner.load(this.stream, planId);
    if (!state.opened) throw new PlanNotKnown();
    if (state.opened.payerId === null) throw new PlanIsSelfPay();
    const credentials = await this.credentials.lookup(this.dataSource.manager, cliniciansOf(state));
    const ruleSet = this.catalog.ruleSetOf(state.opened.payerId);
    const result = precheckSession(state, ruleSet, { now: this.clock.now(), credentialsOf: (id) => credentials.get(id) }, body);
    return { planId, ...result, findings: result.findings.map(findingView), ruleSetId: ruleSet.id };
  }
}
