import { Access, IsDateTime, ProblemDetails, UuidParam, type Role } from '@golden-loop/http-api';
import type { Bundle } from '@medplum/fhirtypes';
import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Request } from 'express';
import { ExportPlanFhir } from './export-fhir.query';
import { FHIR_CONTENT_TYPE } from './plan-to-fhir';

const planIdParam = UuidParam('planId');

/** The plan's own readers (docs/security.md): the export carries the plan's text, as an EHR needs it. */
const FHIR_READERS: readonly Role[] = ['clinician', 'supervisor', 'client'];

export class FhirExportQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'The plan as of this RFC 3339 instant with its offset, such as 2026-03-01T09:30:00Z; now when absent' })
  @IsOptional()
  @IsDateTime()
  at?: string;
}

@ApiTags('plans')
@ApiBadRequestResponse({ type: ProblemDetails })
@Controller('plans')
export class ExportFhirController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':planId/fhir')
  @Access({ roles: FHIR_READERS, plan: 'planId' })
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'The plan as a FHIR R4 Bundle (collection): CarePlan, Condition, Goal, Observation, Provenance (docs/fhir-export.md)' })
  @ApiOkResponse({ description: 'A FHIR R4 Bundle of type collection', content: { [FHIR_CONTENT_TYPE]: { schema: { type: 'object', description: 'FHIR R4 Bundle (http://hl7.org/fhir/R4/bundle.html)' } } } })
  export(@Param('planId', planIdParam) planId: string, @Query() query: FhirExportQuery, @Req() request: Request): Promise<Bundle> {
    // The export's own URL is the FHIR base its fullUrls and relative references resolve against.
    const baseUrl = `${request.protocol}://${request.get('host') ?? 'localhost'}/plans/${planId}/fhir`;
    return this.queries.execute(new ExportPlanFhir(planId, baseUrl, query.at === undefined ? undefined : new Date(query.at)));
  }
}
