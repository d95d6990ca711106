import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

const SERVICE_CODE = /^[0-9A-Z][0-9]{3}[0-9A-Z]$/;
const Integer = 'integer';

export class RecordAuthorizationRequest {
  @ApiProperty({ description: "The payer's authorization number", example: 'PA-2026-000123', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,39}$' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, { message: 'authorizationNumber must be 1 to 40 letters, digits and dashes' })
  authorizationNumber!: string;
  @ApiPropertyOptional({ format: 'uuid', description: "The payer; the plan's payer when absent (409 when another)" }) @IsOptional() @IsUUID() payerId?: string;
  @ApiProperty({ type: [String], example: ['90837', '90834'], description: 'CPT / HCPCS codes it covers' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(SERVICE_CODE, { each: true, message: 'each service code must be a CPT or HCPCS code such as 90837' })
  serviceCodes!: string[];
  @ApiProperty({ type: Integer, minimum: 1, maximum: 1000 }) @IsInt() @Min(1) @Max(1000) sessionsAuthorized!: number;
  @ApiProperty({ format: 'date' }) @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startsOn must be a date (YYYY-MM-DD)' }) startsOn!: string;
  @ApiProperty({ format: 'date' }) @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endsOn must be a date (YYYY-MM-DD)' }) endsOn!: string;
}

export class RecordSessionRequest {
  @ApiPropertyOptional({ format: 'uuid', description: "The EHR's or claims system's id of the session; a repeat is refused (409)" }) @IsOptional() @IsUUID() sessionId?: string;
  @ApiProperty({ format: 'date' }) @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfService must be a date (YYYY-MM-DD)' }) dateOfService!: string;
  @ApiProperty({ example: '90837', pattern: SERVICE_CODE.source }) @Matches(SERVICE_CODE, { message: 'serviceCode must be a CPT or HCPCS code such as 90837' }) serviceCode!: string;
  @ApiProperty({ type: Integer, minimum: 1, maximum: 480 }) @IsInt() @Min(1) @Max(480) minutes!: number;
}
