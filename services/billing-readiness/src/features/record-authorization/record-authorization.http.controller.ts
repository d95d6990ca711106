import { randomUUID } from 'node:crypto';
import { Access, CommandTarget, ProblemDetails, RequestInvalid, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ReadinessRunResult } from '../../readiness-use-case';
import { accepted, CommandAccepted } from '../readiness.views';
import { RecordAuthorizationCommand, RecordSessionCommand } from './record-authorization.command';
import { RecordAuthorizationRequest, RecordSessionRequest } from './record-authorization.request.dto';

@ApiTags('authorizations')
@ApiParam({ name: 'planId', format: 'uuid' })
@Access({ roles: ['billing'], plan: 'planId' })
@ApiBadRequestResponse({ type: ProblemDetails, description: 'The request is invalid: problems name the fields' })
@ApiNotFoundResponse({ type: ProblemDetails, description: 'Billing has not heard of this plan (plan_not_found)' })
@ApiConflictResponse({ type: ProblemDetails, description: 'Self-pay or closed plan, another payer, a repeated number or session' })
@Controller('plans/:planId')
export class RecordAuthorizationController {
  constructor(private readonly commands: CommandBus) {}

  @Post('authorizations')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a payer authorization (number, services, sessions, dates); the plan is checked again' })
  @ApiCreatedResponse({ type: CommandAccepted })
  async authorize(@CommandTarget('planId') target: CommandTargetOf, @Body() body: RecordAuthorizationRequest): Promise<CommandAccepted> {
    if (body.endsOn < body.startsOn) throw new RequestInvalid([{ field: 'endsOn', reason: 'endsOn must not be before startsOn' }]);
    const authorizationId = randomUUID();
    const data = {
      authorizationId,
      authorizationNumber: body.authorizationNumber,
      payerId: body.payerId?.toLowerCase() ?? null,
      serviceCodes: body.serviceCodes,
      sessionsAuthorized: body.sessionsAuthorized,
      startsOn: body.startsOn,
      endsOn: body.endsOn,
    };
    const result = await this.commands.execute<RecordAuthorizationCommand, ReadinessRunResult>(
      new RecordAuthorizationCommand(target.streamId, { type: 'RecordAuthorization', data }, target.metadata),
    );
    return accepted(target.response, result, authorizationId);
  }

  @Post('sessions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a session delivered (date, service code, minutes) as the EHR or claims system reports it' })
  @ApiCreatedResponse({ type: CommandAccepted })
  async session(@CommandTarget('planId') target: CommandTargetOf, @Body() body: RecordSessionRequest): Promise<CommandAccepted> {
    const sessionId = body.sessionId?.toLowerCase() ?? randomUUID();
    const data = { sessionId, dateOfService: body.dateOfService, serviceCode: body.serviceCode, minutes: body.minutes };
    const result = await this.commands.execute<RecordSessionCommand, ReadinessRunResult>(new RecordSessionCommand(target.streamId, { type: 'RecordSession', data }, target.metadata));
    return accepted(target.response, result, sessionId);
  }
}
