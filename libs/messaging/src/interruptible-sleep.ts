/**
 * A sleep that `cancel()` cuts short, so loops that poll every 50 ms or back off for seconds stop at once.
 * After `cancel()` every further sleep returns immediately until `reset()`.
 */
export class InterruptibleSleep {
  private cancelled = false;
  private readonly pending = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    if (this.cancelled) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
    });
  }

  cancel(): void {
    this.cancelled = true;
    for (const done of [...this.pending]) done();
  }

  reset(): void {
    this.cancelled = false;
  }
}

/** Exponential back-off: base, 2×base, 4×base, ... capped. `attempt` starts at 1. */
export const backOffDelay = (attempt: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
