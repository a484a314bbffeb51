import { stringify } from 'csv-stringify/sync';
import type { LogPage } from './logs.js';
import type { OnlineList } from './online.js';
import type {
  Attendance,
  DaySeconds,
  UserChannelTime,
  UserTime,
} from './online-time.js';
import type { SessionsReport } from './sessions.js';

/**
 * Every report as a header and rows: the CSV export and the command
 * line's tables are the same table.
 */
export interface Table {
  readonly head: string[];
  readonly rows: (string | number | boolean | null)[][];
}

export function toCsv(table: Table): string {
  return stringify([table.head, ...table.rows.map((row) => row.map(cell))]);
}

function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  // A spreadsheet runs a cell that starts like a formula; names come from
  // users, so such text is written as text.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value))
    return `'${value}`;

  return String(value);
}

/** Date columns, when by=day: the union of every row's dates. */
function dateColumns(rows: readonly { days?: DaySeconds[] }[]): string[] {
  const dates = new Set(
    rows.flatMap((row) => (row.days ?? []).map((d) => d.date)),
  );

  return [...dates].sort();
}

function dayCells(days: DaySeconds[] | undefined, dates: string[]) {
  const byDate = new Map((days ?? []).map((d) => [d.date, d.seconds]));

  return dates.map((date) => byDate.get(date) ?? 0);
}

export function attendanceTable(report: Attendance): Table {
  const dates = dateColumns(report.users);

  return {
    head: ['uid', 'uname', 'seconds', 'online', ...dates],
    rows: report.users.map((u) => [
      u.uid,
      u.uname,
      u.seconds,
      u.online,
      ...dayCells(u.days, dates),
    ]),
  };
}

export function userTimeTable(report: UserTime): Table {
  const dates = dateColumns(report.channels);

  return {
    head: ['channel', 'seconds', 'online', ...dates],
    rows: report.channels.map((c) => [
      c.channel,
      c.seconds,
      c.online,
      ...dayCells(c.days, dates),
    ]),
  };
}

export function userChannelTable(report: UserChannelTime): Table {
  if (report.days !== undefined) {
    return {
      head: ['date', 'seconds'],
      rows: report.days.map((d) => [d.date, d.seconds]),
    };
  }

  return {
    head: ['uid', 'channel', 'seconds', 'online', 'since'],
    rows: [
      [report.uid, report.channel, report.seconds, report.online, report.since],
    ],
  };
}

export function sessionsTable(report: SessionsReport): Table {
  return {
    head: ['id', 'channel', 'start', 'end', 'seconds', 'reason'],
    rows: report.sessions.map((s) => [
      s.id,
      s.channel,
      s.start,
      s.end,
      s.seconds,
      s.reason,
    ]),
  };
}

export function logTable(page: LogPage): Table {
  return {
    head: [
      'id',
      'at',
      'event',
      'uid',
      'uname',
      'channel',
      'room',
      'clientId',
      'reason',
    ],
    rows: page.rows.map((r) => [
      r.id,
      r.at,
      r.event,
      r.uid,
      r.uname,
      r.channel,
      r.room,
      r.clientId,
      r.reason,
    ]),
  };
}

export function onlineTable(list: OnlineList): Table {
  return {
    head: ['uid', 'uname', 'clients', 'since'],
    rows: list.users.map((u) => [u.uid, u.uname, u.clients, u.since]),
  };
}
