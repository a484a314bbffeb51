import { outputUid } from '../presence/uid.js';
import { compareUids } from '../presence/rooms.js';
import type { Db } from '../storage/schema.js';
import type { TimeQuery } from './params.js';
import {
  findSessions,
  groupBy,
  latestUnames,
  type SessionRow,
} from './store.js';
import { datesOf, msByDay, onlineParts, lengthOf } from './time.js';

export interface DaySeconds {
  readonly date: string;
  readonly seconds: number;
}

/** Online time of one user in one channel, as every report gives it. */
export interface TimeFigures {
  /** Inside the range, running session included; millisecond precision. */
  readonly seconds: number;
  /** Whether a session is running now (whatever the range). */
  readonly online: boolean;
  /** Start of the running session, ISO 8601, or null. */
  readonly since: string | null;
  /** With `by=day`: local dates of the zone, oldest first. */
  readonly days?: DaySeconds[];
}

export interface RangeEcho {
  readonly from: string | null;
  readonly to: string | null;
  readonly tz: string;
}

export interface UserChannelTime extends TimeFigures, Partial<RangeEcho> {
  readonly uid: number | string;
  readonly channel: string;
}

export interface AttendanceRow extends TimeFigures {
  readonly uid: number | string;
  readonly uname: string | null;
}

export interface Attendance extends RangeEcho {
  readonly channel: string;
  readonly count: number;
  /** Most time first. */
  readonly users: AttendanceRow[];
}

export interface ChannelTime extends TimeFigures {
  readonly channel: string;
}

export interface UserTime extends RangeEcho {
  readonly uid: number | string;
  readonly uname: string | null;
  /** By channel name. */
  readonly channels: ChannelTime[];
}

export interface TimeRequest extends TimeQuery {
  /** Epoch ms that running sessions count up to. */
  readonly now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function echoOf(
  request: Pick<TimeRequest, 'range' | 'zone'>,
): RangeEcho {
  const { from, to } = request.range;

  return {
    from: from === null ? null : iso(from),
    to: to === null ? null : iso(to),
    tz: request.zone,
  };
}

/**
 * The figures behind every online-time answer: the union of the sessions
 * clipped to the range, then split by local day if asked.
 */
export function figuresOf(
  sessions: readonly SessionRow[],
  request: TimeRequest,
): TimeFigures {
  const parts = onlineParts(sessions, request.now, request.range);
  const open = sessions.filter((s) => s.end === null).map((s) => s.start);
  const since = open.length === 0 ? null : iso(Math.min(...open));
  const figures = {
    seconds: lengthOf(parts) / 1000,
    online: since !== null,
    since,
  };
  if (!request.byDay) return figures;
  const byDay = msByDay(parts, request.zone);
  const bounded = datesOf(request.range, request.zone);
  const dates = bounded.length > 0 ? bounded : [...byDay.keys()].sort();
  const days = dates.map((date) => ({
    date,
    seconds: (byDay.get(date) ?? 0) / 1000,
  }));

  return { ...figures, days };
}

/** `GET /api/online-time?uid=&channel=` */
export async function userChannelTime(
  db: Db,
  uid: string,
  channel: string,
  request: TimeRequest,
): Promise<UserChannelTime> {
  const sessions = await findSessions(db, {
    uid,
    channel,
    range: request.range,
  });
  const figures = figuresOf(sessions, request);
  const head = { uid: outputUid(uid), channel };
  // Without range parameters the answer keeps its original five fields.
  const echo = request.ranged ? echoOf(request) : {};

  return { ...head, ...pick(figures), ...echo, ...daysOf(figures) };
}

/** `GET /api/online-time?channel=`: everyone's time, most first. */
export async function attendance(
  db: Db,
  channel: string,
  request: TimeRequest,
): Promise<Attendance> {
  const sessions = await findSessions(db, { channel, range: request.range });
  const byUser = groupBy(sessions, (s) => s.uid);
  const names = await latestUnames(db, [...byUser.keys()]);
  const users = [...byUser].map(([uid, rows]) => {
    const figures = figuresOf(rows, request);
    const head = { uid: outputUid(uid), uname: names.get(uid) ?? null };
    return { key: uid, row: { ...head, ...pick(figures), ...daysOf(figures) } };
  });
  users.sort(
    (a, b) => b.row.seconds - a.row.seconds || compareUids(a.key, b.key),
  );

  return {
    channel,
    ...echoOf(request),
    count: users.length,
    users: users.map((user) => user.row),
  };
}

/** `GET /api/online-time?uid=`: one user's time per channel. */
export async function userTime(
  db: Db,
  uid: string,
  request: TimeRequest,
): Promise<UserTime> {
  const sessions = await findSessions(db, { uid, range: request.range });
  const byChannel = groupBy(sessions, (s) => s.channel);
  const names = await latestUnames(db, [uid]);
  const channels = [...byChannel.keys()].sort().map((channel) => {
    const figures = figuresOf(byChannel.get(channel) ?? [], request);
    return { channel, ...pick(figures), ...daysOf(figures) };
  });

  return {
    uid: outputUid(uid),
    uname: names.get(uid) ?? null,
    ...echoOf(request),
    channels,
  };
}

function pick({ seconds, online, since }: TimeFigures) {
  return { seconds, online, since };
}

function daysOf(figures: TimeFigures) {
  return figures.days === undefined ? {} : { days: figures.days };
}
