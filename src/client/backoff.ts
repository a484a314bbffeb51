export interface Backoff {
  /** Ceiling of the first retry, milliseconds. */
  readonly baseMs: number;
  /** Largest ceiling, milliseconds. */
  readonly maxMs: number;
  /** A number in [0, 1); `Math.random` unless a test fixes it. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF: Backoff = Object.freeze({
  baseMs: 1000,
  maxMs: 30_000,
});

/**
 * Milliseconds to wait before retry number `failures` (1 for the first).
 * The ceiling doubles with each failure up to `maxMs`, and the wait is
 * drawn from its upper half, so that pages cut off by one server restart
 * come back spread out instead of in the same second.
 */
export function backoffDelay(failures: number, backoff: Backoff): number {
  const exponent = Math.max(0, failures - 1);
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
  const random = backoff.random ?? Math.random;

  return ceiling / 2 + (random() * ceiling) / 2;
}

/** What faye 1.4 hands a scheduler for each message it sends. */
interface SchedulerOptions {
  /** Seconds before a request counts as failed. */
  readonly timeout: number;
  readonly attempts?: number;
  /** Epoch milliseconds after which the message is dropped. */
  readonly deadline?: number;
}

/**
 * A retry scheduler for faye's `scheduler` client option (faye ≥ 1.2 asks
 * it, per message, how long to wait after a failed send). Faye's own waits
 * the fixed `retry` interval, which synchronises every page.
 */
export function backoffScheduler(backoff: Backoff = DEFAULT_BACKOFF) {
  return class JitteredScheduler {
    readonly #options: SchedulerOptions;
    #sent = 0;
    #failures = 0;

    constructor(_message: unknown, options: SchedulerOptions) {
      this.#options = options;
    }

    getTimeout(): number {
      return this.#options.timeout;
    }

    /** Seconds, as faye expects. */
    getInterval(): number {
      return backoffDelay(this.#failures, backoff) / 1000;
    }

    isDeliverable(): boolean {
      const { attempts, deadline } = this.#options;
      if (attempts !== undefined && this.#sent >= attempts) return false;

      return deadline === undefined || Date.now() <= deadline;
    }

    send(): void {
      this.#sent += 1;
    }

    fail(): void {
      this.#failures += 1;
    }

    succeed(): void {}

    abort(): void {}
  };
}
