import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblemDto {
  @ApiProperty({ example: 'items' }) field!: string;
  @ApiProperty({ example: 'a PHQ-9 has exactly 9 item responses' }) reason!: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The type URI of a code: one problem type per code (docs/errors.md lists them). */
export const problemTypeOf = (code: string): string => `urn:goldenloop:problem:${code}`;

/** `version_conflict` → `Version conflict`: the same title for every occurrence of a type, as RFC 9457 asks. */
export const problemTitleOf = (code: string): string => {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * RFC 9457 problem details, the one error body of every Golden Loop API (`application/problem+json`), with our
 * extension members: `code` (what clients switch on; `type` carries the same code as a URI), the fields at fault,
 * and facts such as `currentVersion`.
 */
export class ProblemDetails {
  @ApiProperty({ example: 'urn:goldenloop:problem:validation_failed' }) type!: string;
  @ApiProperty({ example: 'Validation failed' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'The request has invalid fields.' }) detail!: string;
  @ApiProperty({ example: 'validation_failed', description: 'Stable and machine-readable: one code per fact' }) code!: string;
  @ApiProperty({ type: [FieldProblemDto] }) problems!: FieldProblemDto[];
  @ApiPropertyOptional({ example: 7, description: 'On 412: the version the resource has now (its ETag)' }) currentVersion?: number;
  [extension: string]: unknown;
}
