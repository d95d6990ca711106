import { join, relative } from 'node:path';
import { forkTs, type TsChild } from '@golden-loop/messaging/src/test-support/child-process';

/** The review scheduler as a child process (review.process.ts) with the given environment; resolves once it consumes. */
export const startReviewProcess = async (env: Readonly<Record<string, string>>): Promise<TsChild> => {
  // forkTs runs scripts named relative to its own folder.
  const base = join(__dirname, '..', '..', '..', '..', 'libs', 'messaging', 'src', 'test-support');
  const child = forkTs(relative(base, join(__dirname, 'review.process.ts')), { ...env });
  await child.next('ready', 180_000);
  return child;
};
