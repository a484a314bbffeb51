import { USER_LIST_SUFFIX } from '../guard/channels.js';
import { backoffScheduler } from './backoff.js';
import { sendBeforeLeave } from './beacon.js';
import type {
  FayeClient,
  FayeLike,
  FayeMessage,
  FayeSubscription,
  FayeThenable,
} from './faye.js';
import {
  parseOptions,
  type OnlineOptions,
  type OnlineUser,
  type Settings,
  type UsersListener,
} from './options.js';
import { watchPage } from './page.js';
import { frameSchedule, UserList } from './user-list.js';

/** `GET /api/online-time` for this page's user and time channel. */
export interface OnlineTime {
  readonly uid: number | string;
  readonly channel: string;
  readonly seconds: number;
  readonly online: boolean;
  readonly since: string | null;
}

export interface OnlineConnection {
  /** The room's users as last announced (frozen; replaced, never mutated). */
  readonly users: readonly OnlineUser[];
  readonly count: number;
  /** Listens to the room's list; returns a function that stops listening. */
  onUsers(listener: UsersListener): () => void;
  /** Plain Faye publish, with the presence fields attached. */
  publish(channel: string, data: unknown): FayeThenable;
  /** Plain Faye subscribe; survives a restore from the back/forward cache. */
  subscribe(channel: string, callback: (data: any) => void): FayeSubscription;
  /** This user's online time in the time channel, from the server's API. */
  onlineTime(): Promise<OnlineTime>;
  /** Disconnects for good (the user leaves after the server's grace). */
  close(): void;
}

interface Passthrough {
  readonly channel: string;
  readonly callback: (data: any) => void;
  current: FayeSubscription;
}

/**
 * One page's presence: a Faye client that carries `ext.auth` on every
 * message, follows the room's user list, and tells the server when the
 * page may be going away.
 */
class Online implements OnlineConnection {
  readonly #Faye: FayeLike;
  readonly #settings: Settings;
  readonly #list = new UserList(frameSchedule);
  readonly #passthroughs = new Set<Passthrough>();
  readonly #unwatch: () => void;
  #client: FayeClient;
  #clientId: string | null = null;
  #suspended = false;
  #closed = false;

  constructor(Faye: FayeLike, settings: Settings) {
    this.#Faye = Faye;
    this.#settings = settings;
    if (settings.onUsers) this.#list.listen(settings.onUsers);
    this.#client = this.#open();
    this.#unwatch = watchPage({
      hidden: () => this.#beforeLeave(),
      leaving: (persisted) => this.#leaving(persisted),
      restored: () => this.#restored(),
    });
  }

  get users(): readonly OnlineUser[] {
    return this.#list.users;
  }

  get count(): number {
    return this.#list.count;
  }

  onUsers(listener: UsersListener): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError(
        `faye-online: onUsers(listener) expects a function, got ${typeof listener}`,
      );
    }
    return this.#list.listen(listener);
  }

  publish(channel: string, data: unknown): FayeThenable {
    return this.#client.publish(channel, data);
  }

  subscribe(channel: string, callback: (data: any) => void): FayeSubscription {
    const entry: Passthrough = {
      channel,
      callback,
      current: this.#client.subscribe(channel, callback),
    };
    this.#passthroughs.add(entry);

    return {
      cancel: () => {
        this.#passthroughs.delete(entry);
        entry.current.cancel();
      },
      then: (onSuccess, onFailure) => entry.current.then(onSuccess, onFailure),
    };
  }

  async onlineTime(): Promise<OnlineTime> {
    const { base, auth } = this.#settings;
    const uid = auth.current_user?.uid;
    if (uid === undefined) {
      throw new Error('faye-online: onlineTime() needs options.user.uid');
    }
    const query = new URLSearchParams({
      uid: String(uid),
      channel: auth.time_channel,
    });
    const response = await fetch(`${base}/api/online-time?${query}`);
    const body: unknown = await response.json();
    if (!response.ok) {
      const error = (body as { error?: { message?: string } }).error;
      throw new Error(`faye-online: ${error?.message ?? response.statusText}`);
    }

    return body as OnlineTime;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unwatch();
    this.#list.clear();
    this.#client.disconnect();
  }

  #open(): FayeClient {
    const { endpoint, fayeOptions, auth } = this.#settings;
    const client = new this.#Faye.Client(endpoint, {
      scheduler: backoffScheduler(),
      ...fayeOptions,
    });
    // Faye disconnects on beforeunload, which also fires for download links
    // and for "leave this page?" prompts the user cancels; pagehide and
    // before_leave take its place.
    client.disable('autodisconnect');
    // The server sees a page leave by its WebSocket closing or its long poll
    // not coming back; an EventSource stream gives it neither signal.
    client.disable('eventsource');
    client.addExtension({
      outgoing: (message, callback) => callback(withAuth(message, auth)),
      incoming: (message, callback) => {
        this.#noteClientId(message);
        callback(message);
      },
    });
    const room = auth.room_channel + USER_LIST_SUFFIX;
    client.subscribe(room, (data: unknown) => this.#list.receive(data));
    for (const entry of this.#passthroughs) {
      entry.current = client.subscribe(entry.channel, entry.callback);
    }

    return client;
  }

  #noteClientId(message: FayeMessage): void {
    const handshake = message.channel === '/meta/handshake';
    if (handshake && message.successful === true) {
      this.#clientId =
        typeof message.clientId === 'string' ? message.clientId : null;
    }
  }

  #beforeLeave(): void {
    if (this.#closed || this.#suspended || this.#clientId === null) return;
    const { endpoint, auth } = this.#settings;
    sendBeforeLeave(endpoint, this.#clientId, auth);
  }

  /**
   * The page is hidden for good or put in the back/forward cache. A cached
   * page must drop its connection (an open WebSocket keeps it out of the
   * cache) and comes back with a new client on `pageshow`.
   */
  #leaving(persisted: boolean): void {
    this.#beforeLeave();
    if (!persisted || this.#closed) return;
    this.#suspended = true;
    this.#clientId = null;
    this.#client.disconnect();
  }

  #restored(): void {
    if (!this.#suspended || this.#closed) return;
    this.#suspended = false;
    this.#client = this.#open();
  }
}

function withAuth(message: FayeMessage, auth: Settings['auth']): FayeMessage {
  const ext =
    typeof message.ext === 'object' && message.ext !== null ? message.ext : {};
  message.ext = { ...ext, auth };

  return message;
}

/**
 * Connects a page to a faye-online server: presence on every message, the
 * room's live user list, before_leave when the page may go away.
 *
 * @example
 * const online = connectOnline(Faye, {
 *   url: 'http://127.0.0.1:9292', room: '/classes/4',
 *   timeChannel: '/courses/5/lessons/1', user: { uid: 42, uname: 'Ann' },
 *   onUsers: (users) => render(users),
 * });
 */
export function connectWith(
  Faye: FayeLike,
  options: OnlineOptions,
): OnlineConnection {
  const pageUrl = typeof location === 'undefined' ? undefined : location.href;

  return new Online(Faye, parseOptions(options, pageUrl));
}
