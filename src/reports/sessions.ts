import { outputUid } from '../presence/uid.js';
import type { Db } from '../storage/schema.js';
import { echoOf, type RangeEcho } from './online-time.js';
import type { Range } from './time.js';
import { findSessions, groupBy } from './store.js';
import { clip, closeAt, lengthOf, onlineMs } from './time.js';

export interface SessionEntry {
  readonly id: string;
  readonly channel: string;
  readonly start: string;
  /** Null while the session runs. */
  readonly end: string | null;
  /** Inside the range, up to now for a running session. */
  readonly seconds: number;
  /** Why it ended (`disconnect`, `timeout`, …); null while it runs. */
  readonly reason: string | null;
}

export interface SessionsReport extends RangeEcho {
  readonly uid: number | string;
  readonly channel: string | null;
  /** The online time these sessions make: their union, per channel. */
  readonly seconds: number;
  /** Oldest first. */
  readonly sessions: SessionEntry[];
}

export interface SessionsRequest {
  readonly uid: string;
  readonly channel?: string;
  readonly range: Range;
  readonly zone: string;
  readonly now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `GET /api/sessions`: the sessions behind an online-time total. */
export async function sessionsReport(
  db: Db,
  request: SessionsRequest,
): Promise<SessionsReport> {
  const { uid, channel, range, now } = request;
  const rows = await findSessions(db, { uid, channel, range });
  const perChannel = [...groupBy(rows, (row) => row.channel).values()];
  const totalMs = perChannel.reduce(
    (sum, g) => sum + onlineMs(g, now, range),
    0,
  );
  const sessions = rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    start: iso(row.start),
    end: row.end === null ? null : iso(row.end),
    seconds: lengthOf(clip(closeAt([row], now), range)) / 1000,
    reason: row.reason,
  }));

  return {
    uid: outputUid(uid),
    channel: channel ?? null,
    ...echoOf({ range, zone: request.zone }),
    seconds: totalMs / 1000,
    sessions,
  };
}
