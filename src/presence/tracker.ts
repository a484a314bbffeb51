import { randomUUID } from 'node:crypto';
import { Rooms, type RoomUser } from './rooms.js';
import { TimeGroups, type OpenSession } from './time-groups.js';
import type { Emit } from './events.js';
import type { EndReason, Presence } from './types.js';

interface Client {
  readonly presence: Presence;
  readonly start: number;
  lastSeen: number;
  /** A leave signal waiting out the grace; any later message clears it. */
  suspect: { readonly reason: EndReason; readonly since: number } | null;
}

export interface TrackerOptions {
  readonly emit: Emit;
  /** Milliseconds a gone client or user may come back before it counts. */
  readonly graceMs: number;
  readonly newId?: () => string;
}

/** Reasons whose client-level signal already waited out the grace. */
const GRACEFUL_ROOM_LEAVE: ReadonlySet<EndReason> = new Set(['disconnect']);

/**
 * Pure presence logic: clients in, users and sessions out. Time is always an
 * argument, so tests drive it with a fake clock and the server with a real
 * one. Failure detection (suspect) is separate from forgetting (end).
 */
export class Tracker {
  readonly #clients = new Map<string, Client>();
  /** Clients with a pending leave signal: all `sweep` has to look at. */
  readonly #suspects = new Set<string>();
  readonly #rooms: Rooms;
  readonly #time: TimeGroups;
  readonly #emit: Emit;
  readonly #graceMs: number;

  constructor(options: TrackerOptions) {
    this.#emit = options.emit;
    this.#graceMs = options.graceMs;
    this.#rooms = new Rooms(options.emit);
    this.#time = new TimeGroups(options.emit, options.newId ?? randomUUID);
  }

  has(clientId: string): boolean {
    return this.#clients.has(clientId);
  }

  presenceOf(clientId: string): Presence | undefined {
    return this.#clients.get(clientId)?.presence;
  }

  lastSeenOf(clientId: string): number | undefined {
    return this.#clients.get(clientId)?.lastSeen;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Starts tracking a client; a known client only counts as seen. */
  connect(clientId: string, presence: Presence, now: number): void {
    if (this.#clients.has(clientId)) return this.seen(clientId, now);

    this.#clients.set(clientId, {
      presence,
      start: now,
      lastSeen: now,
      suspect: null,
    });
    this.#emit({ type: 'client_connected', clientId, presence, at: now });
    const { uid, uname, room, timeChannel } = presence;
    this.#rooms.add(room, uid, uname, clientId, now);
    this.#time.add(uid, timeChannel, clientId, now);
  }

  /** Any message from the client: a sign of life. */
  seen(clientId: string, now: number): void {
    const client = this.#clients.get(clientId);
    if (client === undefined) return;
    client.lastSeen = Math.max(client.lastSeen, now);
    client.suspect = null;
    this.#suspects.delete(clientId);
  }

  /**
   * A sign of life from the transport (an open connection, a pong), not a
   * message: it moves last seen but leaves a pending leave signal alone.
   */
  touch(clientId: string, now: number): void {
    const client = this.#clients.get(clientId);
    if (client !== undefined) client.lastSeen = Math.max(client.lastSeen, now);
  }

  /** A leave signal that becomes a leave unless the client is seen again. */
  suspect(clientId: string, reason: EndReason, now: number): void {
    const client = this.#clients.get(clientId);
    if (client === undefined || client.suspect !== null) return;
    client.suspect = { reason, since: now };
    this.#suspects.add(clientId);
  }

  /**
   * Ends a client's interval at `at`, clamped into [start, now]. Unknown or
   * already ended clients change nothing: a late expiry of an old
   * connection only ever removes itself.
   */
  end(clientId: string, reason: EndReason, at: number, now: number): boolean {
    const client = this.#clients.get(clientId);
    if (client === undefined) return false;

    this.#clients.delete(clientId);
    this.#suspects.delete(clientId);
    const end = Math.max(client.start, Math.min(at, now));
    const { presence } = client;
    this.#emit({
      type: 'client_disconnected',
      clientId,
      presence,
      at: end,
      reason,
    });
    const graceful = GRACEFUL_ROOM_LEAVE.has(reason);
    this.#rooms.remove(presence.room, presence.uid, clientId, now, graceful);
    this.#time.remove(
      presence.uid,
      presence.timeChannel,
      clientId,
      end,
      reason,
    );

    return true;
  }

  /** Ends a client at its last seen (expiry, lost socket). */
  endAtLastSeen(clientId: string, reason: EndReason, now: number): boolean {
    const lastSeen = this.#clients.get(clientId)?.lastSeen ?? now;

    return this.end(clientId, reason, lastSeen, now);
  }

  /**
   * Ends suspects whose grace is over (at their last seen) and lets users
   * whose grace is over leave their rooms. Returns the clients it ended.
   */
  sweep(now: number): string[] {
    const ended: string[] = [];
    for (const clientId of this.#suspects) {
      const suspect = this.#clients.get(clientId)?.suspect ?? null;
      if (suspect === null || now - suspect.since < this.#graceMs) continue;
      this.endAtLastSeen(clientId, suspect.reason, now);
      ended.push(clientId);
    }
    this.#rooms.sweep(now, this.#graceMs);

    return ended;
  }

  /**
   * Ends every client (shutdown). A client seen within `liveWindowMs` was
   * connected until now; an older one ends at its last seen.
   */
  endAll(reason: EndReason, now: number, liveWindowMs: number): void {
    for (const [clientId, client] of [...this.#clients]) {
      const live = now - client.lastSeen <= liveWindowMs;
      this.end(clientId, reason, live ? now : client.lastSeen, now);
    }
    this.#rooms.sweep(now, 0);
  }

  users(room: string): RoomUser[] {
    return this.#rooms.users(room);
  }

  roomNames(): string[] {
    return this.#rooms.names();
  }

  usersInRoom(room: string): number {
    return this.#rooms.userCount(room);
  }

  clientsInRoom(room: string): number {
    return this.#rooms.clientCount(room);
  }

  openSessions(): OpenSession[] {
    return this.#time.open();
  }

  openSession(uid: string, channel: string): OpenSession | undefined {
    return this.#time.find(uid, channel);
  }
}
