/**
 * The server's frame rate limit per connection (docs/protocol.md: a burst of `WS_RATE_BURST` frames, then
 * `WS_RATE_PER_SECOND`), kept on the client's side: frames beyond it wait here instead of being refused with
 * `rate_limited`, so that a burst of requests never ends in a 1008 close.
 */
export class RateBucket {
  private readonly burst: number;
  private readonly perSecond: number;
  private tokens: number;
  private checkedAt: number;

  /** A full bucket, as the server's is for a new connection. */
  constructor(burst: number, perSecond: number, now: number) {
    this.burst = burst;
    this.perSecond = perSecond;
    this.tokens = burst;
    this.checkedAt = now;
  }

  /** Takes the token of one frame; false when the frame must wait ({@link wait} ms). */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) {
      return false;
    }
    this.tokens--;
    return true;
  }

  /** ms until the next token. */
  wait(now: number): number {
    this.refill(now);
    return Math.max(0, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.checkedAt) * this.perSecond) / 1000);
    this.checkedAt = now;
  }
}
