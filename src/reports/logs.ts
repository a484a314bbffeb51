import { outputUid } from '../presence/uid.js';
import { invalidParameter } from '../server/errors.js';
import type { Db } from '../storage/schema.js';
import type { LogCursor } from './params.js';

export interface LogEntry {
  readonly id: number;
  readonly at: string;
  readonly event: 'connect' | 'disconnect';
  readonly uid: number | string;
  readonly channel: string;
  readonly clientId: string;
  /** Why a client went away; null on connect rows. */
  readonly reason: string | null;
  readonly room: string | null;
  readonly uname: string | null;
}

export interface LogPage {
  /** Newest first. */
  readonly rows: LogEntry[];
  /** Pass as `before` for the next page; null on the last page. */
  readonly next: number | null;
}

export interface LogRequest {
  readonly uid?: string;
  readonly channel?: string;
  readonly limit: number;
  readonly before: LogCursor | null;
}

/** `GET /api/logs`: connection log rows, newest first, a page at a time. */
export async function logPage(db: Db, request: LogRequest): Promise<LogPage> {
  const { uid, channel, limit } = request;
  let query = db
    .selectFrom('connection_log as l')
    .innerJoin('channels as c', 'c.id', 'l.channel_id')
    .select([
      'l.id',
      'l.at',
      'l.event',
      'l.uid',
      'c.name as channel',
      'l.client_id',
      'l.reason',
      'l.room',
      'l.uname',
    ])
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(limit + 1);
  if (uid !== undefined) query = query.where('l.uid', '=', uid);
  if (channel !== undefined) query = query.where('c.name', '=', channel);
  const after = await cursorPosition(db, request.before);
  if (after !== null) {
    query = query.where((eb) =>
      eb.or([
        eb('l.at', '<', after.at),
        eb.and([eb('l.at', '=', after.at), eb('l.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit).map(entryOf);

  return {
    rows: page,
    next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** The (at, id) position rows must come after, newest first. */
async function cursorPosition(db: Db, cursor: LogCursor | null) {
  if (cursor === null) return null;
  if (cursor.kind === 'time') return { at: cursor.at, id: 0 };
  const row = await db
    .selectFrom('connection_log')
    .select(['id', 'at'])
    .where('id', '=', cursor.id)
    .executeTakeFirst();
  if (row === undefined) {
    throw invalidParameter(
      'before',
      'the id of an existing log row',
      String(cursor.id),
    );
  }

  return { at: Number(row.at), id: Number(row.id) };
}

function entryOf(row: {
  id: number;
  at: number;
  event: 'connect' | 'disconnect';
  uid: string;
  channel: string;
  client_id: string;
  reason: string | null;
  room: string | null;
  uname: string | null;
}): LogEntry {
  return {
    id: Number(row.id),
    at: new Date(Number(row.at)).toISOString(),
    event: row.event,
    uid: outputUid(row.uid),
    channel: row.channel,
    clientId: row.client_id,
    reason: row.reason,
    room: row.room,
    uname: row.uname,
  };
}
