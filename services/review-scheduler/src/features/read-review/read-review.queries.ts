import { CommandRunner } from '@golden-loop/command-runner';
import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PlanReviewNotFound, ReviewTaskNotFound } from '../../domain/errors';
import { taskOf } from '../../domain/state';
import { REVIEW_STREAM, type ReviewStream } from '../../review-stream';
import { isTracked, planReviewDocument, taskDocument, type PlanReviewDocument, type TaskDocument } from './review-documents';

export class GetPlanReview {
  constructor(readonly planId: string) {}
}

export class GetReviewTask {
  constructor(
    readonly planId: string,
    readonly taskId: string,
  ) {}
}

/** A plan's review read from its stream: always up to date, the same state the commands decide on. */
@Injectable()
export class PlanReviewReader {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(REVIEW_STREAM) private readonly stream: ReviewStream,
  ) {}

  /** The review now (the runner's cached fold). */
  load(planId: string) {
    return this.runner.load(this.stream, planId);
  }

  /** The review with every event of its stream (a task with the plan events behind it). */
  history(planId: string) {
    return this.runner.history(this.stream, planId);
  }
}

@QueryHandler(GetPlanReview)
export class GetPlanReviewHandler implements IQueryHandler<GetPlanReview, PlanReviewDocument> {
  constructor(private readonly reader: PlanReviewReader) {}

  async execute({ planId }: GetPlanReview): Promise<PlanReviewDocument> {
    const { state, version } = await this.reader.load(planId);
    if (!isTracked(state)) throw new PlanReviewNotFound();
    return planReviewDocument(state, version);
  }
}

@QueryHandler(GetReviewTask)
export class GetReviewTaskHandler implements IQueryHandler<GetReviewTask, TaskDocument> {
  constructor(private readonly reader: PlanReviewReader) {}

  async execute({ planId, taskId }: GetReviewTask): Promise<TaskDocument> {
    const { state, version, events } = await this.reader.history(planId);
    const task = taskOf(state, taskId);
    if (!isTracked(state) || !task) throw new ReviewTaskNotFound(taskId);
    return taskDocument(state, task, events, version);
  }
}

export const readReviewQueryHandlers = [PlanReviewReader, GetPlanReviewHandler, GetReviewTaskHandler];
