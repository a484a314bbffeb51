import type { IncomingMessage } from 'node:http';
import Faye, {
  type Client,
  type Extension,
  type Message,
  type NodeAdapter,
} from 'faye';
import { wrapNonMessages, type BayeuxError } from '../guard/message.js';

/**
 * Everything that reaches into faye's internals lives in this file, tied to
 * faye 1.4.3 (pinned in package.json). A Redis engine or a faye upgrade
 * changes only this file.
 */
interface FayeProcess {
  (
    messages: unknown,
    request: IncomingMessage | null,
    callback: (replies: Message[]) => void,
    context?: unknown,
  ): void;
}

interface MemoryEngine {
  _messages: Map<string, Message[]>;
  emptyQueue(clientId: string): void;
}

interface EngineProxy {
  _engine: MemoryEngine;
  timeout: number;
  clientExists(clientId: string, callback: (exists: boolean) => void): void;
  destroyClient(clientId: string): void;
  hasConnection(clientId: string): boolean;
  connection(clientId: string, create: boolean): { socket: unknown } | undefined;
  flushConnection(clientId: string): void;
}

interface FayeServer {
  process: FayeProcess;
  _engine: EngineProxy;
}

/** Checks a message before faye sees it; a refusal becomes the reply. */
export type Guard = (message: unknown, local: boolean) => BayeuxError | null;

export interface BayeuxOptions {
  readonly mount: string;
  /** Seconds a `/meta/connect` is held. */
  readonly timeout: number;
  readonly guard: Guard;
  readonly extension: Extension;
}

export class Bayeux {
  readonly adapter: NodeAdapter;
  readonly #engine: EngineProxy;
  #local: Client | undefined;

  constructor(options: BayeuxOptions) {
    this.adapter = new Faye.NodeAdapter({
      mount: options.mount,
      timeout: options.timeout,
    });
    const server = (this.adapter as unknown as { _server: FayeServer })._server;
    this.#engine = server._engine;
    guardProcess(server, options.guard);
    guardParse(this.adapter);
    this.adapter.addExtension(options.extension);
  }

  clientExists(clientId: string): Promise<boolean> {
    return new Promise((resolve) => this.#engine.clientExists(clientId, resolve));
  }

  destroyClient(clientId: string): void {
    this.#engine.destroyClient(clientId);
  }

  /**
   * Answers a held long-poll `/meta/connect` now, so a client that is still
   * there polls again at once. WebSocket connections are left alone:
   * flushing one would close its socket.
   */
  releaseLongPoll(clientId: string): void {
    const connection = this.#engine.connection(clientId, false);
    if (connection === undefined || connection.socket) return;
    this.#engine.flushConnection(clientId);
  }

  /**
   * Delivers one message to one client, as the memory engine does for a
   * publication: queue it, then hand the queue over if the client is
   * connected (otherwise its next `/meta/connect` collects it).
   */
  deliverTo(clientId: string, channel: string, data: unknown): void {
    const memory = this.#engine._engine;
    const queue = memory._messages.get(clientId) ?? [];
    queue.push({ channel, data });
    memory._messages.set(clientId, queue);
    memory.emptyQueue(clientId);
  }

  publish(channel: string, data: unknown): void {
    this.#local ??= this.adapter.getClient();
    this.#local.publish(channel, data);
  }

  close(): void {
    // The in-process client polls on timers of its own; end it first.
    this.#local?.disconnect();
    this.adapter.close();
  }
}

/**
 * Runs the guard synchronously on every message of a request before faye's
 * own processing, and answers refused messages ourselves. Faye throws on
 * some malformed values; done here, no such value ever reaches it.
 */
function guardProcess(server: FayeServer, guard: Guard): void {
  const original = server.process.bind(server);
  server.process = (messages, request, callback, context) => {
    const accepted: unknown[] = [];
    const refused: Message[] = [];
    for (const message of ([] as unknown[]).concat(messages)) {
      const error = guard(message, request === null);
      if (error === null) accepted.push(message);
      else refused.push(refusal(message, error));
    }
    if (accepted.length === 0) return callback.call(context, refused);

    original(accepted, request, (replies) => {
      callback.call(context, [...refused, ...replies]);
    });
  };
}

/** Both the HTTP and the WebSocket path parse through `_parseJSON`. */
function guardParse(adapter: NodeAdapter): void {
  const target = adapter as unknown as { _parseJSON(json: string): unknown };
  const parse = target._parseJSON.bind(target);
  target._parseJSON = (json) => wrapNonMessages(parse(json));
}

function refusal(message: unknown, error: BayeuxError): Message {
  const reply: Message = { successful: false, error: error.toString() };
  if (typeof message !== 'object' || message === null) return reply;
  const { id, clientId, channel } = message as Record<string, unknown>;
  if (typeof id === 'string' || typeof id === 'number') reply.id = id;
  if (typeof clientId === 'string') reply.clientId = clientId;
  if (typeof channel === 'string') reply.channel = channel;

  return reply;
}
