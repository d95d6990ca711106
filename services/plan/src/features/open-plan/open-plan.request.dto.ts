import { DIAGNOSIS_RANKS, FREQUENCY_PERIODS, PLAN_NUMBER_RANGES, SESSION_TYPES } from '@golden-loop/contracts';
import { IsDateTime, IsId } from '@golden-loop/http-api';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import type { DiagnosisRank, Frequency, SessionType } from '../../domain/plan-content';
import { DATE_LIMITS, PLAN_LIMITS, TEXT_LIMITS } from '../../domain/plan-limits';

// Shapes and lengths are checked here, from the domain's own limits (domain/plan-limits.ts); ranges, vocabularies
// and clinical rules are the domain's, and come back as 400 with the field and the reason.

export class FrequencyDto {
  @ApiProperty({ example: 1, minimum: PLAN_NUMBER_RANGES.frequencyCount.min, maximum: PLAN_NUMBER_RANGES.frequencyCount.max })
  @IsInt()
  @Min(1)
  count!: number;
  @ApiProperty({ enum: FREQUENCY_PERIODS }) @IsString() per!: Frequency['per'];
}

export class ServiceDto {
  @ApiProperty({ enum: SESSION_TYPES }) @IsString() sessionType!: SessionType;
  @ApiProperty({ example: 53, minimum: PLAN_NUMBER_RANGES.sessionMinutes.min, maximum: PLAN_NUMBER_RANGES.sessionMinutes.max })
  @IsInt()
  sessionMinutes!: number;
  @ApiProperty({ type: FrequencyDto }) @ValidateNested() @Type(() => FrequencyDto) frequency!: FrequencyDto;
  @ApiProperty({ example: 16, minimum: PLAN_NUMBER_RANGES.expectedDurationWeeks.min, maximum: PLAN_NUMBER_RANGES.expectedDurationWeeks.max })
  @IsInt()
  expectedDurationWeeks!: number;
}

export class DiagnosisDto {
  @ApiProperty({ example: 'F32.1', description: 'ICD-10-CM code', maxLength: TEXT_LIMITS.diagnosisCode })
  @IsString()
  @MaxLength(TEXT_LIMITS.diagnosisCode)
  code!: string;
  @ApiProperty({ enum: DIAGNOSIS_RANKS }) @IsString() rank!: DiagnosisRank;
  @ApiProperty({ example: 'Major depressive disorder, single episode, moderate', maxLength: TEXT_LIMITS.diagnosis })
  @IsString()
  @MaxLength(TEXT_LIMITS.diagnosis)
  description!: string;
}

export class ProblemDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Given by the server when absent' }) @IsOptional() @IsId() id?: string;
  @ApiProperty({ example: 'F32.1', maxLength: TEXT_LIMITS.diagnosisCode }) @IsString() @MaxLength(TEXT_LIMITS.diagnosisCode) diagnosisCode!: string;
  @ApiProperty({ example: 'Low mood most days', maxLength: TEXT_LIMITS.problem }) @IsString() @MaxLength(TEXT_LIMITS.problem) description!: string;
}

export class OpenPlanRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Given by the server when absent' }) @IsOptional() @IsId() planId?: string;
  @ApiProperty({ format: 'uuid' }) @IsId() clientId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The caller (a clinician opens plans on their own caseload); taken from the token when absent' })
  @IsOptional()
  @IsId()
  clinicianId?: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for self-pay' }) @IsOptional() @IsId() payerId!: string | null;
  @ApiProperty({ maxLength: TEXT_LIMITS.presentingProblem }) @IsString() @MaxLength(TEXT_LIMITS.presentingProblem) presentingProblem!: string;
  @ApiProperty({ type: [String], maxItems: PLAN_LIMITS.strengths, description: `Each at most ${TEXT_LIMITS.strength} characters` })
  @IsArray()
  @ArrayMaxSize(PLAN_LIMITS.strengths)
  @IsString({ each: true })
  @MaxLength(TEXT_LIMITS.strength, { each: true })
  strengths!: string[];
  @ApiProperty({ type: [DiagnosisDto], minItems: 1, maxItems: PLAN_LIMITS.diagnoses })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PLAN_LIMITS.diagnoses)
  @ValidateNested({ each: true })
  @Type(() => DiagnosisDto)
  diagnoses!: DiagnosisDto[];
  @ApiProperty({ type: [ProblemDto], maxItems: PLAN_LIMITS.symptoms })
  @IsArray()
  @ArrayMaxSize(PLAN_LIMITS.symptoms)
  @ValidateNested({ each: true })
  @Type(() => ProblemDto)
  symptoms!: ProblemDto[];
  @ApiProperty({ type: [ProblemDto], maxItems: PLAN_LIMITS.impairments })
  @IsArray()
  @ArrayMaxSize(PLAN_LIMITS.impairments)
  @ValidateNested({ each: true })
  @Type(() => ProblemDto)
  impairments!: ProblemDto[];
  @ApiProperty({ type: ServiceDto }) @ValidateNested() @Type(() => ServiceDto) service!: ServiceDto;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-03-02T15:00:00Z',
    description: `When treatment started (the intake), the clock of the non-response rule; now when absent. Not in the future (${DATE_LIMITS.clockSkewMinutes} minutes allowed for clock differences), at most ${DATE_LIMITS.openedYearsBack} years ago`,
  })
  @IsOptional()
  @IsDateTime()
  openedAt?: string;
}
