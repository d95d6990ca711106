import { Access, ProblemDetails, setEtag, UuidParam } from '@golden-loop/http-api';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { GetPlanReview, GetReviewTask } from './read-review.queries';
import { PlanReviewDocument, TaskDocument } from './review-documents';

@ApiTags('review tasks')
@ApiParam({ name: 'planId', format: 'uuid' })
@ApiBadRequestResponse({ type: ProblemDetails })
@Access({ roles: ['clinician', 'supervisor'], plan: 'planId' })
@Controller('plans/:planId')
export class ReadReviewController {
  constructor(private readonly queries: QueryBus) {}

  @Get('review')
  @ApiOperation({ summary: "The plan's review: its tasks and its next periodic review; ETag is its version" })
  @ApiOkResponse({ type: PlanReviewDocument })
  @ApiNotFoundResponse({ type: ProblemDetails, description: 'plan_review_not_found' })
  async review(@Param('planId', UuidParam('planId')) planId: string, @Res({ passthrough: true }) response: Response): Promise<PlanReviewDocument> {
    const document = await this.queries.execute<GetPlanReview, PlanReviewDocument>(new GetPlanReview(planId));
    setEtag(response, document.version);
    return document;
  }

  @Get('review-tasks/:taskId')
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiOperation({ summary: 'One task with its reasons, the plan events behind them and what happened to it' })
  @ApiOkResponse({ type: TaskDocument })
  @ApiNotFoundResponse({ type: ProblemDetails, description: 'review_task_not_found' })
  async task(
    @Param('planId', UuidParam('planId')) planId: string,
    @Param('taskId', UuidParam('taskId')) taskId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskDocument> {
    const document = await this.queries.execute<GetReviewTask, TaskDocument>(new GetReviewTask(planId, taskId));
    setEtag(response, document.version);
    return document;
  }
}
