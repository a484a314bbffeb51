import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { isChannelName } from '../guard/channels.js';
import { unionOf } from '../presence/intervals.js';
import { canonicalUid } from '../presence/uid.js';
import type { ExportRow, Skip } from './legacy-files.js';

/**
 * The original gem's tables: `faye_user_login_logs` (status 1 connect, 0
 * disconnect; `t` a local datetime) and `faye_channels`.
 */
export const LOG_COLUMNS = [
  'status',
  'uid',
  't',
  'channel_id',
  'clientId',
] as const;
export const CHANNEL_COLUMNS = [
  'id',
  'name',
  'created_at',
  'updated_at',
] as const;

export interface LegacyRow {
  readonly line: number;
  readonly event: 'connect' | 'disconnect';
  readonly uid: string;
  readonly at: number;
  readonly channel: string;
  readonly clientId: string;
}

/** Channel ids to names; bad rows are skipped with a reason. */
export function channelNames(rows: readonly ExportRow[], skipped: Skip[]) {
  const names = new Map<string, string>();
  for (const { line, fields } of rows) {
    const id = fields['id'];
    const name = fields['name'];
    if (id === null || id === undefined || !/^\d+$/.test(id)) {
      skipped.push({
        line,
        reason: `id: expected an integer, got ${JSON.stringify(id ?? null)}`,
      });
    } else if (!isChannelName(name)) {
      skipped.push({
        line,
        reason:
          'name: expected a channel name such as /classes/4, got ' +
          JSON.stringify(name ?? null),
      });
    } else {
      names.set(id, name);
    }
  }

  return names;
}

/** A log row checked and converted from local time, or the reason not. */
export function legacyRow(
  row: ExportRow,
  zone: string,
  channels: ReadonlyMap<string, string>,
): LegacyRow | string {
  const { status, uid, t, channel_id: channelId, clientId } = row.fields;
  if (status !== '0' && status !== '1') {
    return `status: expected 1 (connect) or 0 (disconnect), got ${JSON.stringify(status ?? null)}`;
  }
  const canonical = canonicalUid(uid ?? undefined);
  if (canonical === null)
    return `uid: expected a user id, got ${JSON.stringify(uid ?? null)}`;
  const at = localInstant(t ?? null, zone);
  if (at === null)
    return `t: expected a datetime such as 2014-05-06 12:34:56, got ${JSON.stringify(t ?? null)}`;
  const channel = channels.get(channelId ?? '');
  if (channel === undefined)
    return (
      'channel_id: expected an id from the channels file, got ' +
      JSON.stringify(channelId ?? null)
    );
  if (
    clientId === null ||
    clientId === undefined ||
    clientId === '' ||
    clientId.length > 120
  ) {
    return `clientId: expected 1 to 120 characters, got ${JSON.stringify(clientId ?? null)}`;
  }
  const event = status === '1' ? 'connect' : 'disconnect';

  return { line: row.line, event, uid: canonical, at, channel, clientId };
}

function localInstant(value: string | null, zone: string): number | null {
  if (value === null) return null;
  let local = DateTime.fromSQL(value, { zone });
  if (!local.isValid) local = DateTime.fromISO(value, { zone });

  return local.isValid ? local.toMillis() : null;
}

/** One client's continuous time in a channel, ready for the log. */
export interface ClientInterval {
  /** The legacy clientId, suffixed `#2`, `#3` … for later intervals. */
  readonly clientId: string;
  readonly uid: string;
  readonly channel: string;
  readonly start: number;
  readonly end: number;
  /** `disconnect`, or `crash_recovery` for a connect never closed. */
  readonly reason: 'disconnect' | 'crash_recovery';
}

export interface Pairing {
  readonly intervals: ClientInterval[];
  /** Disconnects with no connect before them. */
  readonly unmatched: Skip[];
  /** Connects followed by another connect of the same client. */
  readonly closedAtNextRow: number;
  /** Connects never followed by anything; they count no time. */
  readonly openAtEnd: Skip[];
}

/**
 * Pairs rows per client and channel in time order. A connect followed by
 * another connect ends where the next one starts; a connect at the end
 * ends at its own start (its last sign of life, as crash recovery would
 * have it); a disconnect without a connect is skipped.
 */
export function pairRows(rows: readonly LegacyRow[]): Pairing {
  const byClient = new Map<string, LegacyRow[]>();
  for (const row of rows) {
    const key = `${row.clientId}\u0000${row.channel}`;
    const list = byClient.get(key);
    if (list === undefined) byClient.set(key, [row]);
    else list.push(row);
  }
  const pairing = {
    intervals: [] as ClientInterval[],
    unmatched: [] as Skip[],
    closedAtNextRow: 0,
    openAtEnd: [] as Skip[],
  };
  for (const clientRows of byClient.values()) {
    clientRows.sort((a, b) => a.at - b.at || a.line - b.line);
    pairing.intervals.push(...pairClient(clientRows, pairing));
  }

  return pairing;
}

function pairClient(
  rows: readonly LegacyRow[],
  pairing: Pairing & { closedAtNextRow: number },
) {
  const spans: {
    start: number;
    end: number;
    reason: ClientInterval['reason'];
  }[] = [];
  let open: LegacyRow | null = null;
  for (const row of rows) {
    if (row.event === 'disconnect' && open === null) {
      pairing.unmatched.push({
        line: row.line,
        reason: 'disconnect without a connect before it',
      });
      continue;
    }
    if (open !== null) {
      if (row.event === 'connect') pairing.closedAtNextRow += 1;
      spans.push({ start: open.at, end: row.at, reason: 'disconnect' });
    }
    open = row.event === 'connect' ? row : null;
  }
  if (open !== null) {
    pairing.openAtEnd.push({
      line: open.line,
      reason: 'connect without a disconnect: counted as 0 s',
    });
    spans.push({ start: open.at, end: open.at, reason: 'crash_recovery' });
  }
  const first = rows[0]!;

  return mergeTouching(spans).map((span, i) => ({
    clientId: i === 0 ? first.clientId : `${first.clientId}#${i + 1}`,
    uid: first.uid,
    channel: first.channel,
    ...span,
  }));
}

function mergeTouching<T extends { start: number; end: number }>(
  spans: T[],
): T[] {
  const merged: T[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last !== undefined && span.start <= last.end) {
      merged[merged.length - 1] = {
        ...span,
        start: last.start,
        end: Math.max(last.end, span.end),
      };
    } else {
      merged.push(span);
    }
  }

  return merged;
}

export interface LegacySession {
  readonly id: string;
  readonly uid: string;
  readonly channel: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A user's sessions in a channel: the union of their clients' intervals.
 * Ids derive from the data, so importing again finds the same sessions.
 */
export function sessionsOf(
  intervals: readonly ClientInterval[],
): LegacySession[] {
  const groups = new Map<string, ClientInterval[]>();
  for (const i of intervals) {
    const key = `${i.uid}\u0000${i.channel}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [i]);
    else list.push(i);
  }
  const sessions: LegacySession[] = [];
  for (const group of groups.values()) {
    const { uid, channel } = group[0]!;
    for (const { start, end } of unionOf(group)) {
      sessions.push({
        id: sessionId(uid, channel, start, end),
        uid,
        channel,
        start,
        end,
      });
    }
  }

  return sessions;
}

function sessionId(
  uid: string,
  channel: string,
  start: number,
  end: number,
): string {
  const hex = createHash('sha256')
    .update(
      `faye-online legacy\u0000${uid}\u0000${channel}\u0000${start}\u0000${end}`,
    )
    .digest('hex');

  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}
