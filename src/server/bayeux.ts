import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import Faye, {
  type Client,
  type Extension,
  type Message,
  type NodeAdapter,
} from 'faye';
import WebSocket from 'faye-websocket';
import { BayeuxError, wrapNonMessages } from '../guard/message.js';
import type { Screen } from '../guard/screen.js';

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
  connection(
    clientId: string,
    create: boolean,
  ): { socket: unknown } | undefined;
  flushConnection(clientId: string): void;
}

interface FayeServer {
  process: FayeProcess;
  _engine: EngineProxy;
  openSocket(
    clientId: string,
    socket: WebSocket,
    request: IncomingMessage,
  ): void;
  closeSocket(clientId: string | null, close?: boolean): void;
}

/** The NodeAdapter methods `attach` routes /faye requests to. */
interface AdapterInternals {
  handle(request: IncomingMessage, response: ServerResponse): void;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Checks a message before faye sees it; a refusal becomes the reply. */
export type Guard = (message: unknown, local: boolean) => BayeuxError | null;

export interface BayeuxOptions {
  readonly mount: string;
  /** Seconds a `/meta/connect` is held. */
  readonly timeout: number;
  readonly guard: Guard;
  readonly extension: Extension;
  /** Hostile-input checks and signed identity (issue #3). */
  readonly screen?: Screen;
  /** Seconds between WebSocket pings, which peers answer with pongs. */
  readonly pingSeconds?: number;
  /** Sees every /faye HTTP request and its response before faye does. */
  readonly onRequest?: (
    request: IncomingMessage,
    response: ServerResponse,
  ) => void;
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
    const { screen } = options;
    guardProcess(server, options.guard, screen);
    guardParse(this.adapter);
    this.adapter.addExtension(options.extension);
    if (screen !== undefined) {
      this.adapter.addExtension(screen.extension());
      this.adapter.on('disconnect', (id: string) => screen.forget(id));
      screenTransports(this.adapter, server, screen, options);
    }
  }

  clientExists(clientId: string): Promise<boolean> {
    return new Promise((resolve) =>
      this.#engine.clientExists(clientId, resolve),
    );
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
    // The memory engine answers at once; a queue for a client that is gone
    // would never be emptied.
    this.#engine.clientExists(clientId, (exists) => {
      if (!exists) return;
      const queue = memory._messages.get(clientId) ?? [];
      queue.push({ channel, data });
      memory._messages.set(clientId, queue);
      memory.emptyQueue(clientId);
    });
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
 * Runs the checks on every message of a request before faye's own
 * processing, and answers refused messages ourselves. Faye throws on some
 * malformed values; done here, no such value ever reaches it. Remote
 * messages first pass the screen (batch size, hostile input, identity,
 * which may verify a token asynchronously), then the guard, synchronously.
 */
function guardProcess(server: FayeServer, guard: Guard, screen?: Screen): void {
  const original = server.process.bind(server);
  const run = (
    messages: unknown[],
    errors: readonly (BayeuxError | null)[],
    request: IncomingMessage | null,
    answer: (replies: Message[]) => void,
  ) => {
    const accepted: unknown[] = [];
    const refused: Message[] = [];
    messages.forEach((message, i) => {
      const error = errors[i] ?? guard(message, request === null);
      if (error === null) accepted.push(message);
      else refused.push(refusal(message, error));
    });
    if (accepted.length === 0) return answer(refused);

    original(accepted, request, (replies) => {
      screen?.replied(accepted, replies);
      answer([...refused, ...replies]);
    });
  };

  server.process = (messages, request, callback, context) => {
    const list = ([] as unknown[]).concat(messages);
    const answer = (replies: Message[]) => callback.call(context, replies);
    if (request === null || screen === undefined) {
      return run(list, [], request, answer);
    }
    const batch = screen.checkBatch(list);
    if (batch !== null) return answer([refusal(null, batch)]);

    Promise.all(list.map(async (message) => screen.admit(message, request)))
      .then((errors) => run(list, errors, request, answer))
      .catch(() => {
        const failed = new BayeuxError(500, [], 'internal error');
        answer(list.map((message) => refusal(message, failed)));
      });
  };
}

