import { randomUUID } from 'node:crypto';
import { Access, CommandTarget, ProblemDetails, RequestInvalid, UuidParam, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ReadinessRunResult } from '../../readiness-use-case';
import { accepted, CommandAccepted } from '../readiness.views';
import { RecordPayerDecisionCommand, RequestReauthorizationCommand } from './reauthorization.command';
import { RecordPayerDecisionRequest, RequestReauthorizationRequest } from './reauthorization.request.dto';

@ApiTags('re-authorization')
@ApiParam({ name: 'planId', format: 'uuid' })
@Access({ roles: ['billing'], plan: 'planId' })
@ApiBadRequestResponse({ type: ProblemDetails })
@ApiNotFoundResponse({ type: ProblemDetails })
@ApiConflictResponse({ type: ProblemDetails })
@Controller('plans/:planId/reauthorizations')
export class ReauthorizationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Submit a re-authorization request: a Da Vinci PAS Bundle (GET …/:requestId/bundle), decision due in 72 h (expedited) or 7 days (standard)',
  })
  @ApiCreatedResponse({ type: CommandAccepted })
  async request(@CommandTarget('planId') target: CommandTargetOf, @Body() body: RequestReauthorizationRequest): Promise<CommandAccepted> {
    if ((body.startsOn === undefined) !== (body.endsOn === undefined)) throw new RequestInvalid([{ field: 'endsOn', reason: 'give both startsOn and endsOn, or neither' }]);
    if (body.startsOn && body.endsOn && body.endsOn < body.startsOn) throw new RequestInvalid([{ field: 'endsOn', reason: 'endsOn must not be before startsOn' }]);
    const requestId = randomUUID();
    const data = {
      requestId,
      priority: body.priority,
      serviceCodes: body.serviceCodes,
      sessionsRequested: body.sessionsRequested,
      authorizationId: body.authorizationId?.toLowerCase() ?? null,
      period: body.startsOn && body.endsOn ? { start: body.startsOn, end: body.endsOn } : null,
    };
    const result = await this.commands.execute<RequestReauthorizationCommand, ReadinessRunResult>(
      new RequestReauthorizationCommand(target.streamId, { type: 'RequestReauthorization', data }, target.metadata),
    );
    return accepted(target.response, result, requestId);
  }

  @Post(':requestId/decision')
  @HttpCode(201)
  @ApiParam({ name: 'requestId', format: 'uuid' })
  @ApiOperation({ summary: "Record the payer's decision: approved with the sessions requested, partial, or denied" })
  @ApiCreatedResponse({ type: CommandAccepted })
  async decide(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('requestId', UuidParam('requestId')) requestId: string,
    @Body() body: RecordPayerDecisionRequest,
  ): Promise<CommandAccepted> {
    const granted = body.authorization;
    if (granted && granted.endsOn < granted.startsOn) throw new RequestInvalid([{ field: 'authorization.endsOn', reason: 'endsOn must not be before startsOn' }]);
    const authorization = granted ? { authorizationId: randomUUID(), authorizationNumber: granted.authorizationNumber, startsOn: granted.startsOn, endsOn: granted.endsOn } : null;
    const data = { requestId, decision: body.decision, sessionsApproved: body.sessionsApproved, authorization };
    const result = await this.commands.execute<RecordPayerDecisionCommand, ReadinessRunResult>(
      new RecordPayerDecisionCommand(target.streamId, { type: 'RecordPayerDecision', data }, target.metadata),
    );
    return accepted(target.response, result, authorization?.authorizationId);
  }
}
