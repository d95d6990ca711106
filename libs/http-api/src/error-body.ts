import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblem {
  @ApiProperty({ example: 'items' }) field!: string;
  @ApiProperty({ example: 'a PHQ-9 has exactly 9 item responses' }) reason!: string;
}

/** The one error body every Golden Loop API returns, whatever went wrong. */
export class ErrorBody {
  @ApiProperty({ example: 400 }) status!: number;
  /** Stable, machine-readable: clients switch on it, the message may be reworded. */
  @ApiProperty({ example: 'validation_failed' }) code!: string;
  @ApiProperty({ example: 'The request has invalid fields.' }) message!: string;
  @ApiProperty({ type: [FieldProblem] }) problems!: FieldProblem[];
  /** On a concurrency conflict (409): the version the resource has now. */
  @ApiPropertyOptional({ example: 7 }) currentVersion?: number;
}

/** What a service's own errors become; the service decides, in one mapping function, which of its errors mean what. */
export interface ExplainedError {
  status: 400 | 401 | 403 | 404 | 409 | 422;
  code: string;
  message: string;
  problems?: FieldProblem[];
  currentVersion?: number;
}

export type ErrorExplainer = (error: unknown) => ExplainedError | undefined;
