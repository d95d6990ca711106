/** What the runner remembers of a stream: a committed prefix of it, folded. */
export interface CachedFold<State, PublicationState> {
  /** The stream version the fold includes (every event up to it, and only committed ones). */
  readonly version: number;
  readonly state: State;
  readonly publication: PublicationState;
}

/**
 * The folds of the streams commands touched last, at most `capacity` of them (least recently used out first).
 *
 * Why a cache and not snapshots in the store: a stream only grows and its events never change, so any fold of a
 * committed prefix stays true forever; a command reads the events after the cached version (usually none or one)
 * from the database, inside its transaction and under the stream's key lock, and folds them on. So the cache is
 * correct across instances without any invalidation protocol: another instance's writes are simply the tail this
 * instance reads. It costs no write and no schema; a restart or an eviction costs one full read. What it must never
 * hold is an uncommitted event: only the fold read before a command's own writes, or the fold after a commit the
 * runner saw, go in (docs/service-kit.md, "Flat command cost").
 */
export class StreamCache {
  private readonly entries = new Map<string, CachedFold<unknown, unknown>>();
  private hits = 0;
  private misses = 0;

  constructor(readonly capacity: number) {}

  get<State, PublicationState>(key: string): CachedFold<State, PublicationState> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Map keeps insertion order: re-inserting makes the entry the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry as CachedFold<State, PublicationState>;
  }

  /** Keeps the fold unless a fold of a later version is already held. */
  set<State, PublicationState>(key: string, fold: CachedFold<State, PublicationState>): void {
    if (this.capacity <= 0) return;
    const held = this.entries.get(key);
    if (held !== undefined && held.version > fold.version) return;
    this.entries.delete(key);
    this.entries.set(key, fold);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  stats(): { size: number; hits: number; misses: number } {
    return { size: this.entries.size, hits: this.hits, misses: this.misses };
  }
}
