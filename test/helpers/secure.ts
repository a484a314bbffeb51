import Faye from 'faye';
import type { Client, Message } from 'faye';
import { signToken, type TokenClaims } from '../../src/identity/token.js';
import { LESSON, ROOM } from './clients.js';
import { post } from './raw.js';

export const SECRET = 'test-secret-that-is-long-enough-for-hs256';

/** A token as an application backend would sign it for one page. */
export function tokenFor(
  claims: Partial<TokenClaims> & { uid: string },
  secret = SECRET,
): Promise<string> {
  return signToken(
    {
      uname: `user ${claims.uid}`,
      rooms: [ROOM],
      timeChannels: [LESSON],
      ttl: 3600,
      ...claims,
    },
    secret,
  );
}

export interface SecureSeat {
  readonly room?: string;
  readonly timeChannel?: string;
  /** Sent as-is when given: the token decides who the user is. */
  readonly currentUser?: unknown;
}

/** `ext.auth` of a page holding a token. */
export function secureAuth(token: string, seat: SecureSeat = {}) {
  const auth: Record<string, unknown> = {
    token,
    room_channel: seat.room ?? ROOM,
    time_channel: seat.timeChannel ?? LESSON,
  };
  if (seat.currentUser !== undefined) auth.current_user = seat.currentUser;

  return auth;
}

/**
 * A real faye client carrying a token; `received` collects every message
 * the server delivers to it (whole messages, not only their data).
 */
export function secureClient(
  url: string,
  token: string,
  seat: SecureSeat = {},
  transport?: 'long-polling' | 'websocket',
) {
  const client = new Faye.Client(`${url}/faye`, { retry: 0.2 });
  if (transport === 'long-polling') client.disable('websocket');
  const received: Message[] = [];
  const auth = secureAuth(token, seat);
  let clientId: string | undefined;
  client.addExtension({
    outgoing(message, _request, callback) {
      if (typeof message.clientId === 'string') clientId = message.clientId;
      message.ext = { ...(message.ext as object), auth };
      callback(message);
    },
    incoming(message, _request, callback) {
      const channel = message.channel;
      if (typeof channel === 'string' && !channel.startsWith('/meta/')) {
        received.push(message);
      }
      callback(message);
    },
  });

  const idOf = () => {
    if (clientId === undefined) throw new Error('no clientId sent yet');
    return clientId;
  };

  return { client, received, clientId: idOf };
}

/** The error of a refused subscription or publication, or null. */
export function outcome(pending: {
  then(ok: () => void, fail: (e: any) => void): unknown;
}): Promise<string | null> {
  return new Promise((resolve) => {
    pending.then(
      () => resolve(null),
      (error: { message?: string; code?: number; params?: string[] }) =>
        resolve(bayeuxText(error)),
    );
  });
}

/**
 * faye's client splits `code:args:message` when the text fits Bayeux's
 * error grammar, and keeps it whole otherwise; either way, the whole text.
 */
function bayeuxText(error: {
  message?: string;
  code?: number | null;
  params?: string[];
}): string {
  if (error.code === null || error.code === undefined) {
    return error.message ?? '';
  }

  return `${error.code}:${(error.params ?? []).join(',')}:${error.message}`;
}

/** A raw handshake with the given `ext.auth`; the reply. */
export async function rawHandshake(url: string, auth?: unknown) {
  const [reply] = await post(url, {
    channel: '/meta/handshake',
    version: '1.0',
    supportedConnectionTypes: ['long-polling'],
    ...(auth === undefined ? {} : { ext: { auth } }),
  });

  return reply;
}

export async function closeAll(clients: readonly Client[]): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      const done = client.disconnect();
      if (done !== undefined) {
        await new Promise<void>((r) => done.then(r, () => r()));
      }
    }),
  );
}
