import { Access, CurrentPrincipal, hasRole, IsDateTime, IsId, IsQueryInteger, ProblemDetails, REQUEST_LIMITS, RequestInvalid, setEtag, UuidParam, visibleCliniciansOf, type Principal, type Role } from '@golden-loop/http-api';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { GetPlan, GetPlanAsOf, GetPlanTimeline, GetRevisionHistory, ListPlans } from './read-plan.queries';
import type { PlanDocument } from './plan-document';

const planIdParam = UuidParam('planId');
// OpenAPI `integer` (a JS number would be documented as `number`).
const Integer = 'integer';

/** Who reads a plan: its clinician and their supervisor, the client their own plan (docs/security.md). */
const PLAN_READERS: readonly Role[] = ['clinician', 'supervisor', 'client'];
/** Lists are summaries without free text: billing reads them across caseloads. */
const LIST_READERS: readonly Role[] = ['clinician', 'supervisor', 'client', 'billing'];

export class ListPlansQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Give clinicianId, clientId or both' }) @IsOptional() @IsId() clinicianId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId() clientId?: string;
  @ApiPropertyOptional({ enum: ['draft', 'in_effect', 'closed'] }) @IsOptional() @IsIn(['draft', 'in_effect', 'closed']) status?: string;
  @ApiPropertyOptional({ type: Integer, minimum: 1, maximum: REQUEST_LIMITS.maxPage, default: 1, description: 'Decimal digits only' })
  @IsOptional()
  @IsQueryInteger({ min: 1, max: REQUEST_LIMITS.maxPage })
  page = 1;
  @ApiPropertyOptional({ type: Integer, minimum: 1, maximum: REQUEST_LIMITS.maxPageSize, default: 20, description: 'Decimal digits only' })
  @IsOptional()
  @IsQueryInteger({ min: 1, max: REQUEST_LIMITS.maxPageSize })
  pageSize = 20;
}

export class AsOfQuery {
  @ApiProperty({ format: 'date-time', description: 'An RFC 3339 instant with its offset, such as 2026-03-01T09:30:00Z' }) @IsDateTime() at!: string;
}

@ApiTags('plans')
@ApiBadRequestResponse({ type: ProblemDetails })
@Controller('plans')
export class ReadPlanController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Access({ roles: LIST_READERS })
  @ApiOperation({ summary: 'Plans by clinician and/or client, newest first (paged); only those of your caseload' })
  list(@Query() query: ListPlansQuery, @CurrentPrincipal() principal: Principal) {
    if (!query.clinicianId && !query.clientId) {
      throw new RequestInvalid([{ field: 'clinicianId', reason: 'give clinicianId, clientId or both' }]);
    }
    // A client lists their own plans; everyone else sees the caseload they may see, whatever they ask for.
    const ownPlans = hasRole(principal, 'client') && query.clientId === principal.userId;
    const visibleClinicians = ownPlans ? undefined : visibleCliniciansOf(principal, LIST_READERS);
    return this.queries.execute(
      new ListPlans({ clinicianId: query.clinicianId, clientId: query.clientId, status: query.status, visibleClinicians }, query.page, query.pageSize),
    );
  }

  @Get(':planId')
  @Access({ roles: PLAN_READERS, plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'The current plan with its golden-loop advisories; ETag is its version' })
  @ApiOkResponse({ description: 'The plan' })
  async current(@Param('planId', planIdParam) planId: string, @Res({ passthrough: true }) response: Response): Promise<PlanDocument> {
    const plan = await this.queries.execute<GetPlan, PlanDocument>(new GetPlan(planId));
    setEtag(response, plan.version);
    return plan;
  }

  @Get(':planId/as-of')
  @Access({ roles: PLAN_READERS, plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'The plan as it stood at a given time (?at=ISO-8601)' })
  asOf(@Param('planId', planIdParam) planId: string, @Query() query: AsOfQuery): Promise<PlanDocument> {
    return this.queries.execute(new GetPlanAsOf(planId, new Date(query.at)));
  }

  @Get(':planId/revisions')
  @Access({ roles: PLAN_READERS, plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'Revision history: each revision in effect with its attestations, and the open draft' })
  revisions(@Param('planId', planIdParam) planId: string) {
    return this.queries.execute(new GetRevisionHistory(planId));
  }

  @Get(':planId/timeline')
  @Access({ roles: PLAN_READERS, plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'The plan’s event timeline' })
  timeline(@Param('planId', planIdParam) planId: string) {
    return this.queries.execute(new GetPlanTimeline(planId));
  }
}
