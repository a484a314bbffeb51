import type { Transaction } from 'kysely';
import type { LedgerOp } from '../ledger/ops.js';
import { ensureChannel, openConnects } from './queries.js';
import type { Database, Db } from './schema.js';

type Tx = Transaction<Database>;

/**
 * The SQL behind the ledger. Channel names map to ids once per process;
 * every op is idempotent where a repeat could happen (log rows are unique
 * per client, channel and event).
 */
export class LedgerStore {
  readonly #db: Db;
  readonly #channelIds = new Map<string, number>();

  constructor(db: Db) {
    this.#db = db;
  }

  /** Applies a batch in one transaction, in order. */
  async apply(ops: readonly LedgerOp[]): Promise<void> {
    const fresh = new Map<string, number>();
    await this.#db.transaction().execute(async (tx) => {
      for (const op of ops) await this.#applyOne(tx, op, fresh);
    });
    // Only ids from a committed transaction may be cached.
    for (const [name, id] of fresh) this.#channelIds.set(name, id);
  }

  async #applyOne(tx: Tx, op: LedgerOp, fresh: Map<string, number>) {
    if (op.kind === 'checkpoint') {
      await tx
        .updateTable('sessions')
        .set({ last_seen_at: op.lastSeen })
        .where('id', '=', op.id)
        .where('ended_at', 'is', null)
        .execute();
      return;
    }
    const channelId = await this.#channelId(tx, op.channel, fresh);
    if (op.kind === 'log') return this.#log(tx, op, channelId);
    if (op.kind === 'open') {
      await tx
        .insertInto('sessions')
        .values({
          id: op.id,
          uid: op.uid,
          channel_id: channelId,
          started_at: op.start,
          last_seen_at: op.start,
          ended_at: null,
          end_reason: null,
        })
        .execute();
      return;
    }
    await closeSession(tx, op.id, op.end, op.reason);
    await addTotal(tx, op.uid, channelId, op.end - op.start);
  }

  async #log(
    tx: Tx,
    op: Extract<LedgerOp, { kind: 'log' }>,
    channelId: number,
  ) {
    await tx
      .insertInto('connection_log')
      .values({
        event: op.event,
        uid: op.uid,
        channel_id: channelId,
        client_id: op.clientId,
        at: op.at,
        reason: op.reason,
        room: op.room ?? null,
        uname: op.uname ?? null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async #channelId(tx: Tx, name: string, fresh: Map<string, number>) {
    const known = this.#channelIds.get(name) ?? fresh.get(name);
    if (known !== undefined) return known;

    const id = await ensureChannel(tx, name);
    fresh.set(name, id);

    return id;
  }

  /**
   * After a crash: sessions left open end at their last checkpoint, and so
   * do their clients' log rows. No time is added for the downtime.
   */
  async recoverCrashed(): Promise<{ sessions: number; clients: number }> {
    return this.#db.transaction().execute(async (tx) => {
      const open = await tx
        .selectFrom('sessions')
        .selectAll()
        .where('ended_at', 'is', null)
        .execute();
      const lastSeen = new Map<string, number>();
      for (const s of open) {
        await closeSession(tx, s.id, s.last_seen_at, 'crash_recovery');
        await addTotal(tx, s.uid, s.channel_id, s.last_seen_at - s.started_at);
        const key = `${s.uid}\u0000${s.channel_id}`;
        lastSeen.set(key, Math.max(lastSeen.get(key) ?? 0, s.last_seen_at));
      }
      const clients = await closeDanglingLogs(tx, lastSeen);

      return { sessions: open.length, clients };
    });
  }
}

async function closeSession(tx: Tx, id: string, end: number, reason: string) {
  await tx
    .updateTable('sessions')
    .set({ ended_at: end, end_reason: reason, last_seen_at: end })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}

async function addTotal(tx: Tx, uid: string, channelId: number, ms: number) {
  await tx
    .insertInto('totals')
    .values({ uid, channel_id: channelId, total_ms: ms })
    .onConflict((oc) =>
      oc.columns(['uid', 'channel_id']).doUpdateSet((eb) => ({
        total_ms: eb('totals.total_ms', '+', eb.ref('excluded.total_ms')),
      })),
    )
    .execute();
}

async function closeDanglingLogs(tx: Tx, lastSeen: Map<string, number>) {
  const dangling = await openConnects(tx).selectAll('c').execute();
  for (const row of dangling) {
    const seen = lastSeen.get(`${row.uid}\u0000${row.channel_id}`) ?? row.at;
    await tx
      .insertInto('connection_log')
      .values({
        event: 'disconnect',
        uid: row.uid,
        channel_id: row.channel_id,
        client_id: row.client_id,
        at: Math.max(row.at, seen),
        reason: 'crash_recovery',
        room: row.room,
        uname: row.uname,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  return dangling.length;
}
