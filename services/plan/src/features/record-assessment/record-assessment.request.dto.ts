import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsInt, IsOptional, IsString } from 'class-validator';

export class RecordAssessmentRequest {
  @ApiProperty({ enum: ['PHQ-9', 'GAD-7'] }) @IsString() instrument!: string;
  @ApiProperty({ type: [Number], example: [1, 1, 1, 1, 1, 1, 1, 1, 0], description: 'Item responses in order, each 0–3' })
  @IsArray()
  @IsInt({ each: true })
  items!: number[];
  @ApiPropertyOptional({ description: 'The total as scored on paper; refused when it disagrees with the items' })
  @IsOptional()
  @IsInt()
  declaredTotal?: number;
}
