import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import type { ConfigInput } from '../config/schema.js';
import type { Clock } from '../presence/clock.js';
import type { OnlineList } from '../reports/online.js';
import type { Attendance, UserChannelTime } from '../reports/online-time.js';

/**
 * The public shape of the Node API, kept apart from its implementation so
 * that the published declarations name nothing of faye's internals.
 */
export type OnlineServerOptions = Partial<ConfigInput> & {
  /** A pino logger; by default the server logs nothing. */
  readonly logger?: Logger;
  readonly clock?: Clock;
};

/** A range and zone for time questions, as the HTTP API takes them. */
export interface TimeOptions {
  readonly from?: string | Date;
  readonly to?: string | Date;
  readonly tz?: string;
  readonly by?: 'day';
}

export interface JoinEvent {
  readonly room: string;
  readonly uid: number | string;
  readonly uname: string;
  readonly at: string;
}

export interface LeaveEvent {
  readonly room: string;
  readonly uid: number | string;
  readonly at: string;
}

/** A session that ended: one continuous period of a user in a channel. */
export interface SessionEvent {
  readonly id: string;
  readonly uid: number | string;
  readonly channel: string;
  readonly start: string;
  readonly end: string;
  readonly seconds: number;
  readonly reason: string;
}

export interface OnlineServerEvents {
  join: JoinEvent;
  leave: LeaveEvent;
  session: SessionEvent;
}

export type OnlineListener<K extends keyof OnlineServerEvents> = (
  event: OnlineServerEvents[K],
) => void;

/**
 * faye-online inside an application that already has an HTTP server:
 * `attach` adds Faye at `/faye` and the JSON API at `/api/`; the methods
 * answer the same questions in process.
 */
export interface OnlineServer {
  attach(server: HttpServer): this;
  /** Who is online in a room now (the live list, as `/api/online`). */
  online(room: string): Promise<OnlineList>;
  /** One user's time in one channel, as `/api/online-time`. */
  onlineTime(
    query: { uid: number | string; channel: string } & TimeOptions,
  ): Promise<UserChannelTime>;
  /** Every user's time in a channel, most first. */
  attendance(channel: string, time?: TimeOptions): Promise<Attendance>;
  on<K extends keyof OnlineServerEvents>(
    event: K,
    listener: OnlineListener<K>,
  ): this;
  off<K extends keyof OnlineServerEvents>(
    event: K,
    listener: OnlineListener<K>,
  ): this;
  /** Ends every session (reason `shutdown`), flushes, closes the database. */
  close(): Promise<void>;
}
