import { authFor, type Seat } from './clients.js';

/** Bayeux by hand over HTTP: for clients that misbehave on purpose. */
export async function post(url: string, messages: unknown): Promise<any[]> {
  const response = await fetch(`${url}/faye`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof messages === 'string' ? messages : JSON.stringify(messages),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`POST /faye answered ${response.status}: ${text}`);
  }

  return JSON.parse(text) as any[];
}

export async function handshake(url: string, seat?: Seat): Promise<string> {
  const [reply] = await post(url, {
    channel: '/meta/handshake',
    version: '1.0',
    supportedConnectionTypes: ['long-polling'],
    ...(seat === undefined ? {} : { ext: { auth: authFor(seat) } }),
  });
  if (!reply?.successful)
    throw new Error(`handshake failed: ${JSON.stringify(reply)}`);

  return reply.clientId as string;
}

/**
 * A client that handshakes and sends one `/meta/connect` with presence, then
 * goes silent, as a crashed tab would. Resolves once the server tracks it.
 */
export async function silentClient(url: string, seat: Seat) {
  const clientId = await handshake(url, seat);
  const ext = { auth: authFor(seat) };
  const connect = {
    channel: '/meta/connect',
    clientId,
    connectionType: 'long-polling',
    ext,
  };
  // The reply to a held connect may come much later; nobody waits for it.
  const held = post(url, connect).catch(() => []);

  return {
    clientId,
    held,
    publish: (channel: string, data: unknown = {}) =>
      post(url, { channel, clientId, data, ext }),
  };
}
