import { DateTime, IANAZone } from 'luxon';
import { isChannelName } from '../guard/channels.js';
import { canonicalUid, UID_EXPECTED } from '../presence/uid.js';
import { invalidParameter } from '../server/errors.js';
import { startOfLocalDay } from './days.js';
import type { Range } from './time.js';

/**
 * Parsing of report parameters, shared by the HTTP API, the command line
 * and the Node API. A bad value throws `invalidParameter` naming the
 * parameter (the HTTP API answers it with 400, the CLI prints it).
 */
export type RawParams = Readonly<Record<string, string | undefined>>;

export const MAX_LOG_LIMIT = 1000;
export const DEFAULT_LOG_LIMIT = 100;
/** `by=day` over a bounded range lists every date; keep that list sane. */
export const MAX_DAYS = 1000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T/;
const DATE_EXPECTED =
  'an ISO date (2024-03-09) or instant (2024-03-09T22:50:00Z)';

export function optionalUid(raw: RawParams): string | undefined {
  const value = raw['uid'];
  if (value === undefined) return undefined;
  const uid = canonicalUid(value);
  if (uid === null) throw invalidParameter('uid', UID_EXPECTED, value);

  return uid;
}

export function requiredUid(raw: RawParams): string {
  const uid = optionalUid(raw);
  if (uid === undefined) throw invalidParameter('uid', UID_EXPECTED, undefined);

  return uid;
}

export function optionalChannel(
  raw: RawParams,
  name = 'channel',
): string | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  if (!isChannelName(value)) {
    throw invalidParameter(name, 'a channel name such as /classes/4', value);
  }

  return value;
}

export function requiredChannel(raw: RawParams, name = 'channel'): string {
  const channel = optionalChannel(raw, name);
  if (channel === undefined) {
    throw invalidParameter(
      name,
      'a channel name such as /classes/4',
      undefined,
    );
  }

  return channel;
}

/** An IANA time zone name; UTC when absent. */
export function zoneParam(raw: RawParams): string {
  const value = raw['tz'];
  if (value === undefined) return 'UTC';
  if (!IANAZone.isValidZone(value)) {
    throw invalidParameter(
      'tz',
      'an IANA time zone such as Asia/Shanghai',
      value,
    );
  }

  return value;
}

/**
 * `from` and `to` as a half-open range. A date means its local midnight in
 * `zone`; as `to` it includes that whole day, so `from=2024-03-04&
 * to=2024-03-10` is one week. An instant without an offset is local time.
 */
export function rangeParam(raw: RawParams, zone: string): Range {
  const from = boundParam(raw, 'from', zone);
  const to = boundParam(raw, 'to', zone);
  if (from !== null && to !== null && to < from) {
    throw invalidParameter(
      'to',
      `a time not before from (${raw['from']})`,
      raw['to'],
    );
  }

  return { from, to };
}

function boundParam(raw: RawParams, name: 'from' | 'to', zone: string) {
  const value = raw[name];
  if (value === undefined) return null;
  const local = parseLocal(value, zone);
  if (local === null) throw invalidParameter(name, DATE_EXPECTED, value);
  const wholeDay = name === 'to' && DATE.test(value);

  return (
    wholeDay ? startOfLocalDay(local.plus({ days: 1 })) : local
  ).toMillis();
}

function parseLocal(value: string, zone: string): DateTime | null {
  if (!DATE.test(value) && !INSTANT.test(value)) return null;
  const parsed = DateTime.fromISO(value, { zone });
  if (!parsed.isValid) return null;

  return DATE.test(value) ? startOfLocalDay(parsed) : parsed;
}

/** `by=day` or nothing. */
export function byDayParam(raw: RawParams): boolean {
  const value = raw['by'];
  if (value === undefined) return false;
  if (value !== 'day') throw invalidParameter('by', '"day"', value);

  return true;
}

export type Format = 'json' | 'csv';

export function formatParam(raw: RawParams): Format {
  const value = raw['format'];
  if (value === undefined || value === 'json') return 'json';
  if (value !== 'csv')
    throw invalidParameter('format', '"json" or "csv"', value);

  return value;
}

export function limitParam(raw: RawParams): number {
  const value = raw['limit'];
  if (value === undefined) return DEFAULT_LOG_LIMIT;
  const limit = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= MAX_LOG_LIMIT)) {
    throw invalidParameter(
      'limit',
      `an integer from 1 to ${MAX_LOG_LIMIT}`,
      value,
    );
  }

  return limit;
}

/**
 * Where a page of the log starts: the `id` of the last row of the previous
 * page (rows after it in newest-first order), or a date or instant (rows
 * strictly before it).
 */
export type LogCursor =
  | { readonly kind: 'row'; readonly id: number }
  | { readonly kind: 'time'; readonly at: number };

export function beforeParam(raw: RawParams, zone: string): LogCursor | null {
  const value = raw['before'];
  if (value === undefined) return null;
  if (/^[1-9]\d{0,15}$/.test(value)) return { kind: 'row', id: Number(value) };
  const local = parseLocal(value, zone);
  if (local === null) {
    throw invalidParameter('before', `a log row id or ${DATE_EXPECTED}`, value);
  }

  return { kind: 'time', at: local.toMillis() };
}

/** What every online-time question shares: a range, a zone, by day or not. */
export interface TimeQuery {
  readonly range: Range;
  readonly zone: string;
  readonly byDay: boolean;
  /** Whether the caller asked about a range or zone (echoed back). */
  readonly ranged: boolean;
}

export function timeQueryParam(raw: RawParams): TimeQuery {
  const zone = zoneParam(raw);
  const range = rangeParam(raw, zone);
  const byDay = byDayParam(raw);
  const span =
    range.from === null || range.to === null ? 0 : range.to - range.from;
  if (byDay && span > MAX_DAYS * 86_400_000) {
    throw invalidParameter(
      'to',
      `at most ${MAX_DAYS} days after from with by=day`,
      raw['to'],
    );
  }
  const ranged = ['from', 'to', 'tz', 'by'].some(
    (key) => raw[key] !== undefined,
  );

  return { range, zone, byDay, ranged };
}
