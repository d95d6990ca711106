import { GOAL_LINK_KINDS, type GoalLinkKind } from '@golden-loop/clinical';
import { BEHAVIOURAL_UNITS, INSTRUMENTS, MODALITIES } from '@golden-loop/contracts';
import { IsCalendarDate, IsId } from '@golden-loop/http-api';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { MEASURE_KINDS, type BehaviouralUnit, type MeasureKind, type Modality } from '../../domain/plan-content';
import { PLAN_LIMITS, TEXT_LIMITS } from '../../domain/plan-limits';
import { FrequencyDto } from '../open-plan/open-plan.request.dto';

// Shapes and lengths are checked here, from the domain's own limits (domain/plan-limits.ts); vocabularies (modality,
// unit, ... codes), ranges and clinical rules are checked by the domain, the one place that knows them, and come
// back as 400 with the field and the reason.

/** A diagnosis code as typed, or the id of a symptom or impairment: never longer than a UUID. */
const LINK_ID_MAX_LENGTH = 36;

export class AddDiagnosisRequest {
  @ApiProperty({ example: 'F41.1', maxLength: TEXT_LIMITS.diagnosisCode }) @IsString() @MaxLength(TEXT_LIMITS.diagnosisCode) code!: string;
  @ApiProperty({ maxLength: TEXT_LIMITS.diagnosis }) @IsString() @MaxLength(TEXT_LIMITS.diagnosis) description!: string;
}

export class PrimaryDiagnosisRequest {
  @ApiProperty({ example: 'F41.1', maxLength: TEXT_LIMITS.diagnosisCode }) @IsString() @MaxLength(TEXT_LIMITS.diagnosisCode) code!: string;
}

export class AddProblemRequest {
  @ApiProperty({ example: 'F32.1', maxLength: TEXT_LIMITS.diagnosisCode }) @IsString() @MaxLength(TEXT_LIMITS.diagnosisCode) diagnosisCode!: string;
  @ApiProperty({ maxLength: TEXT_LIMITS.problem }) @IsString() @MaxLength(TEXT_LIMITS.problem) description!: string;
}

export class ProblemLinkDto {
  @ApiProperty({ enum: GOAL_LINK_KINDS }) @IsString() kind!: GoalLinkKind;
  @ApiProperty({ description: 'The ICD-10-CM code of a diagnosis, or the id of a symptom or impairment', maxLength: LINK_ID_MAX_LENGTH })
  @IsString()
  @MaxLength(LINK_ID_MAX_LENGTH)
  id!: string;
}

export class AddGoalRequest {
  @ApiProperty({ description: 'What the client hopes to change, in their own words', maxLength: TEXT_LIMITS.goal })
  @IsString()
  @MaxLength(TEXT_LIMITS.goal)
  clientGoal!: string;
  @ApiProperty({ description: 'How treatment will help, in clinical words', maxLength: TEXT_LIMITS.goal }) @IsString() @MaxLength(TEXT_LIMITS.goal) clinicalGoal!: string;
  @ApiProperty({ type: [ProblemLinkDto], maxItems: PLAN_LIMITS.linksPerGoal })
  @IsArray()
  @ArrayMaxSize(PLAN_LIMITS.linksPerGoal)
  @ValidateNested({ each: true })
  @Type(() => ProblemLinkDto)
  addresses!: ProblemLinkDto[];
}

export class ReviseGoalRequest {
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.goal }) @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.goal) clientGoal?: string;
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.goal }) @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.goal) clinicalGoal?: string;
  // The same cap as on POST: a PATCH is no way around it.
  @ApiPropertyOptional({ type: [ProblemLinkDto], maxItems: PLAN_LIMITS.linksPerGoal })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PLAN_LIMITS.linksPerGoal)
  @ValidateNested({ each: true })
  @Type(() => ProblemLinkDto)
  addresses?: ProblemLinkDto[];
}

export class DiscontinueRequest {
  @ApiPropertyOptional({ description: 'Why it is discontinued, in the clinician’s words (stays in the plan service)', maxLength: TEXT_LIMITS.note })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.note)
  reason?: string;
}

export class MeasureDto {
  @ApiProperty({ enum: MEASURE_KINDS }) @IsIn(MEASURE_KINDS) kind!: MeasureKind;
  @ApiPropertyOptional({ enum: Object.keys(INSTRUMENTS) }) @IsOptional() @IsString() instrument?: string;
  @ApiPropertyOptional({ example: 'days out of the house', maxLength: TEXT_LIMITS.measure })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.measure)
  description?: string;
  @ApiPropertyOptional({ enum: BEHAVIOURAL_UNITS }) @IsOptional() @IsString() unit?: BehaviouralUnit;
  @ApiProperty({ description: 'An instrument total, or an amount in the unit’s range (days_per_week 0-7, percent 0-100, ...)' }) @IsNumber() baseline!: number;
  @ApiProperty() @IsNumber() target!: number;
}

export class AddObjectiveRequest {
  @ApiProperty({ format: 'uuid' }) @IsId() goalId!: string;
  @ApiProperty({ maxLength: TEXT_LIMITS.objective }) @IsString() @MaxLength(TEXT_LIMITS.objective) description!: string;
  @ApiProperty({ type: MeasureDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => MeasureDto) measure!: MeasureDto | null;
  @ApiProperty({ type: String, format: 'date', example: '2027-02-01', nullable: true, description: 'From the day the plan opened to ten years ahead' })
  @IsOptional()
  @IsCalendarDate()
  targetDate!: string | null;
}

export class ReviseObjectiveRequest {
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.objective }) @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.objective) description?: string;
  @ApiPropertyOptional({ type: MeasureDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => MeasureDto) measure?: MeasureDto | null;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'From the day the plan opened to ten years ahead' })
  @IsOptional()
  @IsCalendarDate()
  targetDate?: string | null;
}

export class AddInterventionRequest {
  @ApiProperty({ format: 'uuid' }) @IsId() objectiveId!: string;
  @ApiProperty({ enum: MODALITIES }) @IsString() modality!: Modality;
  @ApiProperty({ maxLength: TEXT_LIMITS.intervention }) @IsString() @MaxLength(TEXT_LIMITS.intervention) description!: string;
  @ApiProperty({ type: FrequencyDto }) @ValidateNested() @Type(() => FrequencyDto) frequency!: FrequencyDto;
}
