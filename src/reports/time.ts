import { DateTime } from 'luxon';
import { unionOf } from '../presence/intervals.js';
import type { Interval } from '../presence/types.js';
import { startOfLocalDay } from './days.js';

/** An interval that may still be running (`end` null: up to "now"). */
export interface MaybeOpen {
  readonly start: number;
  readonly end: number | null;
}

/**
 * A half-open range `[from, to)` in epoch milliseconds; a null bound is
 * unbounded on that side.
 */
export interface Range {
  readonly from: number | null;
  readonly to: number | null;
}

export const ALL_TIME: Range = Object.freeze({ from: null, to: null });

/** Open intervals end at `now`; an interval starting after `now` is empty. */
export function closeAt(
  intervals: readonly MaybeOpen[],
  now: number,
): Interval[] {
  return intervals.map(({ start, end }) => ({ start, end: end ?? now }));
}

/** Each interval cut to the range; what falls outside disappears. */
export function clip(intervals: readonly Interval[], range: Range): Interval[] {
  const from = range.from ?? -Infinity;
  const to = range.to ?? Infinity;

  return intervals
    .map(({ start, end }) => ({
      start: Math.max(start, from),
      end: Math.min(end, to),
    }))
    .filter((interval) => interval.end > interval.start);
}

/**
 * The disjoint parts of a user's online time inside a range: running
 * intervals count up to `now`, then the union (DESIGN.md §5) so order,
 * duplicates and overlaps of the input never change the answer.
 */
export function onlineParts(
  intervals: readonly MaybeOpen[],
  now: number,
  range: Range = ALL_TIME,
): Interval[] {
  return unionOf(clip(closeAt(intervals, now), range));
}

/** Milliseconds of `onlineParts`: sum first, round (if ever) once. */
export function onlineMs(
  intervals: readonly MaybeOpen[],
  now: number,
  range: Range = ALL_TIME,
): number {
  return lengthOf(onlineParts(intervals, now, range));
}

export function lengthOf(parts: readonly Interval[]): number {
  return parts.reduce((sum, part) => sum + (part.end - part.start), 0);
}

/**
 * Splits disjoint parts at local midnights of an IANA zone and sums the
 * milliseconds of each local date (`YYYY-MM-DD`). Midnights come from the
 * zone's rules, so days of 23 or 25 hours (DST) split where the wall clock
 * says the date changes.
 */
export function msByDay(
  parts: readonly Interval[],
  zone: string,
): Map<string, number> {
  const days = new Map<string, number>();
  for (const part of parts) {
    for (const piece of splitAtMidnights(part, zone)) {
      days.set(piece.date, (days.get(piece.date) ?? 0) + piece.ms);
    }
  }

  return days;
}

function splitAtMidnights(part: Interval, zone: string) {
  const pieces: { date: string; ms: number }[] = [];
  let start = part.start;
  while (start < part.end) {
    const local = DateTime.fromMillis(start, { zone });
    const end = Math.min(nextMidnight(local), part.end);
    pieces.push({ date: dateOf(local), ms: end - start });
    start = end;
  }

  return pieces;
}

/**
 * The first instant of the next local date. Adding a calendar day before
 * `startOf('day')` stays right on days whose midnight does not exist.
 */
function nextMidnight(local: DateTime): number {
  return startOfLocalDay(local.plus({ days: 1 })).toMillis();
}

function dateOf(local: DateTime): string {
  return local.toISODate() ?? String(local.toMillis());
}

/** Every local date a bounded range touches, oldest first. */
export function datesOf(range: Range, zone: string): string[] {
  if (range.from === null || range.to === null || range.to <= range.from) {
    return [];
  }
  const dates: string[] = [];
  let day = startOfLocalDay(DateTime.fromMillis(range.from, { zone }));
  while (day.toMillis() < range.to) {
    dates.push(dateOf(day));
    day = startOfLocalDay(day.plus({ days: 1 }));
  }

  return dates;
}
