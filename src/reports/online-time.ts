import type { Db } from '../storage/schema.js';

/** Milliseconds of closed sessions of a user in a time channel. */
export async function closedTotalMs(
  db: Db,
  uid: string,
  channel: string,
): Promise<number> {
  const row = await db
    .selectFrom('totals')
    .innerJoin('channels', 'channels.id', 'totals.channel_id')
    .select('totals.total_ms')
    .where('channels.name', '=', channel)
    .where('totals.uid', '=', uid)
    .executeTakeFirst();

  return Number(row?.total_ms ?? 0);
}
