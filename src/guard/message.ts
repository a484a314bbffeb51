import {
  isChannelName,
  isChannelPattern,
  isMetaChannel,
  isServiceChannel,
  MAX_CHANNEL_LENGTH,
} from './channels.js';
import { canonicalUid, UID_EXPECTED } from '../presence/uid.js';
import type { Presence } from '../presence/types.js';

/**
 * A refusal in Bayeux's own vocabulary: `code:args:message` (Bayeux 1.0
 * §3.4 error format), written onto the reply's `error` field.
 */
export class BayeuxError {
  constructor(
    readonly code: number,
    readonly args: readonly string[],
    readonly message: string,
    /** Bayeux advice for the reply, e.g. `{ reconnect: 'handshake' }`. */
    readonly advice?: Readonly<Record<string, unknown>>,
  ) {}

  toString(): string {
    return `${this.code}:${this.args.join(',')}:${this.message}`;
  }
}

export type Checked =
  | { readonly ok: true; readonly presence: Presence | null }
  | { readonly ok: false; readonly error: BayeuxError };

const MAX_CLIENT_ID = 128;
const MAX_UNAME = 128;

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string "${shown}" (${value.length} characters)`;
  }
  if (typeof value === 'object') return 'an object';

  return `${typeof value} ${String(value)}`;
}

function refuse(field: string, expected: string, value: unknown): Checked {
  const message = `${field} must be ${expected}, got ${describe(value)}`;
  return { ok: false, error: new BayeuxError(400, [field], message) };
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Marks a JSON value that stood where a message belongs but is no object
 * (null, a number, a nested array). Faye reads `.channel` of every element
 * before any extension runs, so such values are wrapped right after
 * parsing and refused here.
 */
export const NOT_A_MESSAGE = Symbol('not a message');

export function wrapNonMessages(parsed: unknown): unknown {
  const wrap = (value: unknown) =>
    isPlainObject(value) ? value : { [NOT_A_MESSAGE]: value };

  return Array.isArray(parsed) ? parsed.map(wrap) : wrap(parsed);
}

/**
 * Synchronous shape check of one incoming Bayeux message. It runs before
 * faye sees the message: faye 1.4.3 throws on non-string `channel` or
 * `subscription` values, and when any extension answers asynchronously that
 * throw escapes its try/catch and kills the process.
 */
export function checkMessage(message: unknown): Checked {
  if (!isPlainObject(message)) {
    return refuse('message', 'an object', message);
  }
  if (NOT_A_MESSAGE in message) {
    return refuse('message', 'an object', message[NOT_A_MESSAGE]);
  }
  const envelope = checkEnvelope(message);
  if (!envelope.ok) return envelope;

  return checkPresence(message);
}

function checkEnvelope(message: Record<string, unknown>): Checked {
  const { channel, clientId, id, subscription, ext, advice } = message;
  if (typeof channel !== 'string' || channel.length > MAX_CHANNEL_LENGTH) {
    return refuse(
      'channel',
      `a string of at most ${MAX_CHANNEL_LENGTH} characters`,
      channel,
    );
  }
  if (
    clientId !== undefined &&
    (typeof clientId !== 'string' || clientId.length > MAX_CLIENT_ID)
  ) {
    return refuse('clientId', 'a string', clientId);
  }
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
    return refuse('id', 'a string or a number', id);
  }
  if (subscription !== undefined && !isSubscriptionValue(subscription)) {
    return refuse('subscription', 'a channel name or pattern', subscription);
  }
  if (ext !== undefined && ext !== null && !isPlainObject(ext)) {
    return refuse('ext', 'an object', ext);
  }
  if (advice !== undefined && !isAdvice(advice)) {
    return refuse('advice', 'an object with a numeric timeout', advice);
  }

  return checkTypesOfMeta(message);
}

function checkTypesOfMeta(message: Record<string, unknown>): Checked {
  const { connectionType, supportedConnectionTypes, version } = message;
  if (connectionType !== undefined && typeof connectionType !== 'string') {
    return refuse('connectionType', 'a string', connectionType);
  }
  if (
    supportedConnectionTypes !== undefined &&
    !isStringArray(supportedConnectionTypes)
  ) {
    return refuse(
      'supportedConnectionTypes',
      'an array of strings',
      supportedConnectionTypes,
    );
  }
  if (version !== undefined && typeof version !== 'string') {
    return refuse('version', 'a string', version);
  }

  return { ok: true, presence: null };
}

function isStringArray(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length <= 16 &&
    value.every((item) => typeof item === 'string')
  );
}

function isSubscriptionValue(value: unknown): boolean {
  const single = (item: unknown) =>
    isChannelName(item) || isChannelPattern(item);
  if (Array.isArray(value)) return value.length <= 100 && value.every(single);

  return single(value);
}

function isAdvice(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const { timeout, interval } = value;

  return (
    (timeout === undefined || typeof timeout === 'number') &&
    (interval === undefined || typeof interval === 'number')
  );
}

/** The presence fields a message carries: `ext.auth`, else `auth`. */
export function authOf(message: Record<string, unknown>): unknown {
  const ext = message.ext;
  if (isPlainObject(ext) && ext.auth !== undefined && ext.auth !== null) {
    return ext.auth;
  }

  return message.auth;
}

function checkPresence(message: Record<string, unknown>): Checked {
  const auth = authOf(message);
  if (auth === undefined || auth === null) return { ok: true, presence: null };
  if (!isPlainObject(auth)) return refuse('auth', 'an object', auth);

  const user = auth.current_user;
  if (!isPlainObject(user)) {
    return refuse('auth.current_user', 'an object with uid and uname', user);
  }
  const uid = canonicalUid(user.uid);
  if (uid === null) {
    return refuse('auth.current_user.uid', UID_EXPECTED, user.uid);
  }
  const { uname } = user;
  if (
    typeof uname !== 'string' ||
    uname.length < 1 ||
    uname.length > MAX_UNAME
  ) {
    return refuse(
      'auth.current_user.uname',
      `a string of 1 to ${MAX_UNAME} characters`,
      uname,
    );
  }

  return checkPresenceChannels(auth, uid, uname);
}

const PRESENCE_CHANNEL_EXPECTED =
  'a Bayeux channel name such as /classes/4 (not /meta or /service)';

function isPresenceChannel(value: unknown): value is string {
  return (
    isChannelName(value) && !isMetaChannel(value) && !isServiceChannel(value)
  );
}

function checkPresenceChannels(
  auth: Record<string, unknown>,
  uid: string,
  uname: string,
): Checked {
  const { room_channel: room, time_channel: timeChannel, token } = auth;
  if (!isPresenceChannel(room)) {
    return refuse('auth.room_channel', PRESENCE_CHANNEL_EXPECTED, room);
  }
  if (!isPresenceChannel(timeChannel)) {
    return refuse('auth.time_channel', PRESENCE_CHANNEL_EXPECTED, timeChannel);
  }
  if (token !== undefined && token !== null && typeof token !== 'string') {
    return refuse('auth.token', 'a string', token);
  }
  const presence: Presence =
    typeof token === 'string'
      ? { uid, uname, room, timeChannel, token }
      : { uid, uname, room, timeChannel };

  return { ok: true, presence };
}
