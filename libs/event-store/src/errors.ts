import type { Checkpoint, ExpectedVersion } from './event-store.types';

export type EventStoreErrorCode =
  | 'stream_version_conflict'
  | 'duplicate_event'
  | 'invalid_append'
  | 'invalid_upcaster'
  | 'position_overflow'
  | 'subscription_drain_timeout';

export abstract class EventStoreError extends Error {
  abstract readonly code: EventStoreErrorCode;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

const describe = (version: ExpectedVersion | number | null): string =>
  version === null ? 'no stream' : typeof version === 'number' ? `version ${version}` : version;

/** The stream moved on (or does not exist) since the caller read it: reload, decide again, retry. */
export class ConcurrencyError extends EventStoreError {
  readonly code = 'stream_version_conflict';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    /** The version read just after the conflict; null when the stream does not exist. */
    readonly actualVersion: number | null,
  ) {
    super(`Stream "${streamId}" was expected at ${describe(expectedVersion)} but is at ${describe(actualVersion)}`);
  }
}

/** An event id is already stored: the same event was appended before (a retried command). */
export class DuplicateEventError extends EventStoreError {
  readonly code = 'duplicate_event';

  constructor(
    readonly streamId: string,
    readonly eventId: string | undefined,
  ) {
    super(`Event ${eventId ?? '(id not reported)'} is already stored; stream "${streamId}" was not changed`);
  }
}

export class InvalidAppendError extends EventStoreError {
  readonly code = 'invalid_append';

  constructor(
    readonly streamId: string,
    reason: string,
  ) {
    super(`Cannot append to stream "${streamId}": ${reason}`);
  }
}

export class InvalidUpcasterError extends EventStoreError {
  readonly code = 'invalid_upcaster';

  constructor(
    readonly eventType: string,
    readonly fromSchemaVersion: number,
    returnedSchemaVersion: unknown,
  ) {
    super(
      `The upcaster of ${eventType} v${fromSchemaVersion} returned schema version ${String(returnedSchemaVersion)}; it must return a higher integer`,
    );
  }
}

export class PositionOverflowError extends EventStoreError {
  readonly code = 'position_overflow';

  constructor(readonly value: string) {
    super(`Position ${value} is beyond Number.MAX_SAFE_INTEGER and cannot be returned exactly`);
  }
}

/**
 * `drain()` did not reach the events committed before it was called: a transaction left open somewhere on the
 * server holds the watermark back (see `idle_in_transaction_session_timeout`), or the handler is too slow.
 */
export class SubscriptionDrainTimeout extends EventStoreError {
  readonly code = 'subscription_drain_timeout';

  constructor(
    readonly subscriptionId: string,
    readonly target: Checkpoint,
    readonly reached: Checkpoint | null,
  ) {
    super(
      `Subscription ${subscriptionId} did not reach ${target.transactionId}/${target.globalPosition} in time ` +
        `(at ${reached ? `${reached.transactionId}/${reached.globalPosition}` : 'the start'}); a transaction left open holds the watermark back`,
    );
  }
}
