import type { IncomingMessage } from 'node:http';
import type { Config } from '../config/schema.js';
import {
  BEFORE_LEAVE_CHANNEL,
  isChannelName,
  isMetaChannel,
  MAX_CHANNEL_LENGTH,
} from './channels.js';
import { BayeuxError, describe, isPlainObject } from './message.js';
import { RateLimiter } from './rate.js';

/**
 * Hostile-input checks of whole requests and single messages that run
 * before identity, presence and faye (issue #3): batch size, handshake
 * rate, meta-channel tricks, clientId shape, server-only channels, and the
 * client's `advice.timeout`.
 */
export const META_CHANNELS: ReadonlySet<string> = new Set([
  '/meta/handshake',
  '/meta/connect',
  '/meta/subscribe',
  '/meta/unsubscribe',
  '/meta/disconnect',
]);

/** Channels only the server publishes to, besides every `user_list`. */
export const SERVER_CHANNELS = '/faye_online';

/** faye's clientIds are base-36 strings; anything else is not one. */
const CLIENT_ID = /^[a-z0-9]{1,128}$/;

/** A client may shorten a held connect to this, never below. */
export const MIN_CONNECT_TIMEOUT_MS = 1000;

export class WireGuard {
  readonly #config: Config;
  readonly #handshakes: RateLimiter;

  constructor(config: Config) {
    this.#config = config;
    this.#handshakes = new RateLimiter(config.handshakeRate);
  }

  /** A refusal for the whole request, or null. */
  checkBatch(messages: readonly unknown[]): BayeuxError | null {
    const limit = this.#config.batchLimit;
    if (messages.length > limit) {
      return new BayeuxError(
        413,
        ['batch'],
        `a request may carry at most ${limit} messages, got ${messages.length}`,
      );
    }
    const handshakes = messages.filter(
      (message) =>
        isPlainObject(message) && message.channel === '/meta/handshake',
    ).length;
    if (handshakes > 1) {
      return new BayeuxError(
        400,
        ['batch'],
        `a request may carry at most 1 handshake, got ${handshakes}`,
      );
    }

    return null;
  }

  /** Checks one message (and clamps its advice); a refusal or null. */
  check(message: unknown, request: IncomingMessage): BayeuxError | null {
    if (!isPlainObject(message)) return null; // the shape guard says why
    const { channel, clientId } = message;
    if (typeof channel !== 'string') return null;
    const error =
      checkChannel(channel) ??
      checkClientId(clientId) ??
      checkServerOnly(channel) ??
      checkBeforeLeave(message);
    if (error !== null) return error;
    if (channel === '/meta/handshake') return this.#rate(request);
    if (channel === '/meta/connect') this.#clampAdvice(message);

    return null;
  }

  #rate(request: IncomingMessage): BayeuxError | null {
    const address = request.socket.remoteAddress ?? 'unknown';
    if (this.#handshakes.take(address, Date.now())) return null;

    return new BayeuxError(
      429,
      ['handshake'],
      `too many handshakes from ${address}: at most ` +
        `${this.#config.handshakeRate} per second, try again later`,
    );
  }

  /**
   * A client's `advice.timeout` decides how long faye holds its connect;
   * 0 would turn long-polling into busy polling, so it is kept within
   * [1 s, the server's timeout].
   */
  #clampAdvice(message: Record<string, unknown>): void {
    const { advice } = message;
    if (!isPlainObject(advice) || typeof advice.timeout !== 'number') return;
    const max = this.#config.timeout * 1000;
    const min = Math.min(MIN_CONNECT_TIMEOUT_MS, max);
    const wanted = Number.isFinite(advice.timeout) ? advice.timeout : max;
    const timeout = Math.min(max, Math.max(min, wanted));
    message.advice = { ...advice, timeout };
  }
}

const CHANNEL_EXPECTED =
  `a channel name of at most ${MAX_CHANNEL_LENGTH} characters made of ` +
  'ASCII letters, digits and -_!~()$@ between slashes';

function checkChannel(channel: string): BayeuxError | null {
  if (isMetaChannel(channel) && !META_CHANNELS.has(channel)) {
    return new BayeuxError(
      400,
      ['channel'],
      `channel must be one of ${[...META_CHANNELS].join(', ')}, ` +
        `got ${describe(channel)}`,
    );
  }
  if (!isChannelName(channel)) {
    return new BayeuxError(
      400,
      ['channel'],
      `channel must be ${CHANNEL_EXPECTED}, got ${describe(channel)}`,
    );
  }

  return null;
}

function checkClientId(clientId: unknown): BayeuxError | null {
  // Other types are the shape guard's to refuse.
  if (typeof clientId !== 'string' || CLIENT_ID.test(clientId)) return null;

  return new BayeuxError(
    400,
    ['clientId'],
    'clientId must be one this server issued (lower-case letters and ' +
      `digits), got ${describe(clientId)}`,
  );
}

function checkServerOnly(channel: string): BayeuxError | null {
  const serverOnly =
    channel.startsWith(`${SERVER_CHANNELS}/`) &&
    channel !== BEFORE_LEAVE_CHANNEL;
  if (!serverOnly) return null;

  return new BayeuxError(
    403,
    [channel],
    `only the server publishes to ${channel}`,
  );
}

/** A before_leave speaks for its sender only (issue #3). */
function checkBeforeLeave(
  message: Record<string, unknown>,
): BayeuxError | null {
  if (message.channel !== BEFORE_LEAVE_CHANNEL) return null;
  const { data, clientId } = message;
  if (!isPlainObject(data) || data.clientId === undefined) return null;
  if (data.clientId === clientId) return null;

  return new BayeuxError(
    403,
    [BEFORE_LEAVE_CHANNEL],
    'a client may announce its own leave only: data.clientId must be ' +
      `the sender's clientId, got ${describe(data.clientId)}`,
  );
}
