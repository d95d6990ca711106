import { Access, ProblemDetails, setEtag, type CommandTargetOf } from '@golden-loop/http-api';
import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiProperty,
} from '@nestjs/swagger';
import type { ReviewRunResult } from '../review-stream';

/** The path, headers and error answers every command on a plan's review task shares, for the OpenAPI document. */
export const ReviewTaskCommandHeaders = () =>
  applyDecorators(
    // The plan's clinician, or their supervisor (an escalated safety review is theirs too): docs/security.md.
    Access({ roles: ['clinician', 'supervisor'], plan: 'planId' }),
    ApiParam({ name: 'planId', format: 'uuid' }),
    ApiParam({ name: 'taskId', format: 'uuid' }),
    ApiHeader({ name: 'If-Match', required: false, description: "The plan review's ETag you read; 412 when it moved on" }),
    ApiBadRequestResponse({ type: ProblemDetails, description: 'The request is invalid: problems name the fields' }),
    ApiNotFoundResponse({ type: ProblemDetails, description: 'review_task_not_found: the plan has no such task (here)' }),
    ApiConflictResponse({ type: ProblemDetails, description: 'review_task_not_open, safety_review_needs_risk_assessment or not_a_safety_review' }),
    ApiPreconditionFailedResponse({ type: ProblemDetails, description: 'If-Match names a version the plan review is no longer at' }),
  );

/** What every task command answers: the task, the review stream's version after it (also the ETag), the events. */
export class TaskCommandAccepted {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ type: 'integer', description: "The plan review's version after the command (also the ETag)", example: 5 }) version!: number;
  @ApiProperty({ type: [String], description: 'The events the command recorded, in order', example: ['ReviewTaskCompleted'] }) events!: string[];
}

export const accepted = (target: CommandTargetOf, taskId: string, result: ReviewRunResult): TaskCommandAccepted => {
  setEtag(target.response, result.version);
  return { planId: result.streamId, taskId, version: result.version, events: result.events.map(({ event }) => event.type) };
};
