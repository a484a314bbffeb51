import { hostname } from 'node:os';
import type { Tracker } from '../presence/tracker.js';
import { outputUid } from '../presence/uid.js';

/** What `/api/status` needs from a running node. */
export interface LiveNode {
  readonly tracker: Tracker;
  /** Whether the Bayeux engine still knows a client. */
  clientExists(clientId: string): Promise<boolean>;
  readonly writeQueue: number;
  readonly startedAt: number;
  readonly now: number;
  readonly log: { warn(context: object, message: string): void };
}

export interface Reconciliation {
  /** Users listed in a room none of whose clients is live. */
  readonly usersWithoutClient: number;
  /** Open sessions none of whose clients is live. */
  readonly sessionsWithoutClient: number;
  /** Clients ended (reason `timeout`) to repair the above. */
  readonly repairedClients: number;
}

export interface NodeStatus {
  readonly node: {
    readonly id: string;
    readonly pid: number;
    readonly startedAt: string;
    readonly uptimeSeconds: number;
  };
  readonly clients: number;
  readonly users: number;
  readonly rooms: number;
  readonly oldestOpenSession: {
    readonly uid: number | string;
    readonly channel: string;
    readonly since: string;
  } | null;
  readonly writeQueue: number;
  readonly reconciliation: Reconciliation;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `GET /api/status`: counts of this node, after a reconciliation pass. */
export async function nodeStatus(live: LiveNode): Promise<NodeStatus> {
  const reconciliation = await reconcile(live);
  const { tracker } = live;
  const rooms = tracker.roomNames();
  const users = new Set(
    rooms.flatMap((room) => tracker.users(room).map((u) => u.uid)),
  );
  const oldest = tracker
    .openSessions()
    .reduce<ReturnType<Tracker['openSessions']>[number] | null>(
      (min, s) => (min === null || s.start < min.start ? s : min),
      null,
    );

  return {
    node: {
      id: `${hostname()}:${process.pid}`,
      pid: process.pid,
      startedAt: iso(live.startedAt),
      uptimeSeconds: (live.now - live.startedAt) / 1000,
    },
    clients: tracker.clientCount,
    users: users.size,
    rooms: rooms.length,
    oldestOpenSession:
      oldest === null
        ? null
        : {
            uid: outputUid(oldest.uid),
            channel: oldest.channel,
            since: iso(oldest.start),
          },
    writeQueue: live.writeQueue,
    reconciliation,
  };
}

/**
 * Finds what should not exist: users listed in a room and sessions left
 * open although none of their clients is live (the tracker still has them,
 * the Bayeux engine forgot them without telling). Such clients end at
 * their last seen, which repairs both, and the repair is logged.
 */
export async function reconcile(live: LiveNode): Promise<Reconciliation> {
  const { tracker } = live;
  const sessions = tracker.openSessions();
  const dead = new Set<string>();
  for (const clientId of sessions.flatMap((s) => s.clients)) {
    if (!(await live.clientExists(clientId))) dead.add(clientId);
  }
  const isLive = (id: string) => tracker.has(id) && !dead.has(id);
  const sessionsWithoutClient = sessions.filter(
    (s) => !s.clients.some(isLive),
  ).length;
  const usersWithoutClient = countUsersWithoutClient(tracker, sessions, isLive);
  let repairedClients = 0;
  for (const clientId of dead) {
    if (tracker.endAtLastSeen(clientId, 'timeout', live.now))
      repairedClients += 1;
  }
  const result = { usersWithoutClient, sessionsWithoutClient, repairedClients };
  if (usersWithoutClient + sessionsWithoutClient + repairedClients > 0) {
    live.log.warn(
      result,
      'reconciliation repaired presence without live clients',
    );
  }

  return result;
}

function countUsersWithoutClient(
  tracker: Tracker,
  sessions: ReturnType<Tracker['openSessions']>,
  isLive: (clientId: string) => boolean,
): number {
  const liveSeats = new Set<string>();
  for (const clientId of sessions.flatMap((s) => s.clients)) {
    const presence = tracker.presenceOf(clientId);
    if (presence === undefined || !isLive(clientId)) continue;
    liveSeats.add(`${presence.room}\u0000${presence.uid}`);
  }
  let count = 0;
  for (const room of tracker.roomNames()) {
    for (const user of tracker.users(room)) {
      // A user with no client left is waiting out the leave grace.
      if (user.clients > 0 && !liveSeats.has(`${room}\u0000${user.uid}`))
        count += 1;
    }
  }

  return count;
}
