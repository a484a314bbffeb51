import type { Kysely } from 'kysely';

/**
 * The log also keeps the room and the user's name of each client (issue
 * #5): reports list who is online from the database alone and put names
 * on attendance sheets. Rows written before stay null.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('connection_log')
    .addColumn('room', 'varchar(256)')
    .execute();
  await db.schema
    .alterTable('connection_log')
    .addColumn('uname', 'varchar(256)')
    .execute();
  await db.schema
    .createIndex('connection_log_room')
    .on('connection_log')
    .columns(['room', 'event'])
    .execute();
  // The log report pages newest first.
  await db.schema
    .createIndex('connection_log_at')
    .on('connection_log')
    .columns(['at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('connection_log_at').execute();
  await db.schema.dropIndex('connection_log_room').execute();
  await db.schema.alterTable('connection_log').dropColumn('uname').execute();
  await db.schema.alterTable('connection_log').dropColumn('room').execute();
}
