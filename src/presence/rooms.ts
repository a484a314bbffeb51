import type { Emit } from './events.js';

export interface RoomUser {
  readonly uid: string;
  readonly uname: string;
  readonly clients: number;
  /** When the user joined the room (first client in). */
  readonly since: number;
}

interface Member {
  uname: string;
  readonly clients: Set<string>;
  readonly since: number;
  /** Set while the last client is gone but the leave grace runs. */
  emptySince: number | null;
}

/**
 * Who is in each room: a user with a list of clients (Phoenix's "key with
 * per-connection entries"). Joins happen on the first client, leaves on the
 * last; a leave may wait out the grace so that a reload is no leave.
 */
export class Rooms {
  readonly #rooms = new Map<string, Map<string, Member>>();
  readonly #emit: Emit;
  /** Users waiting out the grace: all `sweep` has to look at. */
  readonly #leaving = new Map<string, { room: string; uid: string }>();

  constructor(emit: Emit) {
    this.#emit = emit;
  }

  add(room: string, uid: string, uname: string, clientId: string, at: number) {
    let members = this.#rooms.get(room);
    if (members === undefined) {
      members = new Map();
      this.#rooms.set(room, members);
    }
    const member = members.get(uid);
    if (member === undefined) {
      const clients = new Set([clientId]);
      members.set(uid, { uname, clients, since: at, emptySince: null });
      this.#emit({ type: 'user_joined', room, uid, uname, at });
      this.#emit({ type: 'room_changed', room });
      return;
    }
    member.clients.add(clientId);
    member.emptySince = null;
    this.#leaving.delete(leavingKey(room, uid));
    if (member.uname !== uname) {
      member.uname = uname;
      this.#emit({ type: 'room_changed', room });
    }
  }

  /**
   * Removes one client. With `graceful`, a user left without clients stays
   * listed until `sweep` finds the grace over.
   */
  remove(
    room: string,
    uid: string,
    clientId: string,
    at: number,
    graceful: boolean,
  ) {
    const member = this.#rooms.get(room)?.get(uid);
    if (member === undefined || !member.clients.delete(clientId)) return;
    if (member.clients.size > 0) return;
    if (graceful) {
      member.emptySince = at;
      this.#leaving.set(leavingKey(room, uid), { room, uid });
      return;
    }
    this.#drop(room, uid, at);
  }

  /** Lets users whose grace is over leave. */
  sweep(now: number, graceMs: number): void {
    for (const { room, uid } of this.#leaving.values()) {
      const since = this.#rooms.get(room)?.get(uid)?.emptySince ?? null;
      if (since !== null && now - since >= graceMs) this.#drop(room, uid, now);
    }
  }

  #drop(room: string, uid: string, at: number): void {
    this.#leaving.delete(leavingKey(room, uid));
    const members = this.#rooms.get(room);
    if (members === undefined || !members.delete(uid)) return;
    if (members.size === 0) this.#rooms.delete(room);
    this.#emit({ type: 'user_left', room, uid, at });
    this.#emit({ type: 'room_changed', room });
  }

  /** The users listed in a room, sorted by uid for stable output. */
  users(room: string): RoomUser[] {
    const members = this.#rooms.get(room);
    if (members === undefined) return [];

    return [...members]
      .map(([uid, m]) => ({
        uid,
        uname: m.uname,
        clients: m.clients.size,
        since: m.since,
      }))
      .sort((a, b) => compareUids(a.uid, b.uid));
  }

  names(): string[] {
    return [...this.#rooms.keys()].sort();
  }

  userCount(room: string): number {
    return this.#rooms.get(room)?.size ?? 0;
  }

  clientCount(room: string): number {
    const members = this.#rooms.get(room);
    if (members === undefined) return 0;
    let total = 0;
    for (const member of members.values()) total += member.clients.size;

    return total;
  }
}

function leavingKey(room: string, uid: string): string {
  return `${room}\u0000${uid}`;
}

/** Integer uids in numeric order, then the others in code-point order. */
export function compareUids(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;

  return a < b ? -1 : a > b ? 1 : 0;
}
