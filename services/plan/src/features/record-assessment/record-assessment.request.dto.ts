import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsInt, IsOptional, IsString } from 'class-validator';

export class RecordAssessmentRequest {
  @ApiProperty({ enum: ['PHQ-9', 'GAD-7'] }) @IsString() instrument!: string;
  // Only the shape here: whether each response is a whole number in range is the instrument's rule, checked by
  // libs/clinical and answered as assessment_invalid with the item at fault (one code per fact).
  @ApiProperty({ type: [Number], example: [1, 1, 1, 1, 1, 1, 1, 1, 0], description: 'Item responses in order, each a whole number 0–3' })
  @IsArray()
  items!: number[];
  @ApiPropertyOptional({ description: 'The total as scored on paper; refused when it disagrees with the items' })
  @IsOptional()
  @IsInt()
  declaredTotal?: number;
}
