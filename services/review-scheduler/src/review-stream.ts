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

/** One command of a sequence on a plan's review, with what caused it (a consumed plan event). */
export interface ReviewStep {
  readonly command: ReviewCommandInput<ReviewCommandType>;
  readonly metadata: Omit<RequestMetadata, 'now'>;
}

/**
 * How every review decision is taken: the time from the injected clock, the shared runner with the review stream,
 * and the durable timers the new events need, all in one transaction — the caller's, or its own.
 */
@Injectable()
export class ReviewDecisions {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(REVIEW_STREAM) private readonly stream: ReviewStream,
    @Inject(REVIEW_POLICY) private readonly policy: ReviewPolicy,
    private readonly timers: Timers,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** One command (HTTP, a timer, a message applied on its own). */
  run(planId: string, step: ReviewStep, options: { manager?: EntityManager; expectedVersion?: number } = {}): Promise<ReviewRunResult> {
    const now = this.clock.now().toISOString();
    return this.inTransaction(options.manager, async (manager) =>
      this.withTimers(
        manager,
        await this.runner.run(this.stream, {
          streamId: planId,
          command: this.domainCommand(step, now),
          metadata: { ...step.metadata, now },
          expectedVersion: options.expectedVersion,
          manager,
        }),
      ),
    );
  }

  /**
   * A consumer's chunk: several plans' commands in the chunk's transaction, with one statement per step for all of
   * them (key locks, the tails, one append, one outbox insert, one timer upsert and one cancel); each plan's commands
   * in their order, each on the state the previous left (docs/review-scheduling.md, "Throughput").
   */
  async runEach(stepsByPlan: ReadonlyMap<string, readonly ReviewStep[]>, manager: EntityManager): Promise<readonly ReviewRunResult[]> {
    const now = this.clock.now().toISOString();
    const { results } = await this.runner.runEach(this.stream, {
      streamIds: [...stepsByPlan.keys()],
      manager,
      commandsFor: (loaded) =>
        Promise.resolve(loaded.map(({ streamId }) => stepsByPlan.get(streamId)!.map((step) => ({ command: this.domainCommand(step, now), metadata: { ...step.metadata, now } })))),
    });
    await this.writeTimers(manager, results);
    return results;
  }

  private domainCommand(step: ReviewStep, now: string): ReviewCommand {
    const { userId } = step.metadata;
    return { ...step.command, metadata: userId === undefined ? { now } : { now, userId } };
  }

  private inTransaction<T>(manager: EntityManager | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  private async withTimers(manager: EntityManager, result: ReviewRunResult): Promise<ReviewRunResult> {
    await this.writeTimers(manager, [result]);
    return result;
  }

  /** The timers the new events of every result set and clear, in one upsert and one cancel. */
  private async writeTimers(manager: EntityManager, results: readonly ReviewRunResult[]): Promise<void> {
    const changes = results.filter((result) => result.events.length > 0).map((result) => timerChangesOf(result.events, result.state, this.policy));
    if (changes.length === 0) return;
    await this.timers.schedule(manager, changes.flatMap((change) => change.schedule));
    await this.timers.cancel(manager, changes.flatMap((change) => change.cancel));
  }
}

/** The one body of every single-command review handler (ICommandHandler). */
@Injectable()
export abstract class ReviewUseCaseHandler<C extends ReviewUseCaseShape> {
  constructor(private readonly decisions: ReviewDecisions) {}

  execute({ planId, command, metadata, manager, expectedVersion }: C): Promise<ReviewRunResult> {
    return this.decisions.run(planId, { command, metadata }, { manager, expectedVersion });
  }
}
