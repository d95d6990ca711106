import { SIGNATURE_METHODS, SIGNER_ROLES } from '@golden-loop/contracts';
import { CommandTarget, IsId, PositiveIntegerParam, type CommandTargetOf } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import type { SignatureMethod, SignerRole } from '../../domain/plan-content';
import { accepted, CommandAccepted } from '../command-accepted';
import { PlanCommandHeaders } from '../plan-command.headers';
import { SignRevision } from './sign-revision.command';

export class SignRevisionRequest {
  @ApiProperty({ enum: SIGNER_ROLES }) @IsString() signerRole!: SignerRole;
  @ApiProperty({ format: 'uuid' }) @IsId() signerId!: string;
  @ApiProperty({ enum: SIGNATURE_METHODS }) @IsString() method!: SignatureMethod;
}

@ApiTags('revisions')
@PlanCommandHeaders()
@Controller('plans/:planId/revisions/:revision/signatures')
export class SignRevisionController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiParam({ name: 'revision', schema: { type: 'integer', minimum: 1 } })
  @ApiOperation({ summary: 'Sign (attest) the draft revision as client or clinician; both signatures put it in effect' })
  @ApiCreatedResponse({ type: CommandAccepted })
  async sign(
    @CommandTarget('planId') target: CommandTargetOf,
    @Param('revision', PositiveIntegerParam('revision')) revision: number,
    @Body() body: SignRevisionRequest,
  ): Promise<CommandAccepted> {
    const data = { revision, signerRole: body.signerRole, signerId: body.signerId, method: body.method };
    return accepted(target, await this.commands.execute(new SignRevision(target, { type: 'SignRevision', data })));
  }
}
