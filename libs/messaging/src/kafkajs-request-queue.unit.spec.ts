import { kafkajsRequestQueuePatched } from './kafkajs-request-queue';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: Record<string, unknown>) => {
  throttledUntil: number;
  pending: unknown[];
  throttleCheckTimeoutId: unknown;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
};

const queue = () =>
  new RequestQueue({
    instrumentationEmitter: { emit: () => undefined },
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'nowhere:9092',
    logger: { namespace: () => ({ debug: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined }) },
    isConnected: () => true,
  });

describe('the kafkajs request-queue fix', () => {
  test('is applied', () => {
    expect(kafkajsRequestQueuePatched()).toBe(true);
  });

  test('an idle queue schedules no check (no 1 ms timer loop)', () => {
    const idle = queue();
    idle.scheduleCheckPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeFalsy();
    idle.destroy();
  });

  test('a queue with pending requests, or throttled, still schedules its check', () => {
    const busy = queue();
    busy.pending.push({});
    busy.scheduleCheckPendingRequests();
    expect(busy.throttleCheckTimeoutId).toBeTruthy();
    busy.destroy();

    const throttled = queue();
    throttled.throttledUntil = Date.now() + 1_000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).toBeTruthy();
    throttled.destroy();
  });
});
