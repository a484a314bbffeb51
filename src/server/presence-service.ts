import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Extension, Message } from 'faye';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { BayeuxError, checkMessage } from '../guard/message.js';
import {
  BEFORE_LEAVE_CHANNEL,
  isUserListChannel,
  USER_LIST_SUFFIX,
} from '../guard/channels.js';
import { Screen } from '../guard/screen.js';
import type { Writer } from '../ledger/writer.js';
import type { Clock } from '../presence/clock.js';
import type { TrackerEvent } from '../presence/events.js';
import { RoomPublisher, userListMessage } from '../presence/publisher.js';
import { Tracker } from '../presence/tracker.js';
import type { Presence } from '../presence/types.js';
import { Bayeux } from './bayeux.js';
import { LongPolls } from './long-polls.js';
import { SocketWatch } from './sockets.js';

export interface PresenceServiceOptions {
  readonly config: Config;
  readonly writer: Writer;
  readonly log: Logger;
  readonly clock: Clock;
}

/**
 * Wires Bayeux traffic to the tracker: every message is a sign of life,
 * `/meta/disconnect`, engine expiry, closed sockets and before_leave are
 * leave signals; tracker events go to the ledger and the room publisher.
 */
export class PresenceService {
  readonly tracker: Tracker;
  readonly bayeux: Bayeux;
  /**
   * Every tracker event, as `'event'`, for in-process hooks (the Node
   * API). Listeners run synchronously and must not throw.
   */
  readonly events = new EventEmitter();
  readonly #options: PresenceServiceOptions;
  readonly #publisher: RoomPublisher;
  readonly #sockets: SocketWatch;
  readonly #polls: LongPolls;
  readonly #checkpointed = new Map<string, number>();
  /** Subscribers to `<room>/user_list` waiting for their first list. */
  readonly #snapshots = new Map<string, Set<string>>();
  /** What the guard parsed, so the extension need not parse again. */
  readonly #presence = new WeakMap<object, Presence | null>();
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(options: PresenceServiceOptions) {
    this.#options = options;
    const { config } = options;
    this.tracker = new Tracker({
      emit: (event) => this.#route(event),
      graceMs: config.leaveGrace * 1000,
    });
    this.#publisher = new RoomPublisher({
      users: (room) => this.tracker.users(room),
      publish: (room, message) =>
        this.bayeux.publish(room + USER_LIST_SUFFIX, message),
    });
    this.#sockets = new SocketWatch({
      alive: (ids) => this.#touch(ids),
      closed: (ids) => this.#connectionsLost(ids),
    });
    this.#polls = new LongPolls({
      alive: (ids) => this.#touch(ids),
      dropped: (ids) => this.#connectionsLost(ids),
    });
    this.bayeux = new Bayeux({
      mount: '/faye',
      timeout: config.timeout,
      guard: (message, local) => this.#guard(message, local),
      extension: this.#extension(),
      screen: new Screen(config, options.log),
      pingSeconds: pingSeconds(config.timeout),
      onRequest: (request, response) => this.#polls.watch(request, response),
    });
    this.bayeux.adapter.on('disconnect', (clientId: string) =>
      this.#expired(clientId),
    );
    this.bayeux.adapter.on('subscribe', (clientId: string, channel: string) =>
      this.#subscribed(clientId, channel),
    );
  }

  get writer(): Writer {
    return this.#options.writer;
  }

  /** Whether the client's last message came over a still-open WebSocket. */
  onWebSocket(clientId: string): boolean {
    return this.#sockets.hasOpenSocket(clientId);
  }

  start(): void {
    const { config } = this.#options;
    this.#timers.push(setInterval(() => this.tick(), config.publishTick));
    this.#timers.push(
      setInterval(() => this.checkpoint(), config.checkpointInterval * 1000),
    );
  }

  /** One publish tick: due leaves happen, then changed rooms publish. */
  tick(): void {
    const now = this.#options.clock.now();
    for (const clientId of this.tracker.sweep(now)) {
      this.bayeux.destroyClient(clientId);
    }
    const published = this.#publisher.tick();
    this.#sendSnapshots(published);
  }

  /**
   * New subscribers get the current list once: by this tick's broadcast
   * when their room changed (their own join, usually), else by a message
   * of their own. Never both.
   */
  #sendSnapshots(published: ReadonlySet<string>): void {
    for (const [channel, clients] of this.#snapshots) {
      const room = channel.slice(0, -USER_LIST_SUFFIX.length);
      if (published.has(room)) continue;
      const message = userListMessage(this.tracker.users(room));
      for (const clientId of clients) {
        this.bayeux.deliverTo(clientId, channel, message);
      }
    }
    this.#snapshots.clear();
  }

  /** Persists each open session's last sign of life (crash recovery). */
  checkpoint(): void {
    this.#touch(this.#polls.holding());
    for (const session of this.tracker.openSessions()) {
      const seen = Math.max(
        session.start,
        ...session.clients.map((id) => this.tracker.lastSeenOf(id) ?? 0),
      );
      if (this.#checkpointed.get(session.id) === seen) continue;
      this.#checkpointed.set(session.id, seen);
      this.writer.push({ kind: 'checkpoint', id: session.id, lastSeen: seen });
    }
  }

  /**
   * Clean shutdown: clients still in contact end now with reason
   * `shutdown`; one that stopped answering pings ends at its last sign.
   */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    const { clock, config } = this.#options;
    this.#touch(this.#polls.holding());
    const liveWindowMs = 2 * pingSeconds(config.timeout) * 1000 + 1000;
    this.tracker.endAll('shutdown', clock.now(), liveWindowMs);
    this.#sockets.destroyAll();
    this.bayeux.close();
    await this.writer.flush();
  }

  #guard(message: unknown, local: boolean): BayeuxError | null {
    const checked = checkMessage(message);
    if (!checked.ok) {
      const clientId = (message as { clientId?: unknown } | null)?.clientId;
      this.#options.log.warn(
        {
          clientId: typeof clientId === 'string' ? clientId : undefined,
          error: checked.error.message,
        },
        'message refused',
      );
      return checked.error;
    }
    this.#presence.set(message as object, checked.presence);
    const { channel } = message as { channel: string };
    if (!local && isUserListChannel(channel)) {
      return new BayeuxError(
        403,
        [channel],
        'only the server publishes to user lists',
      );
    }

    return null;
  }

  #extension(): Extension {
    return {
      incoming: (message, request, callback) => {
        this.#incoming(message, request).then(
          () => callback(message),
          (error: unknown) => {
            this.#options.log.error(
              { err: error },
              'presence extension failed',
            );
            message.error = '500::internal error';
            callback(message);
          },
        );
      },
    };
  }

  async #incoming(message: Message, request: IncomingMessage | null) {
    const clientId = message.clientId;
    if (typeof clientId !== 'string' || request === null) return;
    const now = this.#options.clock.now();
    const channel = message.channel as string;
    // The signal is for the server; a subscriber to `/**` must learn
    // nothing from it (a clientId in the data would be worth stealing).
    if (channel === BEFORE_LEAVE_CHANNEL) message.data = {};
    if (channel === '/meta/disconnect') {
      this.#end(clientId, now);
      return;
    }
    const presence = this.#presence.get(message) ?? null;
    if (this.tracker.has(clientId)) {
      return this.#known(message, clientId, presence, request, now);
    }
    if (presence === null) return;
    if (this.writer.saturated) {
      message.error = new BayeuxError(
        503,
        [],
        'server busy, try again',
      ).toString();
      return;
    }
    // A clientId the engine no longer knows (expired, destroyed) must not
    // come back to life through a late message.
    if (!(await this.bayeux.clientExists(clientId))) return;
    if (this.tracker.has(clientId)) return;
    this.tracker.connect(clientId, presence, this.#options.clock.now());
    this.#noteTransport(clientId, message, request);
  }

  #known(
    message: Message,
    clientId: string,
    presence: Presence | null,
    request: IncomingMessage,
    now: number,
  ): void {
    const current = this.tracker.presenceOf(clientId);
    if (
      presence !== null &&
      current !== undefined &&
      !sameSeat(presence, current)
    ) {
      message.error = seatChanged(current, presence).toString();
      return;
    }
    this.tracker.seen(clientId, now);
    this.#noteTransport(clientId, message, request);
    if (message.channel === BEFORE_LEAVE_CHANNEL)
      this.#beforeLeave(clientId, now);
  }

  /**
   * A page may be going away. Over a WebSocket, its close is the signal we
   * wait for; over long-polling, the held connect is answered so that a page
   * that stays polls again at once and so clears the suspicion.
   */
  #beforeLeave(clientId: string, now: number): void {
    if (this.#sockets.hasOpenSocket(clientId)) return;
    this.tracker.suspect(clientId, 'before_leave', now);
    this.bayeux.releaseLongPoll(clientId);
  }

  #end(clientId: string, now: number): void {
    this.#sockets.forget(clientId);
    this.tracker.end(clientId, 'disconnect', now, now);
  }

  #expired(clientId: string): void {
    this.#sockets.forget(clientId);
    this.tracker.endAtLastSeen(clientId, 'timeout', this.#options.clock.now());
  }

  #noteTransport(clientId: string, message: Message, request: IncomingMessage) {
    this.#sockets.note(clientId, request);
    if (message.channel === '/meta/connect')
      this.#polls.hold(clientId, request);
  }

  #touch(clientIds: readonly string[]): void {
    const now = this.#options.clock.now();
    for (const clientId of clientIds) this.tracker.touch(clientId, now);
  }

  #connectionsLost(clientIds: readonly string[]): void {
    const now = this.#options.clock.now();
    for (const clientId of clientIds) {
      this.tracker.suspect(clientId, 'socket_closed', now);
    }
  }

  #subscribed(clientId: string, channel: string): void {
    if (!channel.endsWith(USER_LIST_SUFFIX)) return;
    let clients = this.#snapshots.get(channel);
    if (clients === undefined) {
      clients = new Set();
      this.#snapshots.set(channel, clients);
    }
    clients.add(clientId);
  }

  #route(event: TrackerEvent): void {
    const { log } = this.#options;
    this.events.emit('event', event);
    switch (event.type) {
      case 'client_disconnected':
        this.#polls.forget(event.clientId);
        return this.#logRow(event);
      case 'client_connected':
        return this.#logRow(event);
      case 'session_opened':
        this.writer.push({ kind: 'open', ...event });
        return;
      case 'session_closed':
        this.#checkpointed.delete(event.id);
        this.writer.push({ kind: 'close', ...event });
        return;
      case 'user_joined':
        log.info({ room: event.room, uid: event.uid }, 'user joined');
        return;
      case 'user_left':
        log.info({ room: event.room, uid: event.uid }, 'user left');
        return;
      case 'room_changed':
        this.#publisher.markDirty(event.room);
        return;
    }
  }

  #logRow(
    event: Extract<
      TrackerEvent,
      { type: 'client_connected' | 'client_disconnected' }
    >,
  ): void {
    const { clientId, presence, at } = event;
    const disconnect = event.type === 'client_disconnected';
    this.writer.push({
      kind: 'log',
      event: disconnect ? 'disconnect' : 'connect',
      uid: presence.uid,
      channel: presence.timeChannel,
      clientId,
      at,
      reason: disconnect ? event.reason : null,
      room: presence.room,
      uname: presence.uname,
    });
    this.#options.log.debug(
      {
        clientId,
        uid: presence.uid,
        channel: presence.timeChannel,
        reason: disconnect ? event.reason : undefined,
      },
      disconnect ? 'client disconnected' : 'client connected',
    );
  }
}

/** WebSocket pings often enough to notice a silent peer within a heartbeat. */
function pingSeconds(timeout: number): number {
  return Math.min(10, Math.max(1, timeout / 2));
}

/** One client is one seat; a page that moves rooms needs a new client. */
function seatChanged(was: Presence, now: Presence): BayeuxError {
  const seat = (p: Presence) =>
    `uid ${p.uid} in ${p.room} timing ${p.timeChannel}`;

  return new BayeuxError(
    409,
    ['auth'],
    `presence cannot change within a client: expected ${seat(was)}, ` +
      `got ${seat(now)}`,
  );
}

function sameSeat(a: Presence, b: Presence): boolean {
  return (
    a.uid === b.uid && a.room === b.room && a.timeChannel === b.timeChannel
  );
}
