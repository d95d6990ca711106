import { CLINICIAN_CREDENTIALS, type ClinicianCredential } from '@golden-loop/contracts';
import { Access, actingUserOf, ProblemDetails, UuidParam } from '@golden-loop/http-api';
import { CLOCK, Timers, type Clock } from '@golden-loop/scheduling';
import { Body, Controller, Get, Inject, NotFoundException, Param, Put, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { PlanReadinessReadModel } from '../../read-models/plan-readiness.read-model';
import { TIMERS } from '../../readiness-stream';
import { CredentialsView } from '../readiness.views';
import { ClinicianCredentialsStore } from './clinician-credentials.store';

export class RecordCredentialsRequest {
  @ApiProperty({ enum: CLINICIAN_CREDENTIALS, isArray: true, description: 'The licences the clinician holds (a closed list; empty clears them)' })
  @IsArray()
  @ArrayMaxSize(CLINICIAN_CREDENTIALS.length)
  @ArrayUnique()
  @IsIn(CLINICIAN_CREDENTIALS, { each: true })
  credentials!: ClinicianCredential[];
}

/**
 * Medicare's "signed with credentials" (LCD L33632) and QualChoice's signer rule (BI273) need the signer's licence;
 * the plan events carry the signer's id and role only, so billing keeps its own list (docs/payer-rules.md,
 * "Credentials"). A change re-checks the open plans the clinician treats or signed.
 */
@ApiTags('clinicians')
@ApiParam({ name: 'clinicianId', format: 'uuid' })
@Controller('clinicians/:clinicianId/credentials')
export class ClinicianCredentialsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ClinicianCredentialsStore,
    private readonly readModel: PlanReadinessReadModel,
    @Inject(Timers) private readonly timers: Timers,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Put()
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: "Record the clinician's licences; plans they treat or signed are re-checked" })
  @ApiOkResponse({ type: CredentialsView })
  @ApiBadRequestResponse({ type: ProblemDetails })
  async record(@Param('clinicianId', UuidParam('clinicianId')) clinicianId: string, @Body() body: RecordCredentialsRequest, @Req() request: Request): Promise<CredentialsView> {
    const by = actingUserOf(request);
    const now = this.clock.now();
    const rechecksScheduled = await this.dataSource.transaction(async (manager) => {
      await this.store.record(manager, clinicianId, body.credentials, now, by);
      const plans = await this.readModel.openPlans(manager, { clinicianId });
      await this.timers.schedule(
        manager,
        plans.map((plan) => ({ timerId: TIMERS.recheck.idOf(plan.planId), kind: TIMERS.recheck.kind, streamId: plan.planId, dueAt: now, payload: { cause: 'credentials_changed' } })),
      );
      return plans.length;
    });
    return { clinicianId, credentials: body.credentials, recordedAt: now.toISOString(), recordedBy: by, rechecksScheduled };
  }

  @Get()
  @Access({ roles: ['admin', 'billing'] })
  @ApiOkResponse({ type: CredentialsView })
  @ApiNotFoundResponse({ type: ProblemDetails })
  async read(@Param('clinicianId', UuidParam('clinicianId')) clinicianId: string): Promise<CredentialsView> {
    const found = await this.store.read(this.dataSource, clinicianId);
    if (!found) throw new NotFoundException('No credentials are recorded for this clinician.');
    return { clinicianId, ...found };
  }
}
