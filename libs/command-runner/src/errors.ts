import { DomainError } from '@golden-loop/decider';

/**
 * The caller named the version it read (If-Match) and the stream is no longer at it: 412 Precondition Failed
 * (RFC 9110 §13.1.1), with the version to reload.
 */
export class VersionConflict extends DomainError {
  readonly code = 'version_conflict';
  readonly kind = 'precondition_failed';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `It changed since you read it (you had version ${expectedVersion}, it is now at ${currentVersion}); reload it and try again.`,
      'If-Match',
    );
  }

  override get extensions(): Readonly<Record<string, unknown>> {
    return { currentVersion: this.currentVersion };
  }
}

/**
 * No version was named, and the command lost the race to other writers on every attempt: the stream is being
 * written faster than this command can read and decide. Rare by construction (commands of one stream queue in
 * the process); 409, to be retried by the client.
 */
export class ConcurrentModification extends DomainError {
  readonly code = 'concurrent_modification';
  readonly kind = 'conflict';

  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`It was changed by others ${attempts} times while this request was decided; try again.`);
  }
}
