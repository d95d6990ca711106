import { Access, IsDateTime, ProblemDetails, UuidParam } from '@golden-loop/http-api';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TeamReviewSummary, UnroutedEscalationPage } from './team-summary.documents';
import { DEFAULT_SUMMARY_DAYS, ListUnroutedEscalations, SummariseTeam } from './team-summary.queries';

const Integer = 'integer';

export class TeamSummaryQuery {
  @ApiPropertyOptional({ format: 'date-time', description: `Revisions from this instant on count for the median (default: the last ${DEFAULT_SUMMARY_DAYS} days)` })
  @IsOptional()
  // An RFC 3339 date-time, as the contract says: ISO 8601 also allows week dates (2026-W01), which Date cannot read.
  @IsDateTime()
  since?: string;
}

export class PageQuery {
  @ApiPropertyOptional({ type: Integer, minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page = 1;
  @ApiPropertyOptional({ type: Integer, minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize = 50;
}

@ApiTags('supervision')
@ApiBadRequestResponse({ type: ProblemDetails })
@Controller()
export class TeamSummaryController {
  constructor(private readonly queries: QueryBus) {}

  @Get('teams/:teamId/review-summary')
  @Access({ roles: ['supervisor', 'admin'] })
  @ApiParam({ name: 'teamId', format: 'uuid' })
  @ApiOperation({ summary: "The supervisor's view: open, overdue, urgent and escalated tasks per clinician, and the median time to revision" })
  @ApiOkResponse({ type: TeamReviewSummary })
  summary(@Param('teamId', UuidParam('teamId')) teamId: string, @Query() query: TeamSummaryQuery): Promise<TeamReviewSummary> {
    return this.queries.execute(new SummariseTeam(teamId, query.since === undefined ? undefined : new Date(query.since)));
  }

  @Get('escalations/unrouted')
  @Access({ roles: ['supervisor', 'admin'] })
  @ApiOperation({ summary: 'Open escalated safety reviews whose clinician has no supervisor known (the network queue)' })
  @ApiOkResponse({ type: UnroutedEscalationPage })
  unrouted(@Query() query: PageQuery): Promise<UnroutedEscalationPage> {
    return this.queries.execute(new ListUnroutedEscalations(query.page, query.pageSize));
  }
}
