import { REVISION_REASONS } from '@golden-loop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsId } from '@golden-loop/http-api';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { TRIGGER_TYPES, type RevisionReason, type TriggerType } from '../../domain/plan-content';
import { PLAN_LIMITS, TEXT_LIMITS } from '../../domain/plan-limits';

// Shapes are checked here; vocabularies (reason, modality, unit, ... codes) and clinical rules are checked
// by the domain, the one place that knows them, and come back as 400 with the field and the reason.

export class TriggerDto {
  @ApiProperty({ enum: TRIGGER_TYPES }) @IsString() type!: TriggerType;
  @ApiProperty({ format: 'uuid', description: 'The assessment, goal, objective or life-event id the trigger is about' }) @IsId() id!: string;
}

export class ProposeRevisionRequest {
  @ApiProperty({ enum: REVISION_REASONS }) @IsString() reason!: RevisionReason;
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.note }) @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.note) note?: string;
  @ApiProperty({ type: [TriggerDto], maxItems: PLAN_LIMITS.triggersPerRevision })
  @IsArray()
  @ArrayMaxSize(PLAN_LIMITS.triggersPerRevision)
  @ValidateNested({ each: true })
  @Type(() => TriggerDto)
  triggers!: TriggerDto[];
}

export class WithdrawRevisionRequest {
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.note }) @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.note) note?: string;
}
