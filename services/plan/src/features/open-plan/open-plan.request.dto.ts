import { DIAGNOSIS_RANKS, FREQUENCY_PERIODS, SESSION_TYPES } from '@golden-loop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DiagnosisRank, Frequency, SessionType } from '../../domain/plan-content';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class FrequencyDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) count!: number;
  @ApiProperty({ enum: FREQUENCY_PERIODS }) @IsString() per!: Frequency['per'];
}

export class ServiceDto {
  @ApiProperty({ enum: SESSION_TYPES }) @IsString() sessionType!: SessionType;
  @ApiProperty({ example: 53 }) @IsInt() sessionMinutes!: number;
  @ApiProperty({ type: FrequencyDto }) @ValidateNested() @Type(() => FrequencyDto) frequency!: FrequencyDto;
  @ApiProperty({ example: 16 }) @IsInt() expectedDurationWeeks!: number;
}

export class DiagnosisDto {
  @ApiProperty({ example: 'F32.1', description: 'ICD-10-CM code' }) @IsString() @MaxLength(10) code!: string;
  @ApiProperty({ enum: DIAGNOSIS_RANKS }) @IsString() rank!: DiagnosisRank;
  @ApiProperty({ example: 'Major depressive disorder, single episode, moderate' }) @IsString() @MaxLength(500) description!: string;
}

export class ProblemDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Given by the server when absent' }) @IsOptional() @IsUUID() id?: string;
  @ApiProperty({ example: 'F32.1' }) @IsString() diagnosisCode!: string;
  @ApiProperty({ example: 'Low mood most days' }) @IsString() @MaxLength(1000) description!: string;
}

export class OpenPlanRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Given by the server when absent' }) @IsOptional() @IsUUID() planId?: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() clientId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() clinicianId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for self-pay' }) @IsOptional() @IsUUID() payerId!: string | null;
  @ApiProperty() @IsString() @MaxLength(4000) presentingProblem!: string;
  @ApiProperty({ type: [String] }) @IsArray() @IsString({ each: true }) @ArrayMaxSize(20) strengths!: string[];
  @ApiProperty({ type: [DiagnosisDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(25) @ValidateNested({ each: true }) @Type(() => DiagnosisDto)
  diagnoses!: DiagnosisDto[];
  @ApiProperty({ type: [ProblemDto] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ProblemDto) symptoms!: ProblemDto[];
  @ApiProperty({ type: [ProblemDto] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ProblemDto)
  impairments!: ProblemDto[];
  @ApiProperty({ type: ServiceDto }) @ValidateNested() @Type(() => ServiceDto) service!: ServiceDto;
}
