import { Access, IsId, IsQueryInteger, ProblemDetails } from '@golden-loop/http-api';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { AuditTrail } from './audit-trail';

export class AuditQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'A plan: its whole access history' }) @IsOptional() @IsId() planId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A user: everything they read or wrote' }) @IsOptional() @IsId() actorId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 }) @IsOptional() @IsQueryInteger({ min: 1, max: 500 }) limit = 100;
  @ApiPropertyOptional({ type: 'string', description: 'Entries before this audit id (paging, newest first)' }) @IsOptional() @Matches(/^[1-9][0-9]{0,18}$/) before?: string;
}

/** The service's audit trail, for admins: a plan's full access history in one request (docs/security.md). */
@ApiTags('audit')
@ApiBearerAuth()
@ApiForbiddenResponse({ type: ProblemDetails })
@Controller('audit')
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  @Get()
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: 'Who read or wrote PHI in this service, newest first: by plan, by user, or all' })
  @ApiOkResponse({ description: 'Audit entries' })
  async entries(@Query() query: AuditQuery) {
    const items = await this.trail.query({ planId: query.planId, actorId: query.actorId, limit: query.limit, before: query.before });
    return { items, next: items.length === query.limit ? items.at(-1)?.auditId : undefined };
  }
}
