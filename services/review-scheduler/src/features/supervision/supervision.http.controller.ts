import { Access, CommandTarget, ProblemDetails, UuidParam, type CommandTargetOf } from '@golden-loop/http-api';
import { CLOCK, type Clock } from '@golden-loop/scheduling';
import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { SupervisionDirectory, SupervisionNotKnown, type Supervision } from './supervision.directory';

export class SupervisionRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() supervisorId!: string;
  @ApiProperty({ format: 'uuid', description: "The supervisor's team, as in GET /teams/{teamId}/review-summary" }) @IsUUID() teamId!: string;
}

export class SupervisionDocument {
  @ApiProperty({ format: 'uuid' }) clinicianId!: string;
  @ApiProperty({ format: 'uuid' }) supervisorId!: string;
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'uuid' }) updatedBy!: string;
}

@ApiTags('supervision')
@ApiParam({ name: 'clinicianId', format: 'uuid' })
@ApiBadRequestResponse({ type: ProblemDetails })
@Controller('clinicians/:clinicianId/supervision')
export class SupervisionController {
  constructor(
    private readonly directory: SupervisionDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Put()
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: "Set the clinician's supervisor and team (escalations and the team view use it from now on)" })
  @ApiOkResponse({ type: SupervisionDocument })
  set(@CommandTarget('clinicianId') target: CommandTargetOf, @Body() body: SupervisionRequest): Promise<Supervision> {
    return this.directory.set(
      { clinicianId: target.streamId, supervisorId: body.supervisorId.toLowerCase(), teamId: body.teamId.toLowerCase(), updatedBy: target.metadata.userId },
      this.clock.now(),
    );
  }

  @Get()
  @Access({ roles: ['clinician', 'supervisor', 'admin'], clinician: 'clinicianId' })
  @ApiOperation({ summary: "The clinician's supervisor and team" })
  @ApiOkResponse({ type: SupervisionDocument })
  @ApiNotFoundResponse({ type: ProblemDetails, description: 'supervision_not_found' })
  async get(@Param('clinicianId', UuidParam('clinicianId')) clinicianId: string): Promise<Supervision> {
    const supervision = await this.directory.find(clinicianId);
    if (!supervision) throw new SupervisionNotKnown();
    return supervision;
  }
}
