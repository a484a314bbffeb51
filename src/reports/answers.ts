import { invalidParameter } from '../server/errors.js';
import type { Db } from '../storage/schema.js';
import { logPage } from './logs.js';
import { onlineFromLog } from './online.js';
import { attendance, userChannelTime, userTime } from './online-time.js';
import {
  beforeParam,
  limitParam,
  optionalChannel,
  optionalUid,
  rangeParam,
  requiredChannel,
  requiredUid,
  timeQueryParam,
  zoneParam,
  type RawParams,
} from './params.js';
import { sessionsReport } from './sessions.js';
import {
  attendanceTable,
  logTable,
  onlineTable,
  sessionsTable,
  userChannelTable,
  userTimeTable,
  type Table,
} from './tables.js';

/**
 * One report answered from raw parameters: the JSON body and the same
 * data as a table (CSV, terminal). The HTTP API and the command line both
 * call these, so they cannot disagree.
 */
export interface Answer {
  readonly body: object;
  readonly table: Table;
}

/**
 * Online time: with `uid` and `channel` one user's time; with `channel`
 * only, the attendance sheet; with `uid` only, that user's channels.
 */
export async function onlineTimeAnswer(
  db: Db,
  raw: RawParams,
  now: number,
): Promise<Answer> {
  const uid = optionalUid(raw);
  const channel = optionalChannel(raw);
  const request = { ...timeQueryParam(raw), now };
  if (uid !== undefined && channel !== undefined) {
    const body = await userChannelTime(db, uid, channel, request);
    return { body, table: userChannelTable(body) };
  }
  if (channel !== undefined) {
    const body = await attendance(db, channel, request);
    return { body, table: attendanceTable(body) };
  }
  if (uid === undefined) {
    throw invalidParameter('uid', 'a uid, a channel or both', undefined);
  }
  const body = await userTime(db, uid, request);

  return { body, table: userTimeTable(body) };
}

export async function sessionsAnswer(
  db: Db,
  raw: RawParams,
  now: number,
): Promise<Answer> {
  const uid = requiredUid(raw);
  const channel = optionalChannel(raw);
  const zone = zoneParam(raw);
  const range = rangeParam(raw, zone);
  const body = await sessionsReport(db, { uid, channel, range, zone, now });

  return { body, table: sessionsTable(body) };
}

export async function logsAnswer(db: Db, raw: RawParams): Promise<Answer> {
  const body = await logPage(db, {
    uid: optionalUid(raw),
    channel: optionalChannel(raw),
    limit: limitParam(raw),
    before: beforeParam(raw, zoneParam(raw)),
  });

  return { body, table: logTable(body) };
}

/** Who is online in a room, from the database alone (command line). */
export async function onlineAnswer(db: Db, raw: RawParams): Promise<Answer> {
  const body = await onlineFromLog(db, requiredChannel(raw, 'room'));

  return { body, table: onlineTable(body) };
}
