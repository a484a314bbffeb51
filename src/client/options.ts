import {
  isChannelName,
  isMetaChannel,
  isServiceChannel,
} from '../guard/channels.js';
import { canonicalUid, UID_EXPECTED } from '../presence/uid.js';

/** A user as `<room>/user_list` lists them (DESIGN.md §6). */
export interface OnlineUser {
  readonly uid: number | string;
  readonly uname: string;
}

/** Called with the room's current list, at most once per frame. */
export type UsersListener = (
  users: readonly OnlineUser[],
  count: number,
) => void;

export interface OnlineOptions {
  /** The faye-online server, e.g. `https://online.example.com` (or its `/faye`). */
  readonly url: string;
  /** Room channel: who is online here is shown to the room. */
  readonly room: string;
  /** Time channel: time spent here is accumulated. */
  readonly timeChannel: string;
  /** Who this page belongs to; may be left out when a token carries it. */
  readonly user?: OnlineUser;
  /** Identity token signed by the application (see the server's `--secret`). */
  readonly token?: string;
  readonly onUsers?: UsersListener;
  /** Passed to `new Faye.Client(endpoint, fayeOptions)`. */
  readonly fayeOptions?: Readonly<Record<string, unknown>>;
}

/** The presence fields every outgoing message carries as `ext.auth`. */
export interface Auth {
  readonly room_channel: string;
  readonly time_channel: string;
  readonly current_user?: {
    readonly uid: number | string;
    readonly uname: string;
  };
  readonly token?: string;
}

export interface Settings {
  /** Server base URL without a trailing slash, for `/api`. */
  readonly base: string;
  /** The Bayeux endpoint, `<base>/faye`. */
  readonly endpoint: string;
  readonly auth: Auth;
  readonly onUsers: UsersListener | undefined;
  readonly fayeOptions: Readonly<Record<string, unknown>>;
}

export class OnlineOptionError extends TypeError {
  readonly code = 'FAYE_ONLINE_OPTION';
  override readonly name = 'OnlineOptionError';
}

const MAX_UNAME = 128;

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';

  return `${typeof value} ${String(value)}`;
}

function invalid(name: string, expected: string, value: unknown): never {
  const what = name === '' ? 'options' : `options.${name}`;
  throw new OnlineOptionError(
    `faye-online: ${what} must be ${expected}, got ${shown(value)}`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CHANNEL_EXPECTED = 'a channel name such as /classes/4';

function channel(name: string, value: unknown): string {
  const ok =
    isChannelName(value) && !isMetaChannel(value) && !isServiceChannel(value);
  if (!ok) invalid(name, CHANNEL_EXPECTED, value);

  return value as string;
}

const KNOWN_OPTIONS = new Set([
  'url',
  'room',
  'timeChannel',
  'user',
  'token',
  'onUsers',
  'fayeOptions',
]);

/** Validates `connectOnline`'s options, naming the first bad one. */
export function parseOptions(options: unknown, pageUrl?: string): Settings {
  if (!isPlainObject(options)) invalid('', 'an object', options);
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).find((key) => !KNOWN_OPTIONS.has(key));
  if (unknown !== undefined) {
    throw new OnlineOptionError(
      `faye-online: options.${unknown} is no option: expected one of ` +
        `${[...KNOWN_OPTIONS].join(', ')}`,
    );
  }
  const { base, endpoint } = endpoints(o.url, pageUrl);
  const auth: Auth = {
    room_channel: channel('room', o.room),
    time_channel: channel('timeChannel', o.timeChannel),
    ...userPart(o.user, o.token),
    ...tokenPart(o.token),
  };
  if (o.onUsers !== undefined && typeof o.onUsers !== 'function') {
    invalid('onUsers', 'a function', o.onUsers);
  }
  if (o.fayeOptions !== undefined && !isPlainObject(o.fayeOptions)) {
    invalid('fayeOptions', 'an object', o.fayeOptions);
  }

  return Object.freeze({
    base,
    endpoint,
    auth: Object.freeze(auth),
    onUsers: o.onUsers as UsersListener | undefined,
    fayeOptions: Object.freeze({ ...(o.fayeOptions as object | undefined) }),
  });
}

function endpoints(url: unknown, pageUrl: string | undefined) {
  const expected = 'the server URL, e.g. "http://127.0.0.1:9292"';
  if (typeof url !== 'string' || url === '') invalid('url', expected, url);
  let parsed: URL;
  try {
    parsed = new URL(url as string, pageUrl);
  } catch {
    return invalid('url', expected, url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    invalid('url', `an http: or https: URL (${expected})`, url);
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/faye$/, '');
  const base = parsed.origin + path;

  return { base, endpoint: `${base}/faye` };
}

function userPart(user: unknown, token: unknown): Pick<Auth, 'current_user'> {
  if (user === undefined) {
    if (token === undefined) {
      invalid('user', '{ uid, uname } (or give options.token)', user);
    }
    return {};
  }
  if (!isPlainObject(user)) invalid('user', 'an object { uid, uname }', user);
  const { uid, uname } = user as Record<string, unknown>;
  if (canonicalUid(uid) === null) invalid('user.uid', UID_EXPECTED, uid);
  if (
    typeof uname !== 'string' ||
    uname.length < 1 ||
    uname.length > MAX_UNAME
  ) {
    invalid('user.uname', `a string of 1 to ${MAX_UNAME} characters`, uname);
  }

  return {
    current_user: { uid: uid as number | string, uname: uname as string },
  };
}

function tokenPart(token: unknown): Pick<Auth, 'token'> {
  if (token === undefined) return {};
  if (typeof token !== 'string' || token === '') {
    invalid('token', 'a non-empty string', token);
  }

  return { token: token as string };
}
