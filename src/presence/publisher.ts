import { outputUid } from './uid.js';
import type { RoomUser } from './rooms.js';

/** The payload on `<room>/user_list` (DESIGN.md §6). */
export interface UserListMessage {
  readonly count: number;
  readonly user_list: (number | string)[];
  readonly users: { uid: number | string; uname: string }[];
}

export function userListMessage(users: readonly RoomUser[]): UserListMessage {
  const listed = users.map((u) => ({ uid: outputUid(u.uid), uname: u.uname }));

  return {
    count: listed.length,
    user_list: listed.map((u) => u.uid),
    users: listed,
  };
}

export interface PublisherOptions {
  readonly users: (room: string) => RoomUser[];
  readonly publish: (room: string, message: UserListMessage) => void;
}

/**
 * Coalesces changes: rooms are marked dirty as events happen, and each tick
 * publishes at most one message per room, none when the list is what was
 * last published. Many joins in one tick cost one broadcast, not N.
 */
export class RoomPublisher {
  readonly #dirty = new Set<string>();
  readonly #published = new Map<string, string>();
  readonly #options: PublisherOptions;

  constructor(options: PublisherOptions) {
    this.#options = options;
  }

  markDirty(room: string): void {
    this.#dirty.add(room);
  }

  /** Publishes changed rooms; returns the rooms it published. */
  tick(): Set<string> {
    const sent = new Set<string>();
    for (const room of this.#dirty) {
      const message = userListMessage(this.#options.users(room));
      const signature = JSON.stringify(message.users);
      const before = this.#published.get(room) ?? '[]';
      if (message.count === 0) this.#published.delete(room);
      else this.#published.set(room, signature);
      if (signature === before) continue;
      this.#options.publish(room, message);
      sent.add(room);
    }
    this.#dirty.clear();

    return sent;
  }
}
