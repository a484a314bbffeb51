import { readFileSync } from 'node:fs';
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../storage/schema.js';
import { parseExport, type Skip } from './legacy-files.js';
import {
  CHANNEL_COLUMNS,
  channelNames,
  legacyRow,
  LOG_COLUMNS,
  pairRows,
  sessionsOf,
  type ClientInterval,
  type LegacyRow,
  type LegacySession,
} from './legacy.js';
import { unionLength } from '../presence/intervals.js';
import { ensureChannel } from '../storage/queries.js';

type Tx = Transaction<Database>;

export interface FileSummary {
  readonly file: string;
  readonly rowsRead: number;
  /** Rows that went into the result. */
  readonly imported: number;
  /** Rows left out, each with its line and reason. */
  readonly skipped: Skip[];
}

export interface ImportSummary {
  readonly channels: FileSummary;
  readonly logs: FileSummary;
  /** Connects that ended at the next connect of the same client. */
  readonly closedAtNextRow: number;
  /** Connects with nothing after them: imported, counted as 0 s. */
  readonly openAtEnd: Skip[];
  /** New rows in this database; all zero when the data was imported before. */
  readonly written: { readonly logRows: number; readonly sessions: number };
}

export interface ImportOptions {
  readonly logs: string;
  readonly channels: string;
  /** IANA zone the gem's local `t` values were written in. */
  readonly zone: string;
}

/**
 * Imports the original gem's exports: pairs connect and disconnect rows,
 * unions each user's clients into sessions, and writes log rows, sessions
 * and totals in one transaction. Importing the same files again changes
 * nothing; a bad row is skipped and reported, never fatal.
 */
export async function importLegacy(
  db: Db,
  options: ImportOptions,
): Promise<ImportSummary> {
  const channelFile = parseExport(
    readFileSync(options.channels, 'utf8'),
    CHANNEL_COLUMNS,
    2,
  );
  const channelSkips = [...channelFile.skipped];
  const names = channelNames(channelFile.rows, channelSkips);
  const logFile = parseExport(
    readFileSync(options.logs, 'utf8'),
    LOG_COLUMNS,
    5,
  );
  const logSkips = [...logFile.skipped];
  const rows: LegacyRow[] = [];
  for (const row of logFile.rows) {
    const checked = legacyRow(row, options.zone, names);
    if (typeof checked === 'string')
      logSkips.push({ line: row.line, reason: checked });
    else rows.push(checked);
  }
  const pairing = pairRows(rows);
  logSkips.push(...pairing.unmatched);
  const sessions = sessionsOf(pairing.intervals);
  const written = await db
    .transaction()
    .execute((tx) => write(tx, pairing.intervals, sessions));

  return {
    channels: summary(
      options.channels,
      channelFile.rowsRead,
      names.size,
      channelSkips,
    ),
    logs: summary(
      options.logs,
      logFile.rowsRead,
      rows.length - pairing.unmatched.length,
      logSkips,
    ),
    closedAtNextRow: pairing.closedAtNextRow,
    openAtEnd: pairing.openAtEnd,
    written,
  };
}

function summary(
  file: string,
  rowsRead: number,
  imported: number,
  skipped: Skip[],
): FileSummary {
  return {
    file,
    rowsRead,
    imported,
    skipped: [...skipped].sort((a, b) => a.line - b.line),
  };
}

async function write(
  tx: Tx,
  intervals: readonly ClientInterval[],
  sessions: readonly LegacySession[],
) {
  const ids = await channelIds(tx, [
    ...new Set(intervals.map((i) => i.channel)),
  ]);
  let logRows = 0;
  const ordered = [...intervals].sort((a, b) => a.start - b.start);
  for (const interval of ordered)
    logRows += await logInterval(tx, interval, ids);
  let inserted = 0;
  for (const s of sessions) {
    await absorbContained(tx, s, ids.get(s.channel)!);
    const result = await tx
      .insertInto('sessions')
      .values({
        id: s.id,
        uid: s.uid,
        channel_id: ids.get(s.channel)!,
        started_at: s.start,
        last_seen_at: s.end,
        ended_at: s.end,
        end_reason: 'disconnect',
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  const pairs = new Set(
    sessions.map((s) => `${s.uid}\u0000${ids.get(s.channel)}`),
  );
  for (const pair of pairs) await recomputeTotal(tx, pair);

  return { logRows, sessions: inserted };
}

async function channelIds(tx: Tx, names: readonly string[]) {
  const ids = new Map<string, number>();
  for (const name of names) ids.set(name, await ensureChannel(tx, name));

  return ids;
}

async function logInterval(
  tx: Tx,
  interval: ClientInterval,
  ids: Map<string, number>,
) {
  const base = {
    uid: interval.uid,
    channel_id: ids.get(interval.channel)!,
    client_id: interval.clientId,
  };
  const rows = [
    { ...base, event: 'connect' as const, at: interval.start, reason: null },
    {
      ...base,
      event: 'disconnect' as const,
      at: interval.end,
      reason: interval.reason,
    },
  ];
  let written = 0;
  for (const row of rows) {
    const result = await tx
      .insertInto('connection_log')
      .values(row)
      .onConflict((oc) =>
        // A disconnect an earlier import had to invent (the export ended
        // while the client was connected) gives way to the real one.
        oc
          .columns(['client_id', 'channel_id', 'event'])
          .doUpdateSet({ at: row.at, reason: row.reason })
          .where('connection_log.reason', '=', 'crash_recovery')
          .where('connection_log.at', '<=', row.at)
          .where(() => sql<boolean>`${row.reason} <> 'crash_recovery'`),
      )
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  return written;
}

/**
 * Sessions of a user in a channel never overlap: a later, larger export
 * yields wider sessions, which take the place of the closed ones they
 * contain (the union, and so the total, is the same).
 */
async function absorbContained(tx: Tx, s: LegacySession, channelId: number) {
  await tx
    .deleteFrom('sessions')
    .where('uid', '=', s.uid)
    .where('channel_id', '=', channelId)
    .where('id', '<>', s.id)
    .where('ended_at', 'is not', null)
    .where('started_at', '>=', s.start)
    .where('ended_at', '<=', s.end)
    .execute();
}

/**
 * A user's total in a channel becomes the union of their closed sessions,
 * so imported data that overlaps what is there is counted once.
 */
async function recomputeTotal(tx: Tx, pair: string) {
  const [uid = '', channel = ''] = pair.split('\u0000');
  const channelId = Number(channel);
  const closed = await tx
    .selectFrom('sessions')
    .select(['started_at', 'ended_at'])
    .where('uid', '=', uid)
    .where('channel_id', '=', channelId)
    .where('ended_at', 'is not', null)
    .execute();
  const total = unionLength(
    closed.map((s) => ({
      start: Number(s.started_at),
      end: Number(s.ended_at),
    })),
  );
  await tx
    .insertInto('totals')
    .values({ uid, channel_id: channelId, total_ms: total })
    .onConflict((oc) =>
      oc.columns(['uid', 'channel_id']).doUpdateSet({ total_ms: total }),
    )
    .execute();
}
