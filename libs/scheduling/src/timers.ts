import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from './clock';

export interface Timer<Payload = Record<string, unknown>> {
  /** Chosen by the caller and unique: scheduling the same id again moves (re-arms) that timer instead of adding one. */
  readonly timerId: string;
  /** Which handler fires it. */
  readonly kind: string;
  /** The stream it is about (a plan id). */
  readonly streamId: string;
  readonly dueAt: Date;
  readonly payload?: Payload;
}

export interface DueTimer extends Required<Timer> {
  readonly attempts: number;
}

/** Fires a timer inside its transaction: write through `manager` only; throwing rolls back and retries later. */
export type TimerHandler = (timer: DueTimer, manager: EntityManager, now: Date) => Promise<void>;

/**
 * Fires several due timers of one kind in one transaction (`TimerWorker.handleBatch`). It may leave some of them
 * for later by naming them in `deferred` (they stay due and are claimed again by a later poll); every other one is
 * marked fired with the transaction. Throwing rolls the whole batch back; the worker then fires its timers one per
 * transaction (each failure counted against its own timer alone).
 */
export type TimerBatchHandler = (timers: readonly DueTimer[], manager: EntityManager, now: Date) => Promise<{ readonly deferred?: readonly string[] } | void>;

interface TimerRow {
  readonly timer_id: string;
  readonly kind: string;
  readonly stream_id: string;
  readonly due_at: Date;
  readonly payload: Record<string, unknown>;
  readonly attempts: number;
}

const claimDue = `
  SELECT timer_id, kind, stream_id, due_at, payload, attempts FROM timers
   WHERE fired_at IS NULL AND parked_at IS NULL AND due_at <= $1
   ORDER BY due_at, timer_id
   LIMIT 1
   FOR UPDATE SKIP LOCKED`;

// More due timers of the kind of the one claimed first, for a batch handler.
const claimMoreOfKind = `
  SELECT timer_id, kind, stream_id, due_at, payload, attempts FROM timers
   WHERE fired_at IS NULL AND parked_at IS NULL AND due_at <= $1 AND kind = $2 AND timer_id <> $3
   ORDER BY due_at, timer_id
   LIMIT $4
   FOR UPDATE SKIP LOCKED`;

// One timer again, by id, when a batch it was in failed.
const claimOne = `
  SELECT timer_id, kind, stream_id, due_at, payload, attempts FROM timers
   WHERE timer_id = $1 AND fired_at IS NULL AND parked_at IS NULL AND due_at <= $2
   FOR UPDATE SKIP LOCKED`;

// A handler that re-armed its own timer (a new due time) leaves it pending.
const markFired = `
  UPDATE timers SET fired_at = $2
    FROM unnest($1::text[], $3::timestamptz[]) AS f (timer_id, due_at)
   WHERE timers.timer_id = f.timer_id AND timers.due_at = f.due_at AND timers.fired_at IS NULL`;

const dueTimerOf = (row: TimerRow): DueTimer => ({
  timerId: row.timer_id,
  kind: row.kind,
  streamId: row.stream_id,
  dueAt: row.due_at,
  payload: row.payload,
  attempts: row.attempts,
});

/** Schedules and cancels timers in the caller's transaction, so a timer exists exactly when the decision that set it committed. */
export class Timers {
  async schedule(manager: EntityManager, timers: readonly Timer[]): Promise<void> {
    if (timers.length === 0) return;
    await manager.query(
      `INSERT INTO timers (timer_id, kind, stream_id, due_at, payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[])
       ON CONFLICT (timer_id) DO UPDATE
         SET kind = excluded.kind, stream_id = excluded.stream_id, due_at = excluded.due_at, payload = excluded.payload,
             fired_at = NULL, attempts = 0, last_error = NULL, parked_at = NULL`,
      [
        timers.map((t) => t.timerId),
        timers.map((t) => t.kind),
        timers.map((t) => t.streamId),
        timers.map((t) => t.dueAt.toISOString()),
        timers.map((t) => JSON.stringify(t.payload ?? {})),
      ],
    );
  }

  /** Cancels timers that have not fired. */
  async cancel(manager: EntityManager, timerIds: readonly string[]): Promise<void> {
    if (timerIds.length === 0) return;
    await manager.query(`DELETE FROM timers WHERE timer_id = ANY($1::text[]) AND fired_at IS NULL`, [timerIds]);
  }

