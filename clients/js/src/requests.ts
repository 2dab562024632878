import type { RealtimeError } from './errors.js';
import { byteLength } from './wire.js';

/** What a request is: a message send (ack by id), a request of the page (re-sent after reconnects), or the client's own (not re-sent). */
export type RequestKind = 'send' | 'request' | 'internal';

/** One frame that waits for its answer. */
export interface Pending {
  readonly id: string;
  readonly kind: RequestKind;
  /** The frame as sent. */
  readonly text: string;
  /** How an answer without `id` is recognised (`joined:<room>`, `history:<room>`, `inbox`, ...); null: by id only. */
  readonly key: string | null;
  /** The room of a room send, to deliver the sender's own message on its ack. */
  readonly room?: string;
  readonly resolve: (frame: any) => void;
  readonly reject: (error: RealtimeError) => void;
  settled: boolean;
  /** The connection it was last written on (0: none since the last reconnect or retry). */
  sentOn: number;
  /** Times written. */
  writes: number;
  /** Not written again before this time (ms since the epoch): a retry after `busy` or `rate_limited`. */
  notBefore: number;
  /** Retryable refusals so far, for the back-off. */
  refusals: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The frames waiting for answers. `waiting` holds every unanswered send and page request in the order they were
 * made (they are written again, in that order, after a reconnect); `wire` holds what was written on the current
 * connection, in write order. The server answers a socket's frames in order, so an answer without an `id` belongs
 * to the oldest frame on the wire with its key. A request given up on (timeout) stays on the wire until its answer
 * comes, so that a late answer is not taken for a newer request's.
 */
export class Requests {
  private readonly waiting: Pending[] = [];
  private wire: Pending[] = [];

  add(pending: Pending): void {
    if (pending.kind !== 'internal') {
      this.waiting.push(pending);
    }
  }

  /** Unanswered sends and page requests, oldest first. */
  queued(): readonly Pending[] {
    return this.waiting;
  }

  get pendingSends(): number {
    return this.waiting.filter((p) => p.kind === 'send').length;
  }

  /** Sends on the wire whose answer is still awaited. */
  get sendsOnWire(): number {
    return this.wire.filter((p) => p.kind === 'send' && !p.settled).length;
  }

  written(pending: Pending, connection: number): void {
    pending.sentOn = connection;
    pending.writes++;
    this.wire.push(pending);
  }

  takeById(id: unknown): Pending | undefined {
    const index = typeof id === 'string' ? this.wire.findIndex((p) => p.id === id) : -1;
    return index < 0 ? undefined : this.wire.splice(index, 1)[0];
  }

  takeByKey(key: string): Pending | undefined {
    const index = this.wire.findIndex((p) => p.key === key);
    return index < 0 ? undefined : this.wire.splice(index, 1)[0];
  }

  /**
   * The largest frame on the wire without an answer. When the server closes with 1009 it was reading a frame over its
   * limit, not necessarily the oldest unanswered one (earlier sends may still be being stored); the largest is over
   * the limit whichever it was.
   */
  largestOnWire(): Pending | undefined {
    let largest: Pending | undefined;
    let largestBytes = -1;
    for (const pending of this.wire) {
      const bytes = byteLength(pending.text);
      if (bytes > largestBytes) {
        largest = pending;
        largestBytes = bytes;
      }
    }
    return largest;
  }

  /** Takes the request out of the waiting list: it was answered, refused or given up. */
  finish(pending: Pending): void {
    pending.settled = true;
    if (pending.timer !== undefined) {
      clearTimeout(pending.timer);
    }
    const index = this.waiting.indexOf(pending);
    if (index >= 0) {
      this.waiting.splice(index, 1);
    }
  }

  /** Puts a refused request back to be written again after `delay` ms. */
  retryLater(pending: Pending, delay: number): void {
    pending.sentOn = 0;
    pending.refusals++;
    pending.notBefore = Date.now() + delay;
  }

  /** The connection ended: nothing is on the wire any more; returns the client's own requests, which end with it. */
  connectionLost(): Pending[] {
    const lost = this.wire.filter((p) => p.kind === 'internal' && !p.settled);
    this.wire = [];
    for (const pending of this.waiting) {
      pending.sentOn = 0;
    }
    return lost;
  }

  /** Every unanswered request, for rejecting them all. */
  drain(): Pending[] {
    const all = [...this.waiting, ...this.wire.filter((p) => !p.settled && !this.waiting.includes(p))];
    this.waiting.length = 0;
    this.wire = [];
    return all;
  }
}
