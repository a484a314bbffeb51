import { existsSync } from 'node:fs';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import {
  logsAnswer,
  onlineAnswer,
  onlineTimeAnswer,
  sessionsAnswer,
  type Answer,
} from '../reports/answers.js';
import type { RawParams } from '../reports/params.js';
import { toCsv } from '../reports/tables.js';
import { migrate, openDatabase } from '../storage/database.js';
import type { Db } from '../storage/schema.js';

type Flags = Record<string, unknown>;
type Ask = (db: Db, raw: RawParams) => Promise<Answer>;

/**
 * Report commands read the database directly (no server needed), with the
 * same `--database` / `FAYE_ONLINE_DATABASE` as `serve`.
 */
export function registerReports(program: Command): void {
  const now = () => Date.now();
  report(program, 'online', 'who is online in a room, from the connection log')
    .requiredOption('--room <room>', 'room channel, such as /classes/4')
    .action(run((db, raw) => onlineAnswer(db, raw)));
  timeOptions(
    report(
      program,
      'time',
      "a user's online time, in one channel or per channel",
    )
      .requiredOption('--uid <uid>', 'user id')
      .option(
        '--channel <channel>',
        'time channel, such as /courses/5/lessons/1',
      ),
  ).action(run((db, raw) => onlineTimeAnswer(db, raw, now())));
  timeOptions(
    report(
      program,
      'attendance',
      "every user's online time in a channel, most first",
    ).requiredOption('--channel <channel>', 'time channel'),
  ).action(run((db, raw) => onlineTimeAnswer(db, raw, now())));
  report(program, 'sessions', 'the sessions behind an online time')
    .requiredOption('--uid <uid>', 'user id')
    .option('--channel <channel>', 'time channel')
    .option('--from <date>', 'ISO date or instant (inclusive)')
    .option(
      '--to <date>',
      'ISO date (whole day included) or instant (exclusive)',
    )
    .option('--tz <zone>', 'IANA time zone for dates, default UTC')
    .action(run((db, raw) => sessionsAnswer(db, raw, now())));
  report(program, 'log', 'connection log rows, newest first')
    .option('--uid <uid>', 'user id')
    .option('--channel <channel>', 'time channel')
    .option('--limit <n>', 'rows, 1 to 1000 (default 100)')
    .option(
      '--before <cursor>',
      "a row id (the previous page's next) or a date",
    )
    .action(run((db, raw) => logsAnswer(db, raw)));
}

function report(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('--database <location>', 'SQLite path (FAYE_ONLINE_DATABASE)')
    .option('--json', 'print JSON (the HTTP API body)')
    .option('--format <format>', 'table (default) or csv');
}

function timeOptions(command: Command): Command {
  return command
    .option('--from <date>', 'ISO date or instant (inclusive)')
    .option(
      '--to <date>',
      'ISO date (whole day included) or instant (exclusive)',
    )
    .option('--tz <zone>', 'IANA time zone for dates and days, default UTC')
    .option('--by <unit>', '"day": split by local day');
}

function run(ask: Ask) {
  return async (flags: Flags) => {
    const { database, json, format, ...rest } = flags;
    if (format !== undefined && format !== 'table' && format !== 'csv') {
      throw new Error(
        `--format: expected "table" or "csv", got "${String(format)}"`,
      );
    }
    const db = await openForReports(database);
    try {
      const answer = await ask(db, rawOf(rest));
      print(
        answer,
        json === true ? 'json' : format === 'csv' ? 'csv' : 'table',
      );
    } finally {
      await db.destroy();
    }
  };
}

/** Opens the configured database; a missing SQLite file is an error. */
export async function openForReports(database: unknown): Promise<Db> {
  const flags = database === undefined ? {} : { database };
  const { database: location } = loadConfig(flags);
  const isUrl = /^[a-z]+:\/\//i.test(location);
  if (!isUrl && location !== ':memory:' && !existsSync(location)) {
    throw new Error(
      `database: expected an existing SQLite file, got "${location}" ` +
        '(set --database or FAYE_ONLINE_DATABASE)',
    );
  }
  const db = openDatabase(location);
  await migrate(db);

  return db;
}

function rawOf(flags: Flags): RawParams {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(flags)) {
    if (typeof value === 'string') raw[key] = value;
  }

  return raw;
}

function print(answer: Answer, format: 'json' | 'csv' | 'table'): void {
  if (format === 'json') {
    console.log(JSON.stringify(answer.body, null, 2));
    return;
  }
  if (format === 'csv') {
    process.stdout.write(toCsv(answer.table));
    return;
  }
  if (answer.table.rows.length === 0) {
    console.log('nothing found');
    return;
  }
  // Colours only for a person at a terminal.
  const plain = process.stdout.isTTY !== true;
  const style = plain ? { head: [], border: [] } : {};
  const table = new Table({ head: answer.table.head, style });
  for (const row of answer.table.rows) {
    table.push(row.map((cell) => (cell === null ? '' : String(cell))));
  }
  console.log(table.toString());
}
