import { CommandRunner, type EventStream, type RunResult } from '@golden-loop/command-runner';
import type { CommandMetadata as RequestMetadata } from '@golden-loop/decider';
import { CLOCK, Timers, type Clock } from '@golden-loop/scheduling';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ReviewCommand, ReviewCommandType } from './domain/commands';
import type { ReviewEvent } from './domain/events';
import { planReviewDecider } from './domain/plan-review';
import type { ReviewPolicy } from './domain/review-policy';
import type { PlanReview } from './domain/state';
import { reviewPublication } from './outbound/review-publication';
import { timerChangesOf } from './review-timers';

export const REVIEW_STREAM_TYPE = 'PlanReview';

/** One plan's review stream (stream id = plan id): its decider with the network's policy, and its publication. */
export type ReviewStream = EventStream<PlanReview, ReviewCommand, ReviewEvent, PlanReview>;
export const REVIEW_STREAM = Symbol('REVIEW_STREAM');
export const REVIEW_POLICY = Symbol('REVIEW_POLICY');

export const reviewStream = (topic: string, policy: ReviewPolicy): ReviewStream => ({
  streamType: REVIEW_STREAM_TYPE,
  decider: planReviewDecider(policy),
  publication: reviewPublication(topic),
});

export type ReviewRunResult = RunResult<PlanReview, ReviewEvent>;

/** A domain command as a use case states it: its type and data; the handler adds the time and who acts. */
export type ReviewCommandInput<T extends ReviewCommandType> = T extends ReviewCommandType
  ? Pick<Extract<ReviewCommand, { type: T }>, 'type' | 'data'>
  : never;

/**
 * Every review use case's command: the plan it is for, the request's or message's metadata, the domain command,
 * and the transaction to join (a consumer's inbox transaction, a timer's firing) when there is one.
 */
export abstract class ReviewUseCase<T extends ReviewCommandType> {
  constructor(
    readonly planId: string,
    readonly command: ReviewCommandInput<T>,
    readonly metadata: Omit<RequestMetadata, 'now'>,
    readonly manager?: EntityManager,
    readonly expectedVersion?: number,
  ) {}
}

interface ReviewUseCaseShape {
  readonly planId: string;
  readonly command: ReviewCommandInput<ReviewCommandType>;
  readonly metadata: Omit<RequestMetadata, 'now'>;
  readonly manager?: EntityManager;
  readonly expectedVersion?: number;
}

/**
 * The one body of every review command handler (ICommandHandler): the time from the injected clock, the shared
 * runner with the review stream, and the durable timers the new events need, all in one transaction — the
 * caller's, or its own.
 */
@Injectable()
export abstract class ReviewUseCaseHandler<C extends ReviewUseCaseShape> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(REVIEW_STREAM) private readonly stream: ReviewStream,
    @Inject(REVIEW_POLICY) private readonly policy: ReviewPolicy,
    private readonly timers: Timers,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  execute({ planId, command, metadata, manager, expectedVersion }: C): Promise<ReviewRunResult> {
    const now = this.clock.now().toISOString();
    const decide = async (transaction: EntityManager): Promise<ReviewRunResult> => {
      const result = await this.runner.run(this.stream, {
        streamId: planId,
        command: { ...command, metadata: metadata.userId === undefined ? { now } : { now, userId: metadata.userId } },
        metadata: { ...metadata, now },
        expectedVersion,
        manager: transaction,
      });
      if (result.events.length > 0) {
        const changes = timerChangesOf(result.events, result.state, this.policy);
        await this.timers.schedule(transaction, changes.schedule);
        await this.timers.cancel(transaction, changes.cancel);
      }
      return result;
    };
    return manager ? decide(manager) : this.dataSource.transaction(decide);
  }
}
