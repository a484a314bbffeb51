import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was then,
// not as the current types say it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channels')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'varchar(256)', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('channel_id', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('end_reason', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('sessions_uid_channel')
    .on('sessions')
    .columns(['uid', 'channel_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('sessions_channel')
    .on('sessions')
    .columns(['channel_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('sessions_open')
    .on('sessions')
    .column('ended_at')
    .execute();

  await db.schema
    .createTable('totals')
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('channel_id', 'integer', (c) => c.notNull())
    .addColumn('total_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('totals_pk', ['uid', 'channel_id'])
    .execute();

  await db.schema
    .createTable('connection_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event', 'varchar(16)', (c) => c.notNull())
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('channel_id', 'integer', (c) => c.notNull())
    .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'varchar(32)')
    .execute();
  // One connect and one disconnect per client and channel, whatever repeats.
  await db.schema
    .createIndex('connection_log_once')
    .on('connection_log')
    .columns(['client_id', 'channel_id', 'event'])
    .unique()
    .execute();
  await db.schema
    .createIndex('connection_log_uid')
    .on('connection_log')
    .columns(['uid', 'channel_id', 'at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['connection_log', 'totals', 'sessions', 'channels']) {
    await db.schema.dropTable(table).execute();
  }
}
