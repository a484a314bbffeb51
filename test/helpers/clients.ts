import Faye from 'faye';
import type { Client } from 'faye';

export interface Seat {
  uid: number | string;
  uname: string;
  room?: string;
  timeChannel?: string;
}

export interface ClientOptions {
  /** Presence under `ext.auth` (default) or top-level `auth` (the gem's). */
  readonly placement?: 'ext' | 'top';
  /** Force a transport: long-polling or WebSocket. */
  readonly transport?: 'long-polling' | 'websocket';
}

export const ROOM = '/classes/4';
export const LESSON = '/courses/5/lessons/1';

export function authFor(seat: Seat) {
  return {
    room_channel: seat.room ?? ROOM,
    time_channel: seat.timeChannel ?? LESSON,
    current_user: { uid: seat.uid, uname: seat.uname },
  };
}

/** A real faye client that carries presence on every message. */
export function onlineClient(
  url: string,
  seat: Seat,
  options: ClientOptions = {},
): Client {
  const client = new Faye.Client(`${url}/faye`, { retry: 0.2 });
  if (options.transport === 'long-polling') client.disable('websocket');
  if (options.transport === 'websocket') {
    // The handshake always goes over HTTP; faye then upgrades to the best
    // transport, which for a Node client is the WebSocket.
    client.disable('callback-polling');
    client.disable('eventsource');
  }
  const auth = authFor(seat);
  client.addExtension({
    outgoing(message, _request, callback) {
      if (typeof message.clientId === 'string') {
        clientIds.set(client, message.clientId);
      }
      if (options.placement === 'top') message.auth = auth;
      else message.ext = { ...(message.ext as object), auth };
      callback(message);
    },
  });

  return client;
}

const clientIds = new WeakMap<Client, string>();

/** The clientId a client last sent (faye has no public getter for it). */
export function clientIdOf(client: Client): string {
  const id = clientIds.get(client);
  if (id === undefined) throw new Error('client has not sent a clientId yet');

  return id;
}

/** Resolves once the client has completed its handshake and connect. */
export function connected(client: Client): Promise<void> {
  return new Promise((resolve) => client.connect(resolve));
}

/** Every message a client receives on a channel, oldest first. */
export function record<T = any>(client: Client, channel: string) {
  const messages: T[] = [];
  const subscription = client.subscribe(channel, (data: T) => {
    messages.push(data);
  });
  const ready = new Promise<void>((resolve, reject) =>
    subscription.then(resolve, reject),
  );

  return { messages, ready, subscription };
}

/**
 * Disconnects and waits for the server's answer: a client whose disconnect
 * is still in flight when its server stops would retry forever.
 */
export async function closeClient(client: Client): Promise<void> {
  const done = client.disconnect();
  if (done !== undefined)
    await new Promise<void>((r) => done.then(r, () => r()));
}
