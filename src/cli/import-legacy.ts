import { IANAZone } from 'luxon';
import type { Command } from 'commander';
import type { Skip } from '../import/legacy-files.js';
import { importLegacy, type FileSummary } from '../import/legacy-import.js';
import { loadConfig } from '../config/load.js';
import { migrate, openDatabase } from '../storage/database.js';

export function registerImportLegacy(program: Command): void {
  program
    .command('import-legacy')
    .description(
      "import the original gem's faye_user_login_logs and faye_channels exports",
    )
    .requiredOption(
      '--logs <file>',
      'faye_user_login_logs export (mysql -B or INTO OUTFILE)',
    )
    .requiredOption('--channels <file>', 'faye_channels export')
    .requiredOption(
      '--tz <zone>',
      'IANA time zone the gem wrote its local times in',
    )
    .option('--database <location>', 'SQLite path (FAYE_ONLINE_DATABASE)')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const zone = String(flags['tz']);
      if (!IANAZone.isValidZone(zone)) {
        throw new Error(
          `--tz: expected an IANA time zone such as Asia/Shanghai, got "${zone}"`,
        );
      }
      const { database } = loadConfig(
        flags['database'] === undefined ? {} : { database: flags['database'] },
      );
      const db = openDatabase(database);
      try {
        await migrate(db);
        const result = await importLegacy(db, {
          logs: String(flags['logs']),
          channels: String(flags['channels']),
          zone,
        });
        if (flags['json'] === true)
          console.log(JSON.stringify(result, null, 2));
        else printSummary(result);
      } finally {
        await db.destroy();
      }
    });
}

function printSummary(result: Awaited<ReturnType<typeof importLegacy>>): void {
  printFile('channels', result.channels);
  printFile('logs', result.logs);
  console.log(
    `connects closed at the next connect of their client: ${result.closedAtNextRow}`,
  );
  if (result.openAtEnd.length > 0) {
    console.log(
      `connects without a disconnect (counted as 0 s): ` +
        `${result.openAtEnd.length}, lines ${lines(result.openAtEnd)}`,
    );
  }
  const { logRows, sessions } = result.written;
  console.log(
    `written: ${logRows} log rows, ${sessions} sessions` +
      (logRows + sessions === 0 ? ' (already imported)' : ''),
  );
}

function printFile(name: string, file: FileSummary): void {
  console.log(
    `${name} ${file.file}: ${file.rowsRead} rows read, ` +
      `${file.imported} imported, ${file.skipped.length} skipped`,
  );
  const byReason = new Map<string, Skip[]>();
  for (const skip of file.skipped)
    byReason.set(skip.reason, [...(byReason.get(skip.reason) ?? []), skip]);
  for (const [reason, skips] of byReason)
    console.log(`  ${skips.length} × ${reason} (lines ${lines(skips)})`);
}

function lines(skips: readonly Skip[]): string {
  const shown = skips
    .slice(0, 10)
    .map((s) => s.line)
    .join(', ');

  return skips.length > 10 ? `${shown}, …` : shown;
}
