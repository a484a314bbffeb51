import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Queries more than one writer or report needs. */

/** The id of a channel name, inserted on first use. */
export async function ensureChannel(
  db: Kysely<Database>,
  name: string,
): Promise<number> {
  await db
    .insertInto('channels')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('channels')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();

  return row.id;
}

/** Connect rows of clients with no disconnect row yet, as `c`. */
export function openConnects(db: Kysely<Database>) {
  return db
    .selectFrom('connection_log as c')
    .where('c.event', '=', 'connect')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('connection_log as d')
            .select('d.id')
            .whereRef('d.client_id', '=', 'c.client_id')
            .whereRef('d.channel_id', '=', 'c.channel_id')
            .where('d.event', '=', 'disconnect'),
        ),
      ),
    );
}
