import type { Message } from 'faye';
import {
  BEFORE_LEAVE_CHANNEL,
  isChannelName,
  isChannelPattern,
  isMetaChannel,
  isUserListChannel,
} from '../guard/channels.js';
import {
  authOf,
  BayeuxError,
  describe,
  isPlainObject,
} from '../guard/message.js';
import { canonicalUid, outputUid } from '../presence/uid.js';
import { Grants } from './grants.js';
import { TokenError, verifyToken, type Identity } from './token.js';

interface Bound {
  readonly identity: Identity;
  /** Everything the client may subscribe and publish to. */
  readonly grants: Grants;
  /** Rooms and time channels it may sit in (Bayeux matching). */
  readonly rooms: Grants;
  readonly timeChannels: Grants;
}

/** Live clients an identity can be bound to; beyond, handshakes wait. */
const MAX_BOUND = 100_000;

const UNKNOWN_CLIENT = new BayeuxError(
  401,
  ['clientId'],
  'unknown client: handshake again with a valid token',
  { reconnect: 'handshake', interval: 0 },
);

/**
 * With a secret, the user behind each client comes from the token of its
 * handshake (issue #3): the handshake reply binds the new clientId to that
 * identity, and every later message is checked against it: the seat it
 * claims, the channels it subscribes and publishes to. A token that
 * expires during a session does not end it; a new handshake needs a valid
 * one. Bindings go when faye destroys the client.
 */
export class IdentityGate {
  readonly #secret: string;
  readonly #bound = new Map<string, Bound>();
  /** Handshake messages whose reply will carry the new clientId. */
  readonly #pending = new WeakMap<object, Bound>();

  constructor(secret: string) {
    this.#secret = secret;
  }

  get size(): number {
    return this.#bound.size;
  }

  identityOf(clientId: string): Identity | undefined {
    return this.#bound.get(clientId)?.identity;
  }

  /** Checks one message from a remote client; a refusal or null. */
  async authorize(message: unknown): Promise<BayeuxError | null> {
    // Shapes are the shape guard's business; it refuses these itself.
    if (!isPlainObject(message) || typeof message.channel !== 'string') {
      return null;
    }
    const auth = authOf(message);
    const absent = auth === undefined || auth === null;
    if (!absent && !isPlainObject(auth)) return null;
    const token = isPlainObject(auth) ? auth.token : undefined;
    if (token !== undefined && token !== null && typeof token !== 'string') {
      return null;
    }
    const given = typeof token === 'string' ? token : undefined;
    if (message.channel === '/meta/handshake') {
      return this.#handshake(message, given);
    }

    return this.#later(message, given);
  }

  /** Binds the clientId of a successful handshake reply. */
  replied(messages: readonly unknown[], replies: readonly Message[]): void {
    const handshake = messages.find(
      (message) => isPlainObject(message) && this.#pending.has(message),
    );
    if (handshake === undefined) return;
    const bound = this.#pending.get(handshake as object);
    const reply = replies.find(
      (r) => r.channel === '/meta/handshake' && r.successful === true,
    );
    if (bound === undefined || typeof reply?.clientId !== 'string') return;
    this.#bound.set(reply.clientId, bound);
  }

  forget(clientId: string): void {
    this.#bound.delete(clientId);
  }

