import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Extension, Message } from 'faye';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { IdentityGate } from '../identity/gate.js';
import { isMetaChannel } from './channels.js';
import { HttpGuard } from './http.js';
import { BayeuxError, isPlainObject } from './message.js';
import { WireGuard } from './wire.js';

/**
 * Everything issue #3 puts between the network and faye, in one object
 * that `Bayeux` consults: HTTP and upgrade checks, per-batch and
 * per-message checks, signed identity (with a secret), and an outgoing
 * extension that keeps credentials from travelling on.
 */
export class Screen {
  readonly http: HttpGuard;
  readonly wire: WireGuard;
  /** Present when the server has a secret. */
  readonly identity: IdentityGate | undefined;
  /** Largest WebSocket frame, in bytes. */
  readonly frameLimit: number;
  /** Milliseconds a WebSocket may stay open without a handshake. */
  readonly handshakeTimeoutMs: number;
  readonly #jsonp: boolean;
  readonly #log: Logger;

  constructor(config: Config, log: Logger) {
    this.#log = log;
    this.http = new HttpGuard(config);
    this.wire = new WireGuard(config);
    this.identity =
      config.secret === undefined ? undefined : new IdentityGate(config.secret);
    this.frameLimit = config.bodyLimit;
    this.handshakeTimeoutMs = config.timeout * 1000;
    this.#jsonp = config.jsonp;
    if (config.secret !== undefined && config.secret.length < 32) {
      // HS256 keys that short can be guessed offline from any token a page
      // has seen; then anyone can sign tokens.
      log.warn(
        { length: config.secret.length },
        'the secret is shorter than 32 characters: use a long random one',
      );
    }
    if (this.identity === undefined) {
      log.warn(
        { host: config.host, insecure: config.insecure },
        'no secret: clients are trusted to say who they are (set --secret)',
      );
    }
  }

  request(request: IncomingMessage, response: ServerResponse): boolean {
    return this.http.request(request, response);
  }

  upgrade(request: IncomingMessage, socket: Duplex): boolean {
    return this.http.upgrade(request, socket);
  }

  checkBatch(messages: readonly unknown[]): BayeuxError | null {
    return this.wire.checkBatch(messages);
  }

  /** Checks one remote message: hostile input first, then identity. */
  async admit(
    message: unknown,
    request: IncomingMessage,
  ): Promise<BayeuxError | null> {
    const error =
      this.wire.check(message, request) ??
      (await this.identity?.authorize(message)) ??
      null;
    if (error !== null) this.#refused(message, error, request);

    return error;
  }

  /** Refusals at warn, except a flood's, which would flood the log too. */
  #refused(message: unknown, error: BayeuxError, request: IncomingMessage) {
    const { clientId, channel } = isPlainObject(message) ? message : {};
    const context = {
      clientId: typeof clientId === 'string' ? clientId : undefined,
      channel: typeof channel === 'string' ? channel.slice(0, 100) : undefined,
      address: request.socket.remoteAddress,
      error: error.toString(),
    };
    if (error.code === 429) this.#log.debug(context, 'message refused');
    else this.#log.warn(context, 'message refused');
  }

  replied(messages: readonly unknown[], replies: readonly Message[]): void {
    this.identity?.replied(messages, replies);
  }

  forget(clientId: string): void {
    this.identity?.forget(clientId);
  }

  /** Outgoing: strip credentials from deliveries, hide JSON-P if off. */
  extension(): Extension {
    return {
      outgoing: (message, _request, callback) => {
        const { channel } = message;
        if (typeof channel === 'string' && !isMetaChannel(channel)) {
          stripCredentials(message);
        }
        if (channel === '/meta/handshake' && !this.#jsonp) {
          hideJsonp(message);
        }
        callback(message);
      },
    };
  }
}

/** Credentials never reach other clients (issue #3). */
function stripCredentials(message: Message): void {
  delete message.auth;
  delete message.token;
  if (isPlainObject(message.ext)) {
    delete message.ext.auth;
    delete message.ext.token;
  }
}

function hideJsonp(message: Message): void {
  const types = message.supportedConnectionTypes;
  if (!Array.isArray(types)) return;
  message.supportedConnectionTypes = types.filter(
    (type) => type !== 'callback-polling',
  );
}
