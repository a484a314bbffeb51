import type { Db } from '../storage/schema.js';
import type { Range } from './time.js';

/** A session as reports see it: `end` null while it runs. */
export interface SessionRow {
  readonly id: string;
  readonly uid: string;
  readonly channel: string;
  readonly start: number;
  readonly end: number | null;
  readonly reason: string | null;
}

export interface SessionFilter {
  readonly uid?: string;
  readonly channel?: string;
  readonly range: Range;
}

/** Sessions that overlap the range (open ones always reach "now"). */
export async function findSessions(
  db: Db,
  filter: SessionFilter,
): Promise<SessionRow[]> {
  const { uid, channel, range } = filter;
  let query = db
    .selectFrom('sessions as s')
    .innerJoin('channels as c', 'c.id', 's.channel_id')
    .select([
      's.id',
      's.uid',
      'c.name as channel',
      's.started_at as start',
      's.ended_at as end',
      's.end_reason as reason',
    ])
    .orderBy('s.started_at')
    .orderBy('s.id');
  if (uid !== undefined) query = query.where('s.uid', '=', uid);
  if (channel !== undefined) query = query.where('c.name', '=', channel);
  if (range.to !== null) query = query.where('s.started_at', '<', range.to);
  if (range.from !== null) {
    const from = range.from;
    query = query.where((eb) =>
      eb.or([eb('s.ended_at', 'is', null), eb('s.ended_at', '>', from)]),
    );
  }
  const rows = await query.execute();

  return rows.map((row) => ({
    ...row,
    start: Number(row.start),
    end: row.end === null ? null : Number(row.end),
  }));
}

/** The name each user last connected with (the log keeps it). */
export async function latestUnames(
  db: Db,
  uids: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (uids.length === 0) return names;
  const rows = await db
    .selectFrom('connection_log')
    .select(['uid', 'uname'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('connection_log')
        .select((e) => e.fn.max('id').as('id'))
        .where('uname', 'is not', null)
        .where('uid', 'in', uids)
        .groupBy('uid'),
    )
    .execute();
  for (const row of rows) if (row.uname !== null) names.set(row.uid, row.uname);

  return names;
}

/** Groups rows by a key, keeping first-seen order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string) {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [row]);
    else group.push(row);
  }

  return groups;
}
