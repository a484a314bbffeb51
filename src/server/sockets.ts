import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export interface SocketEvents {
  /** Bytes arrived, or the peer closed: its clients were there just now. */
  readonly alive: (clientIds: readonly string[]) => void;
  readonly closed: (clientIds: readonly string[]) => void;
}

/** Bytes on a socket count as a sign of life at most this often. */
const ALIVE_EVERY_MS = 1000;

/**
 * Which clients speak over which WebSocket. Faye tells nobody when a
 * WebSocket closes, so we watch the TCP socket under the upgrade request;
 * any bytes on it (pongs to the server's pings included) show the peer is
 * still there, so an idle client's time does not end at its last message.
 */
export class SocketWatch {
  readonly #socketOf = new Map<string, Socket>();
  readonly #clientsOf = new WeakMap<Socket, Set<string>>();
  readonly #open = new Set<Socket>();
  readonly #events: SocketEvents;

  constructor(events: SocketEvents) {
    this.#events = events;
  }

  /** Records the transport a client's message came over. */
  note(clientId: string, request: IncomingMessage | null): void {
    const socket = isWebSocket(request) ? request.socket : undefined;
    const previous = this.#socketOf.get(clientId);
    if (previous === socket) return;
    // A plain HTTP message beside an open WebSocket (the page's
    // before_leave beacon) is no change of transport: the socket's close
    // must stay the leave signal.
    if (socket === undefined && previous !== undefined && !previous.destroyed) {
      return;
    }
    if (previous !== undefined) this.#clientsOf.get(previous)?.delete(clientId);
    if (socket === undefined || socket.destroyed) {
      this.#socketOf.delete(clientId);
      return;
    }
    this.#socketOf.set(clientId, socket);
    this.#watch(socket).add(clientId);
  }

  hasOpenSocket(clientId: string): boolean {
    const socket = this.#socketOf.get(clientId);

    return socket !== undefined && !socket.destroyed;
  }

  forget(clientId: string): void {
    const socket = this.#socketOf.get(clientId);
    if (socket !== undefined) this.#clientsOf.get(socket)?.delete(clientId);
    this.#socketOf.delete(clientId);
  }

  /** Ends every WebSocket (shutdown); upgraded sockets escape server.close. */
  destroyAll(): void {
    for (const socket of this.#open) socket.destroy();
  }

  #watch(socket: Socket): Set<string> {
    let clients = this.#clientsOf.get(socket);
    if (clients !== undefined) return clients;
    clients = new Set();
    this.#clientsOf.set(socket, clients);
    this.#open.add(socket);
    let aliveAt = 0;
    socket.on('data', () => {
      const now = Date.now();
      if (now - aliveAt < ALIVE_EVERY_MS) return;
      aliveAt = now;
      this.#events.alive([...(this.#clientsOf.get(socket) ?? [])]);
    });
    socket.once('close', () => {
      this.#open.delete(socket);
      const gone = [...(this.#clientsOf.get(socket) ?? [])];
      for (const clientId of gone) this.#socketOf.delete(clientId);
      if (gone.length === 0) return;
      this.#events.alive(gone);
      this.#events.closed(gone);
    });

    return clients;
  }
}

function isWebSocket(
  request: IncomingMessage | null,
): request is IncomingMessage {
  return request?.headers.upgrade?.toLowerCase() === 'websocket';
}
