import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { migrate, openDatabase } from '../storage/database.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .option(
      '--database <location>',
      'SQLite path or server URL (FAYE_ONLINE_DATABASE)',
    )
    .action(async (flags: Record<string, unknown>) => {
      const config = loadConfig(flags);
      const db = openDatabase(config.database);
      try {
        const { results = [] } = await migrate(db);
        for (const r of results) console.log(`${r.migrationName}: ${r.status}`);
        if (results.length === 0) console.log('database is up to date');
      } finally {
        await db.destroy();
      }
    });
}
