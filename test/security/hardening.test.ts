import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'faye';
import WebSocket from 'ws';
import { connected, onlineClient, ROOM } from '../helpers/clients.js';
import { handshake, post } from '../helpers/raw.js';
import { closeAll, outcome, SECRET } from '../helpers/secure.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const LIMIT = 64 * 1024;

async function postRaw(
  url: string,
  body: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${url}/faye`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

  return {
    status: response.status,
    body: await response.text(),
    headers: response.headers,
  };
}

/** A POST whose body comes in chunks, with no Content-Length. */
function postChunked(url: string, chunks: number, size: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(`${url}/faye`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body }),
      );
    });
    request.on('error', reject);
    const piece = 'x'.repeat(size);
    let sent = 0;
    const pump = () => {
      while (sent < chunks) {
        sent += 1;
        if (!request.write(piece)) return request.once('drain', pump);
      }
      request.end();
    };
    pump();
  });
}

function openSocket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/faye`, { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });

  return { ws, opened, closed };
}

describe('hardening', () => {
  let server: TestServer;
  const clients: Client[] = [];
  let legit: Client;

  /** The client connected before each attack keeps working. */
  const legitStillWorks = async () => {
    assert.equal(await outcome(legit.publish('/chat', { ok: true })), null);
    const online = await server.getJson(
      `/api/online?room=${encodeURIComponent(ROOM)}`,
    );
    assert.equal(online.count, 1);
  };

  before(async () => {
    server = await startTestServer();
    legit = onlineClient(
      server.url,
      { uid: 1, uname: 'Ann' },
      { transport: 'long-polling' },
    );
    clients.push(legit);
    await connected(legit);
    await eventually(
      async () =>
        (await server.getJson(`/api/online?room=${encodeURIComponent(ROOM)}`))
          .count === 1,
    );
  });
  after(async () => {
    await closeAll(clients);
    await server.stop();
  });

  test('a 10 MiB body is answered 413', async () => {
    const big = JSON.stringify([
      { channel: '/chat', data: 'x'.repeat(10 * 1024 * 1024) },
    ]);
    const answer = await postRaw(server.url, big);
    assert.equal(answer.status, 413);
    assert.deepEqual(JSON.parse(answer.body), {
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `a request body may have at most ${LIMIT} bytes, got ${big.length} bytes`,
      },
    });
    await legitStillWorks();
  });

  test('a body without a length is cut off at the limit', async () => {
    const answer = await postChunked(server.url, 40, 4096);
    assert.equal(answer.status, 413);
    assert.deepEqual(JSON.parse(answer.body), {
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `a request body may have at most ${LIMIT} bytes, got more than ${LIMIT} bytes`,
      },
    });
    await legitStillWorks();
  });

  test('a batch of 10,000 messages is refused as a whole', async () => {
    const batch = JSON.stringify(Array.from({ length: 10_000 }, () => ({})));
    assert.ok(batch.length < LIMIT, 'the body itself is within the limit');
    const answer = await postRaw(server.url, batch);
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), [
      {
        successful: false,
        error: '413:batch:a request may carry at most 100 messages, got 10000',
      },
    ]);
    await legitStillWorks();
  });

  test('a __proto__ clientId is refused', async () => {
    const [reply] = await post(server.url, {
      channel: '/meta/connect',
      clientId: '__proto__',
      connectionType: 'long-polling',
    });
    assert.equal(
      reply.error,
      '400:clientId:clientId must be one this server issued (lower-case ' +
        'letters and digits), got the string "__proto__" (9 characters)',
    );
    await legitStillWorks();
  });

  test('a client cannot shorten its held connect below one second', async () => {
    const clientId = await handshake(server.url);
    const connect = (advice?: object) =>
      post(server.url, {
        channel: '/meta/connect',
        clientId,
        connectionType: 'long-polling',
        ...(advice === undefined ? {} : { advice }),
      });
    await connect({ timeout: 0 }); // the first connect is answered at once
    const started = Date.now();
    const [reply] = await connect({ timeout: 0 });
    const held = Date.now() - started;
    assert.equal(reply.successful, true);
    assert.ok(held >= 950, `held ${held} ms`);
    assert.ok(held < 2500, `held ${held} ms, not the full timeout`);
  });

  test('a WebSocket frame over the limit closes that socket with 1009', async () => {
    const { ws, opened, closed } = openSocket(server.url);
    await opened;
    ws.send(
      JSON.stringify([{ channel: '/chat', data: 'x'.repeat(LIMIT + 1) }]),
    );
    const { code } = await closed;
    assert.equal(code, 1009);
    await legitStillWorks();
  });

  test('a WebSocket that never handshakes is closed after the timeout', async () => {
    const { opened, closed } = openSocket(server.url);
    await opened;
    const started = Date.now();
    const { code, reason } = await closed;
    assert.equal(code, 4000);
    assert.equal(reason, 'no handshake within 2 s');
    assert.ok(Date.now() - started >= 1500);
  });

  test('JSON-P is off: Bayeux over GET is refused', async () => {
    const message = encodeURIComponent(
      JSON.stringify({ channel: '/meta/handshake' }),
    );
    const response = await fetch(
      `${server.url}/faye?message=${message}&jsonp=cb`,
    );
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), {
      error: {
        code: 'FORBIDDEN',
        message:
          'JSON-P (callback-polling) is off on this server: use ' +
          'long-polling or WebSocket, or start the server with --jsonp',
      },
    });
    const [reply] = await post(server.url, {
      channel: '/meta/handshake',
      version: '1.0',
      supportedConnectionTypes: ['long-polling'],
    });
    assert.ok(!reply.supportedConnectionTypes.includes('callback-polling'));
    // faye's client script is still served over GET.
    assert.equal((await fetch(`${server.url}/faye/client.js`)).status, 200);
  });
});