  async #handshake(
    message: Record<string, unknown>,
    token: string | undefined,
  ): Promise<BayeuxError | null> {
    if (token === undefined) {
      return new BayeuxError(
        401,
        ['token_missing'],
        'a handshake must carry a token as ext.auth.token (this server ' +
          'has a secret), got none',
      );
    }
    if (this.#bound.size >= MAX_BOUND) {
      return new BayeuxError(503, [], 'too many clients, try again later');
    }
    const bound = await this.#verify(token);
    if (bound instanceof BayeuxError) return bound;
    const error = this.#seat(message, bound);
    if (error !== null) return error;
    this.#pending.set(message, bound);

    return null;
  }

  async #later(
    message: Record<string, unknown>,
    token: string | undefined,
  ): Promise<BayeuxError | null> {
    const { clientId } = message;
    let bound =
      typeof clientId === 'string' ? this.#bound.get(clientId) : undefined;
    if (bound === undefined) return UNKNOWN_CLIENT;
    if (token !== undefined && token !== bound.identity.token) {
      const renewed = await this.#renew(bound, token);
      if (renewed instanceof BayeuxError) return renewed;
      this.#bound.set(clientId as string, renewed);
      bound = renewed;
    }

    return this.#seat(message, bound) ?? permission(message, bound);
  }

  /** A client may present a new token for the same user (new grants). */
  async #renew(bound: Bound, token: string): Promise<Bound | BayeuxError> {
    const renewed = await this.#verify(token);
    if (renewed instanceof BayeuxError) return renewed;
    if (renewed.identity.uid === bound.identity.uid) return renewed;

    return new BayeuxError(
      403,
      ['auth.token'],
      `a client cannot change user: its token is for ${bound.identity.uid}, ` +
        `the new one for ${renewed.identity.uid}`,
    );
  }

  async #verify(token: string): Promise<Bound | BayeuxError> {
    try {
      const identity = await verifyToken(token, this.#secret);
      return bind(identity);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      return new BayeuxError(401, [error.fault], error.message);
    }
  }

  /**
   * The seat a message claims must be granted by the token; the user in it
   * comes from the token. The token itself goes no further than here.
   */
  #seat(message: Record<string, unknown>, bound: Bound): BayeuxError | null {
    const auth = authOf(message);
    if (!isPlainObject(auth)) return null;
    delete auth.token;
    const { room_channel: room, time_channel: time, current_user: user } = auth;
    if (room === undefined && time === undefined && user === undefined) {
      removeAuth(message);
      return null;
    }
    const error =
      disagreement(user, bound.identity) ??
      notGranted('auth.room_channel', 'room', room, bound.rooms) ??
      notGranted('auth.time_channel', 'time channel', time, bound.timeChannels);
    if (error !== null) return error;
    const { uid, uname } = bound.identity;
    auth.current_user = { uid: outputUid(uid), uname };

    return null;
  }
}

function bind(identity: Identity): Bound {
  const rooms = Grants.of(identity.rooms);
  const timeChannels = Grants.of(identity.timeChannels);
  const grants = Grants.union(
    Grants.subtrees(identity.rooms),
    Grants.subtrees(identity.timeChannels),
    Grants.of(identity.channels),
  );

  return { identity, grants, rooms, timeChannels };
}

function removeAuth(message: Record<string, unknown>): void {
  if (isPlainObject(message.ext)) delete message.ext.auth;
  delete message.auth;
}

/** A `current_user` that is not the token's user is refused (issue #3). */
function disagreement(user: unknown, identity: Identity): BayeuxError | null {
  if (!isPlainObject(user)) return null;
  if (user.uid !== undefined && canonicalUid(user.uid) !== identity.uid) {
    return new BayeuxError(
      403,
      ['auth.current_user.uid'],
      `auth.current_user.uid must be the token's user ` +
        `${JSON.stringify(outputUid(identity.uid))}, got ${describe(user.uid)}`,
    );
  }
  if (user.uname !== undefined && user.uname !== identity.uname) {
    return new BayeuxError(
      403,
      ['auth.current_user.uname'],
      `auth.current_user.uname must be the token's name ` +
        `${JSON.stringify(identity.uname)}, got ${describe(user.uname)}`,
    );
  }

  return null;
}

function notGranted(
  field: string,
  what: string,
  channel: unknown,
  grants: Grants,
): BayeuxError | null {
  if (!isChannelName(channel) || grants.allows(channel)) return null;

  return new BayeuxError(
    403,
    [field],
    `the token does not grant the ${what} ${channel}`,
  );
}

/** Subscriptions and publications must stay within the token's grants. */
function permission(
  message: Record<string, unknown>,
  bound: Bound,
): BayeuxError | null {
  const channel = message.channel as string;
  if (channel === '/meta/subscribe') {
    return subscriptionsAllowed(message.subscription, bound.grants);
  }
  if (isMetaChannel(channel) || channel === BEFORE_LEAVE_CHANNEL) return null;
  // The presence guard answers user lists with its own 403.
  if (isUserListChannel(channel) || bound.grants.allows(channel)) return null;

  return new BayeuxError(
    403,
    [channel],
    `the token does not grant publishing to ${channel}`,
  );
}

function subscriptionsAllowed(
  subscription: unknown,
  grants: Grants,
): BayeuxError | null {
  const wanted = ([] as unknown[]).concat(subscription);
  for (const channel of wanted) {
    if (!isChannelName(channel) && !isChannelPattern(channel)) continue;
    if (grants.allows(channel)) continue;
    return new BayeuxError(
      403,
      [channel],
      `the token does not grant ${channel}` +
        (isChannelPattern(channel)
          ? ' (a pattern needs a grant covering every channel it matches)'
          : ''),
    );
  }

  return null;
}
