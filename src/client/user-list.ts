import type { OnlineUser, UsersListener } from './options.js';

/** Runs a callback later: once per animation frame, or as soon as possible. */
export type Schedule = (run: () => void) => void;

const NONE: readonly OnlineUser[] = Object.freeze([]);

/**
 * The room's list as the server last sent it. Each `<room>/user_list`
 * message replaces the list (the array is kept as received, frozen, never
 * copied), and listeners hear about it once per scheduled run however many
 * messages arrived in between: a large room costs one render per frame.
 */
export class UserList {
  readonly #listeners = new Set<UsersListener>();
  readonly #schedule: Schedule;
  #users: readonly OnlineUser[] = NONE;
  #received = false;
  #pending = false;

  constructor(schedule: Schedule) {
    this.#schedule = schedule;
  }

  get users(): readonly OnlineUser[] {
    return this.#users;
  }

  get count(): number {
    return this.#users.length;
  }

  /** Takes one `<room>/user_list` payload; anything else is ignored. */
  receive(data: unknown): void {
    const users = usersOf(data);
    if (users === null) return;
    this.#users = Object.freeze(users);
    this.#received = true;
    this.#notifySoon();
  }

  /** Adds a listener; it hears the current list too, if one came already. */
  listen(listener: UsersListener): () => void {
    this.#listeners.add(listener);
    if (this.#received) this.#notifySoon();

    return () => {
      this.#listeners.delete(listener);
    };
  }

  clear(): void {
    this.#listeners.clear();
  }

  #notifySoon(): void {
    if (this.#pending || this.#listeners.size === 0) return;
    this.#pending = true;
    this.#schedule(() => {
      this.#pending = false;
      const users = this.#users;
      for (const listener of [...this.#listeners]) {
        listener(users, users.length);
      }
    });
  }
}

function usersOf(data: unknown): OnlineUser[] | null {
  if (typeof data !== 'object' || data === null) return null;
  const { users } = data as { users?: unknown };

  return Array.isArray(users) ? (users as OnlineUser[]) : null;
}

/**
 * Once per animation frame while the page is visible; hidden pages get no
 * frames, so there a zero timeout stands in.
 */
export function frameSchedule(run: () => void): void {
  const visible =
    typeof document === 'undefined' || document.visibilityState === 'visible';
  if (visible && typeof requestAnimationFrame === 'function') {
    requestAnimationFrame(() => run());
    return;
  }
  setTimeout(run, 0);
}