  /** The pending timers of a stream (read models, tests). */
  async pending(manager: EntityManager | DataSource, streamId: string): Promise<Timer[]> {
    const rows = await manager.query<TimerRow[]>(
      `SELECT timer_id, kind, stream_id, due_at, payload, attempts FROM timers WHERE stream_id = $1 AND fired_at IS NULL ORDER BY due_at, timer_id`,
      [streamId],
    );
    return rows.map((row) => ({ timerId: row.timer_id, kind: row.kind, streamId: row.stream_id, dueAt: row.due_at, payload: row.payload }));
  }
}

export interface TimerWorkerOptions {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  /** Pause between polls when nothing is due (default 250 ms). */
  readonly pollIntervalMs?: number;
  /** Failed attempts before a timer is parked and reported instead of retried (default 10). */
  readonly maxAttempts?: number;
  readonly logger?: Logger;
}

export interface TimerWorkerStatus {
  readonly running: boolean;
  readonly fired: number;
  readonly failures: number;
  readonly lastError: string | null;
}

/**
 * Fires due timers, one per transaction: claim (FOR UPDATE SKIP LOCKED), run its kind's handler, mark it fired,
 * commit. Several instances share the table without firing a timer twice; a crash before the commit leaves the
 * timer due, so it fires after the restart. Due means `due_at <= clock.now()`: a test that moves the clock fires
 * what became due at the next poll (or at once with `runDue()`).
 */
export class TimerWorker {
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly batchHandlers = new Map<string, { readonly handler: TimerBatchHandler; readonly size: number }>();
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly logger: Logger;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private fired = 0;
  private failures = 0;
  private lastError: string | null = null;

  constructor(private readonly options: TimerWorkerOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.logger = options.logger ?? new Logger(TimerWorker.name);
  }

  /** The handler of a kind of timer; register before `start()`. */
  handle(kind: string, handler: TimerHandler): void {
    if (this.handlers.has(kind) || this.batchHandlers.has(kind)) throw new Error(`timers of kind ${kind} already have a handler`);
    this.handlers.set(kind, handler);
  }

