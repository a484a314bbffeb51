import type { LedgerOp } from '../../src/ledger/ops.js';
import { LedgerStore } from '../../src/storage/ledger-store.js';
import type { Db } from '../../src/storage/schema.js';

export interface PastSession {
  readonly id: string;
  readonly uid: string;
  readonly uname: string;
  readonly channel: string;
  readonly room?: string;
  readonly start: string;
  readonly end: string;
}

/**
 * Writes finished sessions through the ledger's own SQL (one client per
 * session, connect and disconnect logged), as a server would have.
 */
export async function writePast(db: Db, sessions: readonly PastSession[]) {
  const ops: LedgerOp[] = sessions.flatMap((s): LedgerOp[] => {
    const start = Date.parse(s.start);
    const end = Date.parse(s.end);
    const seat = { uid: s.uid, channel: s.channel, clientId: `client-${s.id}` };
    const named = { room: s.room ?? '/classes/4', uname: s.uname };
    return [
      {
        kind: 'log',
        event: 'connect',
        ...seat,
        at: start,
        reason: null,
        ...named,
      },
      { kind: 'open', id: s.id, uid: s.uid, channel: s.channel, start },
      {
        kind: 'close',
        id: s.id,
        uid: s.uid,
        channel: s.channel,
        start,
        end,
        reason: 'disconnect',
      },
      {
        kind: 'log',
        event: 'disconnect',
        ...seat,
        at: end,
        reason: 'disconnect',
        ...named,
      },
    ];
  });
  await new LedgerStore(db).apply(ops);
}

/** A clock the test moves by hand. */
export function manualClock(iso: string) {
  let now = Date.parse(iso);

  return {
    now: () => now,
    set: (to: string) => {
      now = Date.parse(to);
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export const L1 = '/courses/5/lessons/1';
export const L2 = '/courses/5/lessons/2';

/** The known history the report tests answer questions about. */
export const HISTORY: readonly PastSession[] = [
  // Across Berlin midnight: 600 s on 03-09 and 1200 s on 03-10 there.
  {
    id: 's1',
    uid: '1',
    uname: 'Ann',
    channel: L1,
    start: '2024-03-09T22:50:00Z',
    end: '2024-03-09T23:20:00Z',
  },
  {
    id: 's2',
    uid: '1',
    uname: 'Ann',
    channel: L1,
    start: '2024-03-10T10:00:00Z',
    end: '2024-03-10T10:01:30Z',
  },
  {
    id: 's3',
    uid: '2',
    uname: 'Bob',
    channel: L1,
    start: '2024-03-10T09:00:00Z',
    end: '2024-03-10T10:00:00Z',
  },
  // The night the clocks go back in Berlin: 2400 s, all on 10-27.
  {
    id: 's4',
    uid: '1',
    uname: 'Ann',
    channel: L2,
    start: '2024-10-27T00:30:00Z',
    end: '2024-10-27T01:10:00Z',
  },
];
