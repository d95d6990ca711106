import { CommandRunner } from '@golden-loop/command-runner';
import { Access, ProblemDetails, setEtag, UuidParam } from '@golden-loop/http-api';
import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { PlanNotKnown, ReauthorizationNotFound } from '../../domain/errors';
import type { ReadinessChecked } from '../../domain/events';
import { revisionInEffect, sessionsUsed, type PlanReadiness } from '../../domain/state';
import { PlanReadinessReadModel } from '../../read-models/plan-readiness.read-model';
import { READINESS_STREAM, type ReadinessStream } from '../../readiness-stream';
import {
  AuthorizationView,
  CheckHistoryView,
  checkView,
  findingView,
  ReadinessView,
  ReauthorizationView,
  SessionView,
  WorklistView,
} from '../readiness.views';

const Integer = 'integer';

export class PageQuery {
  @ApiPropertyOptional({ type: Integer, minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100000) page = 1;
  @ApiPropertyOptional({ type: Integer, minimum: 1, maximum: 200, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize = 20;
}

export class WorklistQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() payerId?: string;
  @ApiPropertyOptional({ enum: ['not_ready', 'at_risk'] }) @IsOptional() @IsIn(['not_ready', 'at_risk']) outcome?: 'not_ready' | 'at_risk';
  @ApiPropertyOptional({ enum: ['urgency', 'checked_at'], default: 'urgency', description: 'urgency: not_ready first, then at_risk by when they will fail' })
  @IsOptional()
  @IsIn(['urgency', 'checked_at'])
  sort: 'urgency' | 'checked_at' = 'urgency';
}

const planIdParam = UuidParam('planId');

@ApiTags('readiness')
@ApiBadRequestResponse({ type: ProblemDetails })
@Controller()
export class ReadReadinessController {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READINESS_STREAM) private readonly stream: ReadinessStream,
    private readonly readModel: PlanReadinessReadModel,
  ) {}

  /** The plan's readiness now (the runner's cached fold). */
  private async plan(planId: string) {
    const loaded = await this.runner.load(this.stream, planId);
    if (!loaded.state.opened) throw new PlanNotKnown();
    return loaded;
  }

  /** The plan's readiness with every event of its stream (check history, submitted bundles). */
  private async history(planId: string) {
    const history = await this.runner.history(this.stream, planId);
    if (!history.state.opened) throw new PlanNotKnown();
    return history;
  }

