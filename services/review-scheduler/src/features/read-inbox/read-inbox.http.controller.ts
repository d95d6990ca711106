import { REVIEW_TASK_KINDS } from '@golden-loop/contracts';
import { Access, ProblemDetails, UuidParam } from '@golden-loop/http-api';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { InboxPage } from './inbox.documents';
import { ReadInbox } from './read-inbox.query';

const Integer = 'integer';

export class InboxQuery {
  @ApiPropertyOptional({ enum: REVIEW_TASK_KINDS }) @IsOptional() @IsIn(REVIEW_TASK_KINDS) kind?: string;
  @ApiPropertyOptional({ type: Integer, minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page = 1;
  @ApiPropertyOptional({ type: Integer, minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize = 50;
}

@ApiTags('inbox')
@ApiBadRequestResponse({ type: ProblemDetails })
@Access({ roles: ['clinician', 'supervisor'], clinician: 'clinicianId' })
@Controller('clinicians/:clinicianId/inbox')
export class ReadInboxController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiParam({ name: 'clinicianId', format: 'uuid' })
  @ApiOperation({ summary: "The clinician's open review tasks: urgent first, then by due time (paged)" })
  @ApiOkResponse({ type: InboxPage })
  inbox(@Param('clinicianId', UuidParam('clinicianId')) clinicianId: string, @Query() query: InboxQuery): Promise<InboxPage> {
    return this.queries.execute(new ReadInbox(clinicianId, query.page, query.pageSize, query.kind));
  }
}
