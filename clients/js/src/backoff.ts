/** How reconnect attempts are spaced: exponential back-off with jitter, capped. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms (default 500). */
  initialDelay: number;
  /** Longest delay between two attempts, in ms (default 20,000). */
  maxDelay: number;
  /** Growth per attempt (default 2). */
  factor: number;
  /**
   * Share of the delay that is random, 0 to 1 (default 0.5): a delay d becomes a value between d × (1 − jitter)
   * and d, so that clients cut off together do not come back together.
   */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelay: 500, maxDelay: 20_000, factor: 2, jitter: 0.5 };

/** The delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = options.initialDelay * Math.pow(options.factor, Math.min(attempt, 64));
  const capped = Math.min(options.maxDelay, exponential);
  return Math.max(0, Math.round(capped * (1 - options.jitter * random())));
}
