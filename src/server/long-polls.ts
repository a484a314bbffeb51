import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LongPollEvents {
  /** The connection was there until now. */
  readonly alive: (clientIds: readonly string[]) => void;
  /** A held connect was cut off before it was answered. */
  readonly dropped: (clientIds: readonly string[]) => void;
}

/**
 * Long-polling clients in contact with us. A `/meta/connect` held open is
 * a live connection to the client, so while one is held the client counts
 * as present, and when its response closes (answered, or the peer went
 * away) that instant is the client's last sign of life.
 */
export class LongPolls {
  readonly #held = new Map<string, IncomingMessage>();
  readonly #clientsOf = new WeakMap<IncomingMessage, Set<string>>();
  readonly #watched = new WeakSet<IncomingMessage>();
  /** The connection that carried each client's latest connect. */
  readonly #socketOf = new Map<string, Socket>();
  readonly #clientsOn = new WeakMap<Socket, Set<string>>();
  readonly #events: LongPollEvents;

  constructor(events: LongPollEvents) {
    this.#events = events;
  }

  /** Every /faye HTTP request passes here with its response. */
  watch(request: IncomingMessage, response: ServerResponse): void {
    this.#watched.add(request);
    response.once('close', () =>
      this.#closed(request, !response.writableFinished),
    );
  }

  /** A client's `/meta/connect` arrived over this request. */
  hold(clientId: string, request: IncomingMessage): void {
    if (!this.#watched.has(request)) return;
    this.#held.set(clientId, request);
    this.#watchSocket(clientId, request.socket);
    let clients = this.#clientsOf.get(request);
    if (clients === undefined) {
      clients = new Set();
      this.#clientsOf.set(request, clients);
    }
    clients.add(clientId);
  }

  forget(clientId: string): void {
    this.#held.delete(clientId);
    const socket = this.#socketOf.get(clientId);
    if (socket !== undefined) this.#clientsOn.get(socket)?.delete(clientId);
    this.#socketOf.delete(clientId);
  }

  /**
   * A page can die in the instant between an answered connect and the next
   * one, when no connect is held; the keep-alive connection that carried
   * its polls closes then. A false alarm (an idle connection closed while
   * the client polls on another) costs nothing: its next poll clears it.
   */
  #watchSocket(clientId: string, socket: Socket): void {
    const previous = this.#socketOf.get(clientId);
    if (previous === socket) return;
    if (previous !== undefined) this.#clientsOn.get(previous)?.delete(clientId);
    this.#socketOf.set(clientId, socket);
    let clients = this.#clientsOn.get(socket);
    if (clients !== undefined) {
      clients.add(clientId);
      return;
    }
    clients = new Set([clientId]);
    this.#clientsOn.set(socket, clients);
    socket.once('close', () => {
      const gone = [...(this.#clientsOn.get(socket) ?? [])].filter(
        (id) => this.#socketOf.get(id) === socket && !this.#held.has(id),
      );
      for (const clientId of gone) this.#socketOf.delete(clientId);
      if (gone.length > 0) this.#events.dropped(gone);
    });
  }

  /** Clients with a connect held right now. */
  holding(): string[] {
    return [...this.#held.keys()];
  }

  #closed(request: IncomingMessage, aborted: boolean): void {
    const clients = [...(this.#clientsOf.get(request) ?? [])];
    const held = clients.filter((id) => this.#held.get(id) === request);
    for (const clientId of held) this.#held.delete(clientId);
    if (clients.length > 0) this.#events.alive(clients);
    // A held connect whose connection went away before we answered it: the
    // page is gone or its network is, like a closed WebSocket.
    if (aborted && held.length > 0) this.#events.dropped(held);
  }
}
