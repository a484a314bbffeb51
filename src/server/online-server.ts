import { EventEmitter } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import pino, { type Logger } from 'pino';
import { parseConfig } from '../config/schema.js';
import type { TrackerEvent } from '../presence/events.js';
import { outputUid } from '../presence/uid.js';
import { onlineTimeAnswer } from '../reports/answers.js';
import type { OnlineList } from '../reports/online.js';
import type { Attendance, UserChannelTime } from '../reports/online-time.js';
import { assemble, type Assembly } from './app.js';
import type {
  OnlineListener,
  OnlineServer,
  OnlineServerEvents,
  OnlineServerOptions,
  TimeOptions,
} from './online-types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * faye-online inside an application that already has an HTTP server:
 * `attach` adds Faye at `/faye` and the JSON API at `/api/`; the methods
 * answer the same questions in process.
 */
class AttachedServer implements OnlineServer {
  readonly #assembly: Assembly;
  readonly #events = new EventEmitter();
  readonly #log: Logger;

  constructor(assembly: Assembly, log: Logger) {
    this.#assembly = assembly;
    this.#log = log;
    assembly.presence.events.on('event', (event: TrackerEvent) =>
      this.#forward(event),
    );
  }

  attach(server: HttpServer): this {
    this.#assembly.attach(server);

    return this;
  }

  /** Who is online in a room now (the live list, as `/api/online`). */
  async online(room: string): Promise<OnlineList> {
    const users = this.#assembly.presence.tracker.users(room).map((user) => ({
      uid: outputUid(user.uid),
      uname: user.uname,
      clients: user.clients,
      since: iso(user.since),
    }));

    return { room, count: users.length, users };
  }

  /** One user's time in one channel, as `/api/online-time`. */
  async onlineTime(
    query: { uid: number | string; channel: string } & TimeOptions,
  ): Promise<UserChannelTime> {
    const { uid, channel, ...time } = query;
    const answer = await this.#answer({
      uid: String(uid),
      channel,
      ...rawTime(time),
    });

    return answer as UserChannelTime;
  }

  /** Every user's time in a channel, most first. */
  async attendance(
    channel: string,
    time: TimeOptions = {},
  ): Promise<Attendance> {
    return (await this.#answer({ channel, ...rawTime(time) })) as Attendance;
  }

  on<K extends keyof OnlineServerEvents>(
    event: K,
    listener: OnlineListener<K>,
  ): this {
    this.#events.on(event, listener);

    return this;
  }

  off<K extends keyof OnlineServerEvents>(
    event: K,
    listener: OnlineListener<K>,
  ): this {
    this.#events.off(event, listener);

    return this;
  }

  /** Ends every session (reason `shutdown`), flushes, closes the database. */
  close(): Promise<void> {
    return this.#assembly.close();
  }

  async #answer(raw: Record<string, string | undefined>): Promise<object> {
    const { presence, db, clock } = this.#assembly;
    await presence.writer.flush();

    return (await onlineTimeAnswer(db, raw, clock.now())).body;
  }

  #forward(event: TrackerEvent): void {
    const mapped = publicEvent(event);
    if (mapped === null) return;
    // A hook's bug must not break presence tracking.
    try {
      this.#events.emit(mapped.name, mapped.payload);
    } catch (error) {
      this.#log.error(
        { err: error, event: mapped.name },
        'event listener failed',
      );
    }
  }
}

function publicEvent(event: TrackerEvent) {
  switch (event.type) {
    case 'user_joined': {
      const { room, uid, uname, at } = event;
      return {
        name: 'join',
        payload: { room, uid: outputUid(uid), uname, at: iso(at) },
      };
    }
    case 'user_left': {
      const { room, uid, at } = event;
      return {
        name: 'leave',
        payload: { room, uid: outputUid(uid), at: iso(at) },
      };
    }
    case 'session_closed': {
      const { id, uid, channel, start, end, reason } = event;
      const payload = {
        id,
        uid: outputUid(uid),
        channel,
        start: iso(start),
        end: iso(end),
        seconds: (end - start) / 1000,
        reason,
      };
      return { name: 'session', payload };
    }
    default:
      return null;
  }
}

function rawTime(time: TimeOptions): Record<string, string | undefined> {
  const text = (value: string | Date | undefined) =>
    value instanceof Date ? value.toISOString() : value;

  return { from: text(time.from), to: text(time.to), tz: time.tz, by: time.by };
}

/**
 * Opens the database (running migrations and crash recovery) and starts
 * presence tracking; call `attach(server)` to serve clients.
 */
export async function createOnlineServer(
  options: OnlineServerOptions = {},
): Promise<OnlineServer> {
  const { logger, clock, ...config } = options;
  const log = logger ?? pino({ level: 'silent' });
  const assembly = await assemble({ config: parseConfig(config), log, clock });
  assembly.presence.start();

  return new AttachedServer(assembly, log);
}
