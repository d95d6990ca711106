export type { CommandMetadata } from '@golden-loop/decider';
export {
  CommandRunner,
  GROUP_COMMIT,
  type CommandRunnerOptions,
  type LoadedStream,
  type RunEachRequest,
  type RunEachResult,
  type RunRequest,
  type RunResult,
  type SequenceStep,
  type StreamHistory,
} from './command-runner';
export { StreamCache, type CachedFold } from './stream-cache';
export { ConcurrentModification, VersionConflict } from './errors';
export { statelessPublication, type EventStream, type Publication, type StoredEvent } from './event-stream';
export { publicMessage } from './publishing';
