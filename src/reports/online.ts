import { compareUids } from '../presence/rooms.js';
import { outputUid } from '../presence/uid.js';
import type { Db } from '../storage/schema.js';

export interface OnlineUser {
  readonly uid: number | string;
  readonly uname: string | null;
  readonly clients: number;
  /** When the user's earliest open client connected. */
  readonly since: string;
}

export interface OnlineList {
  readonly room: string;
  readonly count: number;
  readonly users: OnlineUser[];
}

/**
 * Who is online in a room according to the database alone: clients with a
 * connect row in the room and no disconnect row. The running server's
 * `/api/online` answers from memory instead and also lists a user whose
 * last client left less than the leave grace ago; after a crash, clients
 * stay listed here until the next start closes them.
 */
export async function onlineFromLog(db: Db, room: string): Promise<OnlineList> {
  const rows = await db
    .selectFrom('connection_log as c')
    .select(['c.uid', 'c.uname', 'c.at'])
    .where('c.event', '=', 'connect')
    .where('c.room', '=', room)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('connection_log as d')
            .select('d.id')
            .whereRef('d.client_id', '=', 'c.client_id')
            .whereRef('d.channel_id', '=', 'c.channel_id')
            .where('d.event', '=', 'disconnect'),
        ),
      ),
    )
    .orderBy('c.at')
    .execute();

  const users = usersOf(rows.map((r) => ({ ...r, at: Number(r.at) })));

  return { room, count: users.length, users };
}

function usersOf(rows: { uid: string; uname: string | null; at: number }[]) {
  const byUid = new Map<
    string,
    { uname: string | null; clients: number; since: number }
  >();
  for (const row of rows) {
    const user = byUid.get(row.uid);
    if (user === undefined) {
      byUid.set(row.uid, { uname: row.uname, clients: 1, since: row.at });
      continue;
    }
    user.clients += 1;
    // Rows come oldest first: the latest connect carries the current name.
    user.uname = row.uname ?? user.uname;
  }

  return [...byUid]
    .sort(([a], [b]) => compareUids(a, b))
    .map(([uid, user]) => ({
      uid: outputUid(uid),
      uname: user.uname,
      clients: user.clients,
      since: new Date(user.since).toISOString(),
    }));
}
