/**
 * Puts numbered messages (a room's seqs, an inbox's seqs) in order: each seq is let through once, in order. A seq
 * at or below the last one let through is a duplicate and dropped; a seq ahead of a gap is held until the gap is
 * filled (by a live message or by recovery) or given up with {@link skipTo}.
 */
export class SeqOrder<T extends { seq: number }> {
  private readonly held = new Map<number, T>();
  private readonly counters: { duplicates: number };
  private lastSeq: number;

  /** `counters.duplicates` counts the duplicates dropped (shared by the orders of one client). */
  constructor(last: number, counters: { duplicates: number } = { duplicates: 0 }) {
    this.lastSeq = last;
    this.counters = counters;
  }

  /** The last seq let through. */
  get last(): number {
    return this.lastSeq;
  }

  /** Whether messages wait behind a missing seq. */
  get hasGap(): boolean {
    return this.held.size > 0;
  }

  /** The messages that may now be delivered, in order (none for a duplicate or a message ahead of a gap). */
  accept(message: T): T[] {
    if (message.seq <= this.lastSeq || this.held.has(message.seq)) {
      this.counters.duplicates++;
      return [];
    }
    this.held.set(message.seq, message);
    return this.flush();
  }

  /** Gives up on every seq up to `seq` (they cannot be recovered) and returns what was held after them. */
  skipTo(seq: number): T[] {
    if (seq > this.lastSeq) {
      this.lastSeq = seq;
      for (const key of [...this.held.keys()]) {
        if (key <= seq) {
          this.held.delete(key);
        }
      }
    }
    return this.flush();
  }

  private flush(): T[] {
    const ready: T[] = [];
    let next = this.held.get(this.lastSeq + 1);
    while (next) {
      this.held.delete(next.seq);
      this.lastSeq = next.seq;
      ready.push(next);
      next = this.held.get(this.lastSeq + 1);
    }
    return ready;
  }
}
