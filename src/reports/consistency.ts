import type { Db } from '../storage/schema.js';
import { findSessions, groupBy } from './store.js';
import { ALL_TIME, onlineMs, type MaybeOpen } from './time.js';

export interface TotalsCheck {
  readonly uid: string;
  readonly channel: string;
  /** The server's running total: closed sessions plus the open one. */
  readonly totalsMs: number;
  /** The union of the stored sessions. */
  readonly sessionsMs: number;
  /** The union of each client's connect–disconnect interval in the log. */
  readonly logMs: number;
}

/**
 * Recomputes every user's time in every channel three ways, up to `now`.
 * They agree when the ledger is sound; the ones that do not are returned.
 */
export async function checkTotals(
  db: Db,
  now: number,
): Promise<{ checked: number; mismatches: TotalsCheck[] }> {
  const fromTotals = await totalsWithOpen(db, now);
  const fromSessions = await sessionsTotals(db, now);
  const fromLog = await logTotals(db, now);
  const keys = new Set([
    ...fromTotals.keys(),
    ...fromSessions.keys(),
    ...fromLog.keys(),
  ]);
  const mismatches: TotalsCheck[] = [];
  for (const key of keys) {
    const [uid = '', channel = ''] = key.split('\u0000');
    const check = {
      uid,
      channel,
      totalsMs: fromTotals.get(key) ?? 0,
      sessionsMs: fromSessions.get(key) ?? 0,
      logMs: fromLog.get(key) ?? 0,
    };
    if (
      check.totalsMs !== check.sessionsMs ||
      check.sessionsMs !== check.logMs
    ) {
      mismatches.push(check);
    }
  }

  return { checked: keys.size, mismatches };
}

const keyOf = (uid: string, channel: string) => `${uid}\u0000${channel}`;

async function totalsWithOpen(db: Db, now: number) {
  const totals = new Map<string, number>();
  const rows = await db
    .selectFrom('totals as t')
    .innerJoin('channels as c', 'c.id', 't.channel_id')
    .select(['t.uid', 'c.name', 't.total_ms'])
    .execute();
  for (const row of rows)
    totals.set(keyOf(row.uid, row.name), Number(row.total_ms));
  const open = await findSessions(db, { range: ALL_TIME });
  for (const s of open.filter((session) => session.end === null)) {
    const key = keyOf(s.uid, s.channel);
    totals.set(key, (totals.get(key) ?? 0) + Math.max(0, now - s.start));
  }

  return totals;
}

async function sessionsTotals(db: Db, now: number) {
  const sessions = await findSessions(db, { range: ALL_TIME });

  return unionTotals(
    groupBy(sessions, (s) => keyOf(s.uid, s.channel)),
    now,
  );
}

async function logTotals(db: Db, now: number) {
  const rows = await db
    .selectFrom('connection_log as l')
    .innerJoin('channels as c', 'c.id', 'l.channel_id')
    .select(['l.uid', 'c.name', 'l.client_id', 'l.event', 'l.at'])
    .execute();
  const clients = new Map<
    string,
    { key: string; start: number; end: number | null }
  >();
  for (const row of rows) {
    const id = keyOf(row.client_id, row.name);
    const client = clients.get(id) ?? {
      key: keyOf(row.uid, row.name),
      start: NaN,
      end: null,
    };
    if (row.event === 'connect') client.start = Number(row.at);
    else client.end = Number(row.at);
    clients.set(id, client);
  }

  // A disconnect without its connect measures nothing.
  const whole = [...clients.values()].filter((c) => !Number.isNaN(c.start));

  return unionTotals(
    groupBy(whole, (c) => c.key),
    now,
  );
}

function unionTotals(groups: Map<string, MaybeOpen[]>, now: number) {
  const totals = new Map<string, number>();
  for (const [key, intervals] of groups)
    totals.set(key, onlineMs(intervals, now));

  return totals;
}
