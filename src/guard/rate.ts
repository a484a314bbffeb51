/**
 * Counts events per key in fixed one-second windows: enough to stop a
 * handshake flood from one address without keeping a history per event.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #maxKeys: number;

  constructor(perSecond: number, maxKeys = 10_000) {
    this.#perSecond = perSecond;
    this.#maxKeys = maxKeys;
  }

  /** Counts one event for the key; false when its window is full. */
  take(key: string, now: number): boolean {
    const window = this.#windows.get(key);
    if (window === undefined || now - window.start >= 1000) {
      this.#prune(now);
      this.#windows.set(key, { start: now, count: 1 });
      return true;
    }
    window.count += 1;

    return window.count <= this.#perSecond;
  }

  /** Keeps the map bounded: stale windows go once it grows large. */
  #prune(now: number): void {
    if (this.#windows.size < this.#maxKeys) return;
    for (const [key, window] of this.#windows) {
      if (now - window.start >= 1000) this.#windows.delete(key);
    }
    if (this.#windows.size >= this.#maxKeys) this.#windows.clear();
  }
}
