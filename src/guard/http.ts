import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { allowedOrigins, type Config } from '../config/schema.js';
import { ApiError } from '../server/errors.js';

/**
 * Checks of HTTP requests and WebSocket upgrades to /faye before faye
 * reads them (issue #3): body size, JSON-P, and which origins may speak
 * to the server from a browser. A refusal is answered here with the API's
 * error body; faye never sees the request.
 */
export class HttpGuard {
  readonly #bodyLimit: number;
  readonly #jsonp: boolean;
  readonly #origins: ReadonlySet<string>;
  /** Without a secret and without a list, any origin (the gem's way). */
  readonly #anyOrigin: boolean;

  constructor(config: Config) {
    this.#bodyLimit = config.bodyLimit;
    this.#jsonp = config.jsonp;
    const origins = allowedOrigins(config);
    this.#origins = new Set(origins);
    this.#anyOrigin = origins.length === 0 && config.secret === undefined;
  }

  /** True when the request was refused and answered here. */
  request(request: IncomingMessage, response: ServerResponse): boolean {
    const refusal =
      this.#originRefusal(request) ??
      this.#jsonpRefusal(request) ??
      this.#declaredSize(request);
    if (refusal !== null) {
      send(response, refusal);
      return true;
    }
    if (request.method === 'POST') this.#countBody(request, response);

    return false;
  }

  /** True when the upgrade was refused and the socket answered. */
  upgrade(request: IncomingMessage, socket: Duplex): boolean {
    const refusal = this.#originRefusal(request);
    if (refusal === null) return false;
    const body = JSON.stringify(refusal.toJSON());
    socket.end(
      `HTTP/1.1 ${refusal.status} Forbidden\r\n` +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );

    return true;
  }

  /**
   * Browsers send Origin on cross-origin requests and on same-origin
   * POSTs; a same-origin page (Origin host = Host) is always welcome.
   */
  #originRefusal(request: IncomingMessage): ApiError | null {
    const origin = request.headers.origin;
    if (origin === undefined || this.#anyOrigin) return null;
    if (this.#origins.has(origin) || sameOrigin(origin, request)) return null;

    return new ApiError(
      'FORBIDDEN',
      `origin ${origin} is not allowed: expected one of ` +
        `${[...this.#origins].join(', ') || '(none: set --allow-origin)'}`,
    );
  }

  /** Bayeux over GET is JSON-P (callback-polling); off unless --jsonp. */
  #jsonpRefusal(request: IncomingMessage): ApiError | null {
    if (this.#jsonp || request.method !== 'GET') return null;
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (/\.(js|map)$/.test(path)) return null; // faye's client script
    if ((request.headers.accept ?? '').includes('text/event-stream')) {
      return null;
    }

    return new ApiError(
      'FORBIDDEN',
      'JSON-P (callback-polling) is off on this server: use ' +
        'long-polling or WebSocket, or start the server with --jsonp',
    );
  }

  #declaredSize(request: IncomingMessage): ApiError | null {
    const declared = Number(request.headers['content-length']);
    if (!(declared > this.#bodyLimit)) return null;

    return this.#tooLarge(`${declared} bytes`);
  }

  #tooLarge(got: string): ApiError {
    return new ApiError(
      'PAYLOAD_TOO_LARGE',
      `a request body may have at most ${this.#bodyLimit} bytes, got ${got}`,
    );
  }

  /**
   * A body without a (truthful) length is counted as it arrives. Past the
   * limit, faye's listeners are detached before they see the end, so it
   * never parses or answers the request, and the connection closes.
   */
  #countBody(request: IncomingMessage, response: ServerResponse): void {
    let size = 0;
    const count = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.#bodyLimit) return;
      request.off('data', count);
      request.removeAllListeners('data');
      request.removeAllListeners('end');
      request.resume();
      send(response, this.#tooLarge(`more than ${this.#bodyLimit} bytes`));
    };
    request.on('data', count);
  }
}

function sameOrigin(origin: string, request: IncomingMessage): boolean {
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function send(response: ServerResponse, error: ApiError): void {
  if (response.headersSent) return;
  const body = JSON.stringify(error.toJSON());
  response.writeHead(error.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    // The rest of an oversized body is not worth reading.
    ...(error.status === 413 ? { Connection: 'close' } : {}),
  });
  response.end(body);
}
