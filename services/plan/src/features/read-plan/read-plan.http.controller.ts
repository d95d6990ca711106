import { RequestInvalid } from '@golden-loop/http-api';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { planIdParam, setEtag } from '../../api/plan-http';
import { GetPlan, GetPlanAsOf, GetPlanTimeline, GetRevisionHistory, ListPlans } from './read-plan.queries';
import type { PlanDocument } from './plan-document';

export class ListPlansQuery {
  @IsOptional() @IsUUID() clinicianId?: string;
  @IsOptional() @IsUUID() clientId?: string;
  @IsOptional() @IsIn(['draft', 'in_effect', 'closed']) status?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page = 1;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize = 20;
}

export class AsOfQuery {
  @IsISO8601({ strict: true }) at!: string;
}

@ApiTags('plans')
@Controller('plans')
export class ReadPlanController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Plans by clinician and/or client, newest first (paged)' })
  list(@Query() query: ListPlansQuery) {
    if (!query.clinicianId && !query.clientId) {
      throw new RequestInvalid([{ field: 'clinicianId', reason: 'give clinicianId, clientId or both' }]);
    }
    return this.queries.execute(
      new ListPlans({ clinicianId: query.clinicianId, clientId: query.clientId, status: query.status }, query.page, query.pageSize),
    );
  }

  @Get(':planId')
  @ApiOperation({ summary: 'The current plan with its golden-loop advisories; ETag is its version' })
  @ApiOkResponse({ description: 'The plan' })
  async current(@Param('planId', planIdParam) planId: string, @Res({ passthrough: true }) response: Response): Promise<PlanDocument> {
    const plan = await this.queries.execute<GetPlan, PlanDocument>(new GetPlan(planId));
    setEtag(response, plan.version);
    return plan;
  }

  @Get(':planId/as-of')
  @ApiOperation({ summary: 'The plan as it stood at a given time (?at=ISO-8601)' })
  asOf(@Param('planId', planIdParam) planId: string, @Query() query: AsOfQuery): Promise<PlanDocument> {
    return this.queries.execute(new GetPlanAsOf(planId, new Date(query.at)));
  }

  @Get(':planId/revisions')
  @ApiOperation({ summary: 'Revision history: each revision in effect with its attestations, and the open draft' })
  revisions(@Param('planId', planIdParam) planId: string) {
    return this.queries.execute(new GetRevisionHistory(planId));
  }

  @Get(':planId/timeline')
  @ApiOperation({ summary: 'The plan’s event timeline' })
  timeline(@Param('planId', planIdParam) planId: string) {
    return this.queries.execute(new GetPlanTimeline(planId));
  }
}
