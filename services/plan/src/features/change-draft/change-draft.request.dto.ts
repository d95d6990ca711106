import { BEHAVIOURAL_UNITS, MODALITIES } from '@golden-loop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import type { BehaviouralUnit, Modality } from '../../domain/plan-content';
import { FrequencyDto } from '../open-plan/open-plan.request.dto';

// Shapes are checked here; vocabularies (modality, unit, ... codes) and clinical rules are checked by the domain,
// the one place that knows them, and come back as 400 with the field and the reason.

export class AddDiagnosisRequest {
  @ApiProperty({ example: 'F41.1' }) @IsString() @MaxLength(10) code!: string;
  @ApiProperty() @IsString() @MaxLength(500) description!: string;
}

export class PrimaryDiagnosisRequest {
  @ApiProperty({ example: 'F41.1' }) @IsString() @MaxLength(10) code!: string;
}

export class AddProblemRequest {
  @ApiProperty({ example: 'F32.1' }) @IsString() diagnosisCode!: string;
  @ApiProperty() @IsString() @MaxLength(1000) description!: string;
}

export class ProblemLinkDto {
  @ApiProperty({ enum: ['diagnosis', 'symptom', 'impairment'] }) @IsString() kind!: 'diagnosis' | 'symptom' | 'impairment';
  @ApiProperty({ description: 'The ICD-10-CM code of a diagnosis, or the id of a symptom or impairment' }) @IsString() id!: string;
}

export class AddGoalRequest {
  @ApiProperty({ description: 'What the client hopes to change, in their own words' }) @IsString() @MaxLength(2000) clientGoal!: string;
  @ApiProperty({ description: 'How treatment will help, in clinical words' }) @IsString() @MaxLength(2000) clinicalGoal!: string;
  @ApiProperty({ type: [ProblemLinkDto] }) @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ProblemLinkDto)
  addresses!: ProblemLinkDto[];
}

export class ReviseGoalRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) clientGoal?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) clinicalGoal?: string;
  @ApiPropertyOptional({ type: [ProblemLinkDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ProblemLinkDto)
  addresses?: ProblemLinkDto[];
}

export class DiscontinueRequest {
  @ApiPropertyOptional({ description: 'Why it is discontinued, in the clinician’s words (stays in the plan service)' }) @IsOptional() @IsString() @MaxLength(4000) reason?: string;
}

export class MeasureDto {
  @ApiProperty({ enum: ['instrument', 'behavioural'] }) @IsIn(['instrument', 'behavioural']) kind!: 'instrument' | 'behavioural';
  @ApiPropertyOptional({ example: 'PHQ-9' }) @IsOptional() @IsString() instrument?: string;
  @ApiPropertyOptional({ example: 'days out of the house' }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional({ enum: BEHAVIOURAL_UNITS }) @IsOptional() @IsString() unit?: BehaviouralUnit;
  @ApiProperty() @IsNumber() baseline!: number;
  @ApiProperty() @IsNumber() target!: number;
}

export class AddObjectiveRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() goalId!: string;
  @ApiProperty() @IsString() @MaxLength(2000) description!: string;
  @ApiProperty({ type: MeasureDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => MeasureDto) measure!: MeasureDto | null;
  @ApiProperty({ type: String, format: 'date', example: '2027-02-01', nullable: true }) @IsOptional() @IsISO8601({ strict: true }) targetDate!: string | null;
}

export class ReviseObjectiveRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ type: MeasureDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => MeasureDto) measure?: MeasureDto | null;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) @IsOptional() @IsISO8601({ strict: true }) targetDate?: string | null;
}

export class AddInterventionRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() objectiveId!: string;
  @ApiProperty({ enum: MODALITIES }) @IsString() modality!: Modality;
  @ApiProperty() @IsString() @MaxLength(2000) description!: string;
  @ApiProperty({ type: FrequencyDto }) @ValidateNested() @Type(() => FrequencyDto) frequency!: FrequencyDto;
}