  @Get('worklist')
  @Access({ roles: ['billing'] })
  @ApiOperation({ summary: 'Plans that are not_ready or at_risk, per payer, paged, most urgent first' })
  @ApiOkResponse({ type: WorklistView })
  async worklist(@Query() query: WorklistQuery): Promise<WorklistView> {
    const { items, total } = await this.readModel.worklist({ ...query, payerId: query.payerId?.toLowerCase() });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  @Get('plans/:planId/readiness')
  // The clinician sees what their plan lacks for the payer, and fixes it.
  @Access({ roles: ['billing', 'clinician', 'supervisor'], plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'The plan’s readiness: the latest check with its findings and how to fix each' })
  @ApiOkResponse({ type: ReadinessView })
  async readiness(@Param('planId', planIdParam) planId: string, @Res({ passthrough: true }) response: Response): Promise<ReadinessView> {
    const { state, version } = await this.plan(planId);
    setEtag(response, version);
    return {
      planId,
      payerId: state.opened!.payerId,
      status: state.closed ? 'closed' : 'open',
      revisionInEffect: revisionInEffect(state)?.revision ?? null,
      latestCheck: state.lastCheck ? checkView(state.lastCheck) : null,
      checks: state.checks,
      version,
    };
  }

  @Get('plans/:planId/checks')
  // The clinician sees what their plan lacks for the payer, and fixes it.
  @Access({ roles: ['billing', 'clinician', 'supervisor'], plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'Every check of the plan, newest first (append-only history)' })
  @ApiOkResponse({ type: CheckHistoryView })
  async checks(@Param('planId', planIdParam) planId: string, @Query() query: PageQuery): Promise<CheckHistoryView> {
    const { events } = await this.history(planId);
    const checks = events.filter((stored): stored is typeof stored & { event: ReadinessChecked } => stored.event.type === 'ReadinessChecked').reverse();
    const page = checks.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
    return {
      total: checks.length,
      page: query.page,
      pageSize: query.pageSize,
      items: page.map(({ event: { data }, streamPosition }) => ({
        checkId: data.checkId,
        outcome: data.outcome,
        findings: data.findings.map(findingView),
        checkedAt: data.checkedAt,
        ruleSetId: data.ruleSetId,
        ruleSetVersion: data.ruleSetVersion,
        nextCheckAt: data.nextCheckAt,
        cause: data.cause,
        triggeredBy: data.triggeredBy,
        position: streamPosition,
      })),
    };
  }

  @Get('plans/:planId/authorizations')
  @Access({ roles: ['billing'], plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'The plan’s authorizations with sessions used and remaining' })
  @ApiOkResponse({ type: [AuthorizationView] })
  async authorizations(@Param('planId', planIdParam) planId: string): Promise<AuthorizationView[]> {
    const { state } = await this.plan(planId);
    return state.authorizations.map((a) => {
      const used = sessionsUsed(state, a.authorizationId);
      return { ...a, serviceCodes: [...a.serviceCodes], sessionsUsed: used, sessionsRemaining: Math.max(0, a.sessionsAuthorized - used) };
    });
  }

  @Get('plans/:planId/sessions')
  @Access({ roles: ['billing'], plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'Sessions delivered, with the authorization each counts against' })
  @ApiOkResponse({ type: [SessionView] })
  async sessions(@Param('planId', planIdParam) planId: string): Promise<SessionView[]> {
    return (await this.plan(planId)).state.sessions.map((s) => ({ ...s }));
  }

  @Get('plans/:planId/reauthorizations')
  @Access({ roles: ['billing'], plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'Re-authorization requests and their tracking (submitted, due, decided, overdue)' })
  @ApiOkResponse({ type: [ReauthorizationView] })
  async reauthorizations(@Param('planId', planIdParam) planId: string): Promise<ReauthorizationView[]> {
    return (await this.plan(planId)).state.reauthorizations.map(viewOf);
  }

  @Get('plans/:planId/reauthorizations/:requestId')
  @Access({ roles: ['billing'], plan: 'planId' })
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiParam({ name: 'requestId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'One re-authorization request and its tracking' })
  @ApiOkResponse({ type: ReauthorizationView })
  async reauthorization(@Param('planId', planIdParam) planId: string, @Param('requestId', UuidParam('requestId')) requestId: string): Promise<ReauthorizationView> {
    return viewOf(requestOf((await this.plan(planId)).state, requestId));
  }

  @Get('plans/:planId/reauthorizations/:requestId/bundle')
  @Access({ roles: ['billing'], plan: 'planId' })
  @Header('Content-Type', 'application/fhir+json; charset=utf-8')
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiParam({ name: 'requestId', format: 'uuid' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiOperation({ summary: 'The request as submitted: a FHIR R4 Bundle in the Da Vinci PAS shape (Claim, use = preauthorization)' })
  @ApiOkResponse({ description: 'FHIR R4 Bundle', content: { 'application/fhir+json': { schema: { type: 'object', additionalProperties: true } } } })
  async bundle(@Param('planId', planIdParam) planId: string, @Param('requestId', UuidParam('requestId')) requestId: string): Promise<string> {
    const { events } = await this.history(planId);
    const requested = events.find(({ event }) => event.type === 'ReauthorizationRequested' && event.data.requestId === requestId);
    if (!requested || requested.event.type !== 'ReauthorizationRequested') throw new ReauthorizationNotFound();
    return JSON.stringify(requested.event.data.bundle);
  }
}

const requestOf = (state: PlanReadiness, requestId: string) => {
  const request = state.reauthorizations.find((r) => r.requestId === requestId);
  if (!request) throw new ReauthorizationNotFound();
  return request;
};

const viewOf = (request: PlanReadiness['reauthorizations'][number]): ReauthorizationView => ({ ...request, serviceCodes: [...request.serviceCodes] });
