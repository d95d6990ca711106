import { SIGNATURE_METHODS, SIGNER_ROLES } from '@golden-loop/contracts';
import { Access, CommandTarget, hasRole, IsDateTime, IsId, PositiveIntegerParam, RequestRefused, type CommandTargetOf, type Principal } from '@golden-loop/http-api';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { SignatureMethod, SignerRole } from '../../domain/plan-content';
import { DATE_LIMITS } from '../../domain/plan-limits';
import { accepted, CommandAccepted } from '../command-accepted';
import { PlanCommandHeaders } from '../plan-command.headers';
import { SignRevision } from './sign-revision.command';

export class SignRevisionRequest {
  @ApiProperty({ enum: SIGNER_ROLES }) @IsString() signerRole!: SignerRole;
  @ApiProperty({ format: 'uuid' }) @IsId() signerId!: string;
  @ApiProperty({ enum: SIGNATURE_METHODS }) @IsString() method!: SignatureMethod;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-03-02T15:10:00Z',
    description: `When the signature was given (e.g. on paper in session); now when absent. Not in the future (${DATE_LIMITS.clockSkewMinutes} minutes allowed for clock differences), not before the plan opened`,
  })
  @IsOptional()
  @IsDateTime()
  signedAt?: string;
}

/** Methods by which a clinician records the client's own attestation, given in session (not an e-signature). */
const IN_SESSION_METHODS: readonly SignatureMethod[] = ['wet_ink_scanned', 'verbal_attested'];

/**
 * Who may put which signature on a revision (docs/security.md): the clinician signs as clinician, as themself; the
 * client signs with a client token, as themself; or the clinician records the client's in-session attestation with
 * its method. Whether the signer is this plan's client or clinician is the plan's rule (the decider).
 */
const refusedSignature = (principal: Principal, body: SignRevisionRequest): string | undefined => {
  const self = body.signerId === principal.userId;
  if (body.signerRole === 'clinician') return hasRole(principal, 'clinician') && self ? undefined : 'Only the clinician signs as clinician, with their own token.';
  if (hasRole(principal, 'client') && self) return undefined;
  if (hasRole(principal, 'clinician') && IN_SESSION_METHODS.includes(body.method)) return undefined;
  return `The client signs with their own token; a clinician records a client signature only as an in-session attestation (${IN_SESSION_METHODS.join(' or ')}).`;
};

@ApiTags('revisions')
// Above PlanCommandHeaders: the topmost class decorator's rule is the one that holds.
@Access({ roles: ['clinician', 'client'], plan: 'planId' })
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
    const refused = refusedSignature(target.principal, body);
    if (refused !== undefined) throw new RequestRefused('signature_not_yours', 403, refused, 'signerId');
    const data = { revision, signerRole: body.signerRole, signerId: body.signerId, method: body.method, signedAt: body.signedAt ?? null };
    return accepted(target, await this.commands.execute(new SignRevision(target, { type: 'SignRevision', data })));
  }
}
