import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiParam, ApiPreconditionFailedResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemDetails } from '@golden-loop/http-api';

/** The headers, path parameter and error answers every command on an existing plan shares, for the OpenAPI document. */
export const PlanCommandHeaders = () =>
  applyDecorators(
    ApiParam({ name: 'planId', format: 'uuid' }),
    PlanCommandErrors(),
    ApiHeader({ name: 'If-Match', required: false, description: 'The plan ETag you read; 412 when the plan moved on' }),
    ApiPreconditionFailedResponse({ type: ProblemDetails, description: 'If-Match names a version the plan is no longer at (currentVersion says which it is)' }),
    ApiNotFoundResponse({ type: ProblemDetails, description: 'There is no plan with this id, or it has no such item' }),
  );

/** Who acts, and the error answers of every command. */
export const PlanCommandErrors = () =>
  applyDecorators(
    ApiHeader({ name: 'X-User-Id', required: true, description: 'The acting user (UUID), set by the authentication layer' }),
    ApiBadRequestResponse({ type: ProblemDetails, description: 'The request is invalid: problems name the fields' }),
    ApiUnauthorizedResponse({ type: ProblemDetails, description: 'X-User-Id is missing or not a UUID' }),
    ApiConflictResponse({ type: ProblemDetails, description: 'The plan is not in a state that allows this' }),
  );
