/**
 * kafkajs 2.2.4 (unmaintained) re-schedules its pending-request check after every response even when nothing is
 * pending and no throttle is in force: `throttledUntil` is -1, so the delay is negative, Node runs it after 1 ms,
 * and each connection spins a 1 ms timer loop for as long as it lives (tulios/kafkajs#1704; on Node 24 it also
 * prints TimeoutNegativeWarning, #1751). Measured here: an idle plan service used 10 % of a core, 6 % with this.
 *
 * The fix proposed upstream (#1768, with the review comment that skips the useless loop): when nothing is pending
 * and the client is not throttled, schedule nothing — a new request is sent at once by `push()`, or enqueued and
 * scheduled there. Applied once, when this library is loaded; `kafkajsRequestQueuePatched()` says whether it took.
 */
interface RequestQueueLike {
  throttleCheckTimeoutId: unknown;
  throttledUntil: number;
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}

const PATCHED = Symbol.for('golden-loop/kafkajs-request-queue-patched');

const patch = (): boolean => {
  // The module is internal to kafkajs (no types, no export map), hence the require of its path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueLike & { [PATCHED]?: true } };
  const prototype = RequestQueue.prototype;
  if (prototype[PATCHED]) return true;
  const original = Object.getOwnPropertyDescriptor(prototype, 'scheduleCheckPendingRequests')?.value as ((this: RequestQueueLike) => void) | undefined;
  if (typeof original !== 'function') return false;
  prototype.scheduleCheckPendingRequests = function (this: RequestQueueLike) {
    if (!this.throttleCheckTimeoutId && this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    original.call(this);
  };
  prototype[PATCHED] = true;
  return true;
};

const patched = patch();

export const kafkajsRequestQueuePatched = (): boolean => patched;
