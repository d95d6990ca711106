/**
 * Group commit: work that commits in transactions, at most `concurrency` of them open at once. What arrives while
 * they are open waits, and the next transaction takes what waits, in arrival order, up to `limit` by `sizeOf` (one
 * each unless given; the first item always goes, whatever its size). Alone, an item starts at once. Serves the HTTP
 * commands of CommandRunner and the consumed chunks of IdempotentConsumer (docs/loop-performance.md, "Group commit"
 * and "Chunks of several partitions in one transaction").
 */
export class TransactionGroups<T> {
  private open = 0;
  private readonly waiting: T[] = [];

  constructor(
    private readonly options: {
      readonly concurrency: number;
      readonly limit: number;
      readonly sizeOf?: (item: T) => number;
      /** Commits a group and answers each of its items itself; it must not reject. */
      readonly commit: (group: readonly T[]) => Promise<void>;
    },
  ) {}

  add(item: T): void {
    this.waiting.push(item);
    this.openWhileFree();
  }

  private openWhileFree(): void {
    const sizeOf = this.options.sizeOf ?? (() => 1);
    while (this.open < this.options.concurrency && this.waiting.length > 0) {
      const group = [this.waiting.shift()!];
      let size = sizeOf(group[0]);
      while (this.waiting.length > 0 && size + sizeOf(this.waiting[0]) <= this.options.limit) {
        size += sizeOf(this.waiting[0]);
        group.push(this.waiting.shift()!);
      }
      this.open += 1;
      void this.options.commit(group).finally(() => {
        this.open -= 1;
        this.openWhileFree();
      });
    }
  }
}
