import type { Generated, Kysely } from 'kysely';

/**
 * Instants are integer milliseconds since the Unix epoch (UTC) in every
 * backend: exact, portable, and cheap to compare.
 */
export interface ChannelsTable {
  id: Generated<number>;
  name: string;
}

export interface SessionsTable {
  id: string;
  uid: string;
  channel_id: number;
  started_at: number;
  ended_at: number | null;
  /** Checkpoint of the session's last sign of life (crash recovery). */
  last_seen_at: number;
  end_reason: string | null;
}

export interface TotalsTable {
  uid: string;
  channel_id: number;
  /** Closed sessions only; a running session is added at read time. */
  total_ms: number;
}

export interface ConnectionLogTable {
  id: Generated<number>;
  event: 'connect' | 'disconnect';
  uid: string;
  channel_id: number;
  client_id: string;
  at: number;
  reason: string | null;
  /** The client's room and user name (null on rows from before 002). */
  room: string | null;
  uname: string | null;
}

export interface Database {
  channels: ChannelsTable;
  sessions: SessionsTable;
  totals: TotalsTable;
  connection_log: ConnectionLogTable;
}

export type Db = Kysely<Database>;
