import { REVISION_REASONS } from '@golden-loop/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { TRIGGER_TYPES } from '../../domain/field-rules';
import type { RevisionReason, TriggerType } from '../../domain/plan-content';

// Shapes are checked here; vocabularies (reason, modality, unit, ... codes) and clinical rules are checked
// by the domain, the one place that knows them, and come back as 400 with the field and the reason.

export class TriggerDto {
  @ApiProperty({ enum: TRIGGER_TYPES }) @IsString() type!: TriggerType;
  @ApiProperty({ format: 'uuid', description: 'The assessment, goal, objective or life-event id the trigger is about' }) @IsUUID() id!: string;
}

export class ProposeRevisionRequest {
  @ApiProperty({ enum: REVISION_REASONS }) @IsString() reason!: RevisionReason;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) note?: string;
  @ApiProperty({ type: [TriggerDto] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => TriggerDto) triggers!: TriggerDto[];
}

export class WithdrawRevisionRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) note?: string;
}
