import { Kysely, Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';
import { sqliteDialect } from './sqlite/dialect.js';
import type { Database, Db } from './schema.js';

export class StorageError extends Error {
  readonly code = 'STORAGE_UNAVAILABLE';
}

/** Opens the database named by `--database`: a path, or a server URL. */
export function openDatabase(location: string): Db {
  if (/^(postgres|postgresql|mysql):\/\//i.test(location)) {
    // Server backends arrive with their own issue; say so plainly.
    throw new StorageError(
      `database: ${location.split(':')[0]} URLs are not supported yet; ` +
        'give a file path to use SQLite',
    );
  }

  return new Kysely<Database>({ dialect: sqliteDialect(location) });
}

/** Applies pending migrations; the result names each one applied. */
export async function migrate(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: migrations });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const reason =
      result.error instanceof Error
        ? result.error.message
        : String(result.error);
    throw new StorageError(`migration failed: ${reason}`);
  }

  return result;
}
