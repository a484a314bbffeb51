import type { IncomingMessage, ServerResponse } from 'node:http';

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
  readonly #alive: (clientIds: readonly string[]) => void;

  constructor(alive: (clientIds: readonly string[]) => void) {
    this.#alive = alive;
  }

  /** Every /faye HTTP request passes here with its response. */
  watch(request: IncomingMessage, response: ServerResponse): void {
    this.#watched.add(request);
    response.once('close', () => this.#closed(request));
  }

  /** A client's `/meta/connect` arrived over this request. */
  hold(clientId: string, request: IncomingMessage): void {
    if (!this.#watched.has(request)) return;
    this.#held.set(clientId, request);
    let clients = this.#clientsOf.get(request);
    if (clients === undefined) {
      clients = new Set();
      this.#clientsOf.set(request, clients);
    }
    clients.add(clientId);
  }

  forget(clientId: string): void {
    this.#held.delete(clientId);
  }

  /** Clients with a connect held right now. */
  holding(): string[] {
    return [...this.#held.keys()];
  }

  #closed(request: IncomingMessage): void {
    const clients = [...(this.#clientsOf.get(request) ?? [])];
    for (const clientId of clients) {
      if (this.#held.get(clientId) === request) this.#held.delete(clientId);
    }
    if (clients.length > 0) this.#alive(clients);
  }
}
