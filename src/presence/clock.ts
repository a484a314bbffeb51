import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Epoch milliseconds (UTC). */
  now(): number;
}

/**
 * Server time that never jumps: anchored to the wall clock once, then
 * advanced by the monotonic clock (DESIGN.md §5), so a stepped system clock
 * cannot make an interval negative or stretch it.
 */
export function monotonicClock(): Clock {
  const wallAtStart = Date.now();
  const monoAtStart = performance.now();

  return {
    now: () => Math.round(wallAtStart + (performance.now() - monoAtStart)),
  };
}
