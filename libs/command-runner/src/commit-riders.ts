import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

/** Writes the items of every rider a transaction carries, in one call (a group commit carries many callers' riders). */
export interface RiderWriter<T> {
  write(manager: EntityManager, items: readonly T[]): Promise<void>;
}

/**
 * A row a caller asks to have written in the transaction of the command it runs, and committed with it: the HTTP
 * request's audit entry, so that the answer waits for one commit and not two (docs/service-kit.md, "Rows that ride
 * with a command"). `committed` turns true once a transaction that wrote it has committed; a caller that finds it
 * false (the command was refused, or ran in a transaction of its caller's) writes the row itself.
 */
export class CommitRider<T> {
  committed = false;

  constructor(
    readonly writer: RiderWriter<T>,
    readonly item: T,
  ) {}
}

const riding = new AsyncLocalStorage<CommitRider<unknown>>();

/** Runs `work` with `rider` as the rider of every command the runner runs in a transaction of its own for it. */
export const withCommitRider = <R>(rider: CommitRider<unknown>, work: () => R): R => riding.run(rider, work);

/** The rider of the calling context, if any (read when a command is handed to the runner). */
export const currentRider = (): CommitRider<unknown> | undefined => riding.getStore();

/** Writes the riders not yet committed (each once), one call per writer; returns those written. */
export const writeRiders = async (manager: EntityManager, riders: readonly (CommitRider<unknown> | undefined)[]): Promise<CommitRider<unknown>[]> => {
  const pending = [...new Set(riders)].filter((rider): rider is CommitRider<unknown> => rider !== undefined && !rider.committed);
  const byWriter = new Map<RiderWriter<unknown>, CommitRider<unknown>[]>();
  for (const rider of pending) byWriter.set(rider.writer, [...(byWriter.get(rider.writer) ?? []), rider]);
  for (const [writer, written] of byWriter) await writer.write(manager, written.map((rider) => rider.item));
  return pending;
};

/** The transaction that wrote them committed. */
export const ridersCommitted = (riders: readonly CommitRider<unknown>[]): void => {
  for (const rider of riders) rider.committed = true;
};
