import { INSTRUMENTS } from '@golden-loop/contracts';
import { IsDateTime } from '@golden-loop/http-api';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import { DATE_LIMITS } from '../../domain/plan-limits';

export class RecordAssessmentRequest {
  @ApiProperty({ enum: Object.keys(INSTRUMENTS) }) @IsString() instrument!: string;
  // Only the shape here: whether each response is a whole number in range is the instrument's rule, checked by
  // libs/clinical and answered as assessment_invalid with the item at fault (one code per fact).
  @ApiProperty({ type: [Number], example: [1, 1, 1, 1, 1, 1, 1, 1, 0], description: 'Item responses in order, each a whole number 0–3' })
  @IsArray()
  items!: number[];
  @ApiPropertyOptional({ description: 'The total as scored on paper; refused when it disagrees with the items' })
  @IsOptional()
  @IsInt()
  declaredTotal?: number;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-03-02T09:30:00-05:00',
    description: `When the client completed it; now when absent. Not in the future (${DATE_LIMITS.clockSkewMinutes} minutes allowed for clock differences), not before the plan opened. Scores are compared in this order`,
  })
  @IsOptional()
  @IsDateTime()
  administeredAt?: string;
}
