import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SubscriptionDrainTimeout } from './errors';
import type {
  Checkpoint,
  SubscribeOptions,
  SubscriptionHandle,
  SubscriptionHandler,
  SubscriptionLag,
} from './event-store.types';

/** The store's side of a subscription: one transactional batch, the reset, the lag. */
export interface SubscriptionBatches {
  /** Returns the number of events handled; 0 when caught up or when another instance holds the subscription. */
  process(subscriptionId: string, handler: SubscriptionHandler, batchSize: number, waitForLock: boolean): Promise<number>;
  rebuild(subscriptionId: string, reset: (manager: EntityManager) => Promise<void>): Promise<void>;
  lag(subscriptionId: string): Promise<SubscriptionLag>;
}

const maxBackoffMs = 30_000;

/** Orders checkpoints as the store reads events: by transaction id, then global position. */
export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const byTransaction = BigInt(a.transactionId) - BigInt(b.transactionId);
  if (byTransaction !== 0n) return byTransaction > 0n ? 1 : -1;
  return Math.sign(a.globalPosition - b.globalPosition);
};
const logger = new Logger('EventStoreSubscription');

export class PollingSubscription implements SubscriptionHandle {
  readonly subscriptionId: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private polls = false;
  private polling: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  // Batches of one handle never overlap (drain() while polling): each waits for the previous one.
  private lastBatch: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly batches: SubscriptionBatches,
    private readonly options: SubscribeOptions,
    private readonly onStopped: () => void,
  ) {
    this.subscriptionId = options.subscriptionId;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
    }
  }

  get running(): boolean {
    return this.polls;
  }

  start(): void {
    if (this.polls) return;
    this.polls = true;
    this.polling = this.poll();
  }

  async stop(): Promise<void> {
    this.polls = false;
    this.wakeUp?.();
    await this.polling;
    this.onStopped();
  }

  async drain(options: { timeoutMs?: number } = {}): Promise<number> {
    // The head committed before this call is the target. Nothing below the watermark is not the same as
    // caught up: a transaction open anywhere on the server holds the watermark back (docs/event-store.md §2),
    // and an event committed before this call may sit above it for a while. Wait for it, bounded.
    const target = (await this.lag()).head;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    let total = 0;
    for (;;) {
      const handled = await this.nextBatch(true);
      total += handled;
      if (handled > 0) continue;
      const { checkpoint } = await this.lag();
      if (target === null || (checkpoint !== null && compareCheckpoints(checkpoint, target) >= 0)) return total;
      if (Date.now() > deadline) throw new SubscriptionDrainTimeout(this.subscriptionId, target, checkpoint);
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollIntervalMs, 50)));
    }
  }

  async rebuild(): Promise<void> {
    await this.batches.rebuild(this.subscriptionId, this.options.onReset ?? (() => Promise.resolve()));
  }

  lag(): Promise<SubscriptionLag> {
    return this.batches.lag(this.subscriptionId);
  }

  private nextBatch(waitForLock: boolean): Promise<number> {
    const batch = this.lastBatch.then(() =>
      this.batches.process(this.subscriptionId, this.options.handler, this.batchSize, waitForLock),
    );
    this.lastBatch = batch.catch(() => undefined);
    return batch;
  }

  private async poll(): Promise<void> {
    let failures = 0;
    while (this.polls) {
      let pause = 0;
      try {
        // A full batch means more may be waiting: go again at once.
        if ((await this.nextBatch(false)) < this.batchSize) pause = this.pollIntervalMs;
        failures = 0;
      } catch (error) {
        failures += 1;
        this.report(error);
        pause = Math.min(this.pollIntervalMs * 2 ** Math.min(failures, 16), maxBackoffMs);
      }
      if (pause > 0 && this.polls) await this.sleep(pause);
    }
  }

  private report(error: unknown): void {
    if (this.options.onError) {
      this.options.onError(error, this.subscriptionId);
      return;
    }
    logger.error(
      `Subscription ${this.subscriptionId}: batch failed and will be retried`,
      error instanceof Error ? error.stack : String(error),
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }
}
