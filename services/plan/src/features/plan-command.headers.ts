import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiParam, ApiPreconditionFailedResponse } from '@nestjs/swagger';
import { Access, ProblemDetails } from '@golden-loop/http-api';

/**
 * What every command on an existing plan shares: the plan's own clinician acts (docs/security.md; another
 * clinician's plan answers 404), its path parameter and error answers, for the OpenAPI document.
 */
export const PlanCommandHeaders = () =>
  applyDecorators(
    Access({ roles: ['clinician'], plan: 'planId' }),
    ApiParam({ name: 'planId', format: 'uuid' }),
    PlanCommandErrors(),
    ApiHeader({ name: 'If-Match', required: false, description: 'The plan ETag you read; 412 when the plan moved on' }),
    ApiPreconditionFailedResponse({ type: ProblemDetails, description: 'If-Match names a version the plan is no longer at (currentVersion says which it is)' }),
    ApiNotFoundResponse({ type: ProblemDetails, description: 'There is no plan with this id in your caseload, or it has no such item' }),
  );

/** The error answers of every command. */
export const PlanCommandErrors = () =>
  applyDecorators(
    ApiBadRequestResponse({ type: ProblemDetails, description: 'The request is invalid: problems name the fields' }),
    ApiConflictResponse({ type: ProblemDetails, description: 'The plan is not in a state that allows this' }),
  );