  /**
   * The handler of a kind of timer that many may fall due at once (a re-check of every plan a change concerns): up
   * to `size` due timers of the kind are claimed together and fired in one transaction, so their writes share one
   * commit. Register before `start()`.
   */
  handleBatch(kind: string, handler: TimerBatchHandler, options: { readonly size: number }): void {
    if (this.handlers.has(kind) || this.batchHandlers.has(kind)) throw new Error(`timers of kind ${kind} already have a handler`);
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`the batch size of timers of kind ${kind} must be a positive integer`);
    this.batchHandlers.set(kind, { handler, size: options.size });
  }

  start(): void {
    if (this.loop || this.handlers.size + this.batchHandlers.size === 0) return;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  status(): TimerWorkerStatus {
    return { running: this.loop !== undefined, fired: this.fired, failures: this.failures, lastError: this.lastError };
  }

  /** Timers due now and not fired, and timers parked after failing too often (metrics, readiness). */
  async backlog(): Promise<{ due: number; parked: number }> {
    const [row] = await this.options.dataSource.query<{ due: number; parked: number }[]>(
      `SELECT count(*) FILTER (WHERE parked_at IS NULL AND due_at <= $1)::int AS due, count(*) FILTER (WHERE parked_at IS NOT NULL)::int AS parked
         FROM timers WHERE fired_at IS NULL`,
      [this.options.clock.now().toISOString()],
    );
    return { due: row?.due ?? 0, parked: row?.parked ?? 0 };
  }

  /**
   * Fires every timer due now, then returns how many fired (tests, scripts). A timer another poller has claimed and not
   * yet committed (this process's own polling loop included) is skipped, not waited for: use `runUntilNoneDue()` when
   * nothing due may still be firing afterwards.
   */
  async runDue(): Promise<number> {
    let count = 0;
    while (await this.fireOne()) count += 1;
    return count;
  }

  /**
   * Fires due timers until none is due and unfired, waiting for those another poller holds (or a batch handler
   * deferred) to commit, so that when it returns no timer due now is still at work (tests that compare what is
   * stored before and after a request). Returns how many this call fired; throws after `timeoutMs`.
   */
  async runUntilNoneDue({ timeoutMs = 10_000 }: { readonly timeoutMs?: number } = {}): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let count = 0;
    for (;;) {
      count += await this.runDue();
      if ((await this.backlog()).due === 0) return count;
      if (Date.now() > deadline) throw new Error(`timers were still due after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let fired = false;
      try {
        fired = await this.fireOne();
      } catch (error) {
        this.logger.error(`timer poll failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!fired && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timeout = setTimeout(resolve, this.pollIntervalMs);
          this.wake = () => {
            clearTimeout(timeout);
            resolve();
          };
        });
      }
    }
  }

  /**
   * One due timer in one transaction, or a batch of due timers of its kind when the kind has a batch handler; false
   * when none was due, or when a batch handler deferred every timer it was given (the loop then waits a poll).
   */
  private async fireOne(): Promise<boolean> {
    const now = this.options.clock.now();
    let claimed: DueTimer[] = [];
    try {
      return await this.options.dataSource.transaction(async (manager) => {
        const [row] = await manager.query<TimerRow[]>(claimDue, [now.toISOString()]);
        if (!row) return false;
        claimed = [dueTimerOf(row)];
        const batch = this.batchHandlers.get(row.kind);
        if (batch) {
          if (batch.size > 1) {
            const more = await manager.query<TimerRow[]>(claimMoreOfKind, [now.toISOString(), row.kind, row.timer_id, batch.size - 1]);
            claimed = [...claimed, ...more.map(dueTimerOf)];
          }
          return this.fireBatch(batch.handler, claimed, manager, now);
        }
        const handler = this.handlers.get(row.kind);
        if (!handler) throw new Error(`no handler for timers of kind ${row.kind}`);
        await handler(claimed[0], manager, now);
        await manager.query(markFired, [[row.timer_id], now.toISOString(), [row.due_at.toISOString()]]);
        this.fired += 1;
        return true;
      });
    } catch (error) {
      if (claimed.length === 0) throw error;
      if (claimed.length === 1) {
        await this.recordFailure(claimed[0], error, now);
        return true;
      }
      // One bad timer must not hold back the others or count against them: fire the batch's timers one by one.
      this.logger.warn(`a batch of ${claimed.length} ${claimed[0].kind} timers failed, firing them one by one: ${error instanceof Error ? error.message : String(error)}`);
      for (const timer of claimed) await this.fireAlone(timer, now);
      return true;
    }
  }

  private async fireBatch(handler: TimerBatchHandler, claimed: readonly DueTimer[], manager: EntityManager, now: Date): Promise<boolean> {
    const outcome = await handler(claimed, manager, now);
    const deferred = new Set(outcome?.deferred ?? []);
    const fired = claimed.filter((timer) => !deferred.has(timer.timerId));
    if (fired.length > 0) {
      await manager.query(markFired, [fired.map((t) => t.timerId), now.toISOString(), fired.map((t) => t.dueAt.toISOString())]);
    }
    this.fired += fired.length;
    return fired.length > 0;
  }

  /** A timer of a failed batch, in a transaction of its own (if it is still due and no other instance has it). */
  private async fireAlone(timer: DueTimer, now: Date): Promise<void> {
    const batch = this.batchHandlers.get(timer.kind);
    if (!batch) return;
    let claimed: DueTimer | undefined;
    try {
      await this.options.dataSource.transaction(async (manager) => {
        const [row] = await manager.query<TimerRow[]>(claimOne, [timer.timerId, now.toISOString()]);
        if (!row) return;
        claimed = dueTimerOf(row);
        await this.fireBatch(batch.handler, [claimed], manager, now);
      });
    } catch (error) {
      if (claimed) await this.recordFailure(claimed, error, now);
    }
  }

  private async recordFailure(timer: DueTimer, error: unknown, now: Date): Promise<void> {
    this.failures += 1;
    this.lastError = error instanceof Error ? error.message : String(error);
    const attempts = timer.attempts + 1;
    const parked = attempts >= this.maxAttempts;
    const retryAt = new Date(now.getTime() + Math.min(60_000, 500 * 2 ** (attempts - 1)));
    this.logger.error(`timer ${timer.timerId} (${timer.kind}) failed, attempt ${attempts}${parked ? ', parked' : ''}: ${this.lastError}`);
    await this.options.dataSource.query(
      `UPDATE timers SET attempts = $2, last_error = $3, due_at = CASE WHEN $4 THEN due_at ELSE $5::timestamptz END,
              parked_at = CASE WHEN $4 THEN now() ELSE NULL END
        WHERE timer_id = $1 AND fired_at IS NULL`,
      [timer.timerId, attempts, this.lastError.slice(0, 2000), parked, retryAt.toISOString()],
    );
  }
}
