import { PAYER_DECISIONS, REAUTHORIZATION_PRIORITIES } from '@golden-loop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';

const Integer = 'integer';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class RequestReauthorizationRequest {
  @ApiProperty({ enum: REAUTHORIZATION_PRIORITIES, description: 'expedited: decided within 72 hours; standard: 7 calendar days (CMS-0057-F)' })
  @IsIn(REAUTHORIZATION_PRIORITIES)
  priority!: (typeof REAUTHORIZATION_PRIORITIES)[number];
  @ApiProperty({ type: [String], example: ['90837'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[0-9A-Z][0-9]{3}[0-9A-Z]$/, { each: true, message: 'each service code must be a CPT or HCPCS code such as 90837' })
  serviceCodes!: string[];
  @ApiProperty({ type: Integer, minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) sessionsRequested!: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The authorization it extends; the one in effect today when absent' }) @IsOptional() @IsUUID() authorizationId?: string;
  @ApiPropertyOptional({ format: 'date', description: 'First day of the requested period (default: the day after the current authorization ends, or today)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE)
  startsOn?: string;
  @ApiPropertyOptional({ format: 'date', description: 'Last day of the requested period (default: 90 days from its start)' }) @IsOptional() @IsISO8601({ strict: true }) @Matches(DATE) endsOn?: string;
}

export class GrantedAuthorization {
  @ApiProperty({ example: 'PA-2026-000456' }) @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, { message: 'authorizationNumber must be 1 to 40 letters, digits and dashes' }) authorizationNumber!: string;
  @ApiProperty({ format: 'date' }) @IsISO8601({ strict: true }) @Matches(DATE) startsOn!: string;
  @ApiProperty({ format: 'date' }) @IsISO8601({ strict: true }) @Matches(DATE) endsOn!: string;
}

export class RecordPayerDecisionRequest {
  @ApiProperty({ enum: PAYER_DECISIONS }) @IsIn(PAYER_DECISIONS) decision!: (typeof PAYER_DECISIONS)[number];
  @ApiProperty({ type: Integer, minimum: 0, maximum: 1000, description: 'approved: all requested; partial: fewer; denied: 0' }) @IsInt() @Min(0) @Max(1000) sessionsApproved!: number;
  @ApiPropertyOptional({ type: GrantedAuthorization, description: 'The authorization granted (approved or partial)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => GrantedAuthorization)
  authorization?: GrantedAuthorization;
}