describe('hardening options', () => {
  test('--jsonp serves Bayeux over GET', async () => {
    const server = await startTestServer({ jsonp: true });
    try {
      const message = encodeURIComponent(
        JSON.stringify({
          channel: '/meta/handshake',
          version: '1.0',
          supportedConnectionTypes: ['callback-polling'],
        }),
      );
      const response = await fetch(
        `${server.url}/faye?message=${message}&jsonp=cb`,
      );
      assert.equal(response.status, 200);
      assert.match(
        await response.text(),
        /^\/\*\*\/cb\(\[\{.*"successful":true/,
      );
    } finally {
      await server.stop();
    }
  });

  test('a handshake flood is refused with 429, then handshakes work again', async () => {
    // A long timeout: on a loaded machine the flood must not expire the
    // legitimate client for reasons that have nothing to do with it.
    const server = await startTestServer({ handshakeRate: 50, timeout: 10 });
    const legit = onlineClient(
      server.url,
      { uid: 1, uname: 'Ann' },
      { transport: 'long-polling' },
    );
    try {
      await connected(legit);
      const body = {
        channel: '/meta/handshake',
        version: '1.0',
        supportedConnectionTypes: ['long-polling'],
      };
      const replies = (
        await Promise.all(
          Array.from({ length: 200 }, () => post(server.url, body)),
        )
      ).map(([reply]) => reply);
      const refused = replies.filter((reply) => !reply.successful);
      assert.ok(refused.length > 0, 'some handshakes are refused');
      for (const reply of refused) {
        assert.equal(
          reply.error,
          '429:handshake:too many handshakes from 127.0.0.1: at most 50 per ' +
            'second, try again later',
        );
      }
      assert.equal(await outcome(legit.publish('/chat', { ok: true })), null);
      const online = await server.getJson(
        `/api/online?room=${encodeURIComponent(ROOM)}`,
      );
      assert.equal(online.count, 1);
      await eventually(
        async () => (await post(server.url, body))[0].successful,
        {
          what: 'a handshake after the flood',
        },
      );
    } finally {
      await closeAll([legit]);
      await server.stop();
    }
  });

  test('with a secret, only listed origins may speak cross-origin', async () => {
    const server = await startTestServer({
      secret: SECRET,
      allowOrigin: 'https://app.example',
    });
    try {
      const evil = await postRaw(server.url, '[]', {
        origin: 'https://evil.example',
      });
      assert.equal(evil.status, 403);
      assert.deepEqual(JSON.parse(evil.body), {
        error: {
          code: 'FORBIDDEN',
          message:
            'origin https://evil.example is not allowed: expected one of https://app.example',
        },
      });
      const app = await postRaw(server.url, '[]', {
        origin: 'https://app.example',
      });
      assert.equal(app.status, 200);
      assert.equal(
        app.headers.get('access-control-allow-origin'),
        'https://app.example',
      );
      const same = await postRaw(server.url, '[]', { origin: server.url });
      assert.equal(same.status, 200);

      const socket = openSocket(server.url, { origin: 'https://evil.example' });
      const refused = await socket.opened.then(
        () => 'opened',
        (error: Error) => error.message,
      );
      assert.equal(refused, 'Unexpected server response: 403');
    } finally {
      await server.stop();
    }
  });

  test('without a secret or a list, any origin may speak (the gem way)', async () => {
    const server = await startTestServer();
    try {
      const answer = await postRaw(server.url, '[]', {
        origin: 'https://any.example',
      });
      assert.equal(answer.status, 200);
    } finally {
      await server.stop();
    }
  });
});
