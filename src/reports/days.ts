import type { DateTime } from 'luxon';

const STEP_MINUTES = 15; // every zone's offsets differ by multiples of it
const LOOK_BACK_MINUTES = 180;

/**
 * The first instant of the local date of `local`. Luxon's `startOf('day')`
 * takes the later of two midnights where clocks fall back across midnight
 * (America/Havana, 2024-11-03), which would leave the hour between them
 * on no date at all; this walks back to the earlier one.
 */
export function startOfLocalDay(local: DateTime): DateTime {
  const start = local.startOf('day');
  const date = start.toISODate();
  let earliest = start;
  for (
    let back = STEP_MINUTES;
    back <= LOOK_BACK_MINUTES;
    back += STEP_MINUTES
  ) {
    const earlier = start.minus({ minutes: back });
    if (earlier.toISODate() !== date) break;
    earliest = earlier;
  }

  return earliest;
}
