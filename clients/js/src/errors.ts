/**
 * Why a promise of the client was rejected or the client stopped. `code` is the server's error code
 * (`forbidden`, `not_joined`, `too_many_rooms`, `bad_request`, ...) or one of the client's own:
 * `timeout`, `queue_full`, `too_large`, `disconnected`, `unauthorized`, `gave_up`.
 */
export class RealtimeError extends Error {
  /** The machine-readable reason. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'RealtimeError';
    this.code = code;
  }
}

/** Server error codes after which the same frame may succeed later: it is sent again after a back-off. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(['busy', 'rate_limited', 'unavailable', 'internal']);