/**
 * Puts the screen in front of faye's HTTP and WebSocket handling: `attach`
 * routes /faye requests to these two adapter methods, looked up per call.
 */
function screenTransports(
  adapter: NodeAdapter,
  server: FayeServer,
  screen: Screen,
  options: BayeuxOptions,
): void {
  const internals = adapter as unknown as AdapterInternals;
  const handle = internals.handle.bind(adapter);
  internals.handle = (request, response) => {
    if (screen.request(request, response)) return;
    options.onRequest?.(request, response);
    handle(request, response);
  };
  internals.handleUpgrade = (request, socket, head) => {
    if (!screen.upgrade(request, socket)) {
      acceptWebSocket(
        server,
        screen,
        request,
        socket,
        head,
        options.pingSeconds,
      );
    }
  };
}

/**
 * faye's own upgrade handling, with what it lacks: a frame limit (the
 * driver closes with 1009 past it), a deadline for the handshake, and no
 * crash on frames that are not Bayeux.
 */
function acceptWebSocket(
  server: FayeServer,
  screen: Screen,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ping: number | undefined,
): void {
  let ws: WebSocket | null = new WebSocket(request, socket, head, [], {
    maxLength: screen.frameLimit,
    ping,
  });
  let clientId: string | null = null;
  const seconds = screen.handshakeTimeoutMs / 1000;
  const deadline = setTimeout(
    () => ws?.close(4000, `no handshake within ${seconds} s`),
    screen.handshakeTimeoutMs,
  );
  deadline.unref();
  const send = (replies: unknown) => ws?.send(JSON.stringify(replies));

  ws.onmessage = (event) => {
    const messages = parseFrame(event.data);
    if (messages === null) {
      const error = new BayeuxError(400, ['message'], 'expected JSON messages');
      return send([refusal(null, error)]);
    }
    const id = connectClientId(messages);
    if (clientId !== null && id !== null && id !== clientId) {
      server.closeSocket(clientId, false);
    }
    if (id !== null) {
      server.openSocket(id, ws as WebSocket, request);
      clientId = id;
    }
    server.process(messages, request, (replies) => {
      if (replies.some((r) => r.successful === true && r.clientId)) {
        clearTimeout(deadline);
      }
      send(replies);
    });
  };
  ws.onclose = () => {
    clearTimeout(deadline);
    server.closeSocket(clientId);
    ws = null;
  };
}

function parseFrame(data: string): unknown[] | null {
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null
      ? ([] as unknown[]).concat(wrapNonMessages(parsed))
      : null;
  } catch {
    return null;
  }
}

/** The clientId of the frame's `/meta/connect`, as faye routes sockets. */
function connectClientId(messages: readonly unknown[]): string | null {
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    const { channel, clientId } = message as Record<string, unknown>;
    if (channel === '/meta/connect' && typeof clientId === 'string') {
      return clientId;
    }
  }

  return null;
}

/** Both the HTTP and the WebSocket path parse through `_parseJSON`. */
function guardParse(adapter: NodeAdapter): void {
  const target = adapter as unknown as { _parseJSON(json: string): unknown };
  const parse = target._parseJSON.bind(target);
  target._parseJSON = (json) => wrapNonMessages(parse(json));
}

function refusal(message: unknown, error: BayeuxError): Message {
  const reply: Message = { successful: false, error: error.toString() };
  if (error.advice !== undefined) reply.advice = { ...error.advice };
  if (typeof message !== 'object' || message === null) return reply;
  const { id, clientId, channel } = message as Record<string, unknown>;
  if (typeof id === 'string' || typeof id === 'number') reply.id = id;
  if (typeof clientId === 'string') reply.clientId = clientId;
  if (typeof channel === 'string') reply.channel = channel;

  return reply;
}
