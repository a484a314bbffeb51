import type { Interval } from './types.js';

/**
 * Merges half-open intervals into disjoint, sorted components. Touching
 * intervals (`a.end === b.start`) merge. Sorting first makes the result
 * independent of the input's order and duplicates (DESIGN.md §5).
 */
export function unionOf<T extends Interval>(
  intervals: readonly T[],
): Interval[] {
  const sorted = intervals
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: { start: number; end: number }[] = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last.end) {
      last.end = Math.max(last.end, end);
    } else {
      merged.push({ start, end });
    }
  }

  return merged;
}

/** The measure of the union, in milliseconds. */
export function unionLength(intervals: readonly Interval[]): number {
  return unionOf(intervals).reduce((sum, i) => sum + (i.end - i.start), 0);
}
