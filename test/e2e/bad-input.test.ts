import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import {
  authFor,
  closeClient,
  connected,
  onlineClient,
} from '../helpers/clients.js';
import { handshake, post } from '../helpers/raw.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const require = createRequire(import.meta.url);
// faye-websocket ships with faye and has no type definitions.
const WebSocket = require('faye-websocket') as {
  Client: new (url: string) => {
    on(event: string, listener: (event: any) => void): void;
    send(data: string): void;
    close(): void;
  };
};

const seat = { uid: 9, uname: 'Ida' };
const auth = authFor(seat);
const withUser = (user: Record<string, unknown>) => ({
  ...auth,
  current_user: { ...auth.current_user, ...user },
});

/** Each hostile message and the exact error its reply must carry. */
function hostile(clientId: string): [string, unknown, string][] {
  const connect = (ext: unknown) => ({
    channel: '/meta/connect',
    clientId,
    connectionType: 'long-polling',
    ext,
  });
  const expected =
    'must be a non-negative integer or a string of 1 to 64 characters';
  return [
    [
      'an array as channel',
      { channel: ['/meta/connect'], clientId },
      '400:channel:channel must be a string of at most 256 characters, got an array',
    ],
    [
      'an array as subscription',
      { channel: '/meta/subscribe', clientId, subscription: [['/a']] },
      '400:subscription:subscription must be a channel name or pattern, got an array',
    ],
    ['a null message', null, '400:message:message must be an object, got null'],
    [
      'a missing uid',
      connect({ auth: withUser({ uid: undefined }) }),
      `400:auth.current_user.uid:auth.current_user.uid ${expected}, got nothing`,
    ],
    [
      'a uid too long',
      connect({ auth: withUser({ uid: 'u'.repeat(65) }) }),
      `400:auth.current_user.uid:auth.current_user.uid ${expected}, got the string ` +
        `"${'u'.repeat(40)}…" (65 characters)`,
    ],
    [
      'a missing uname',
      connect({ auth: withUser({ uname: undefined }) }),
      '400:auth.current_user.uname:auth.current_user.uname must be a string of ' +
        '1 to 128 characters, got nothing',
    ],
    [
      'a room outside the grammar',
      connect({ auth: { ...auth, room_channel: '/a b' } }),
      '400:auth.room_channel:auth.room_channel must be a Bayeux channel name ' +
        'such as /classes/4 (not /meta or /service), got the string "/a b" (4 characters)',
    ],
    [
      'an array as time channel',
      connect({ auth: { ...auth, time_channel: ['/x'] } }),
      '400:auth.time_channel:auth.time_channel must be a Bayeux channel name ' +
        'such as /classes/4 (not /meta or /service), got an array',
    ],
    [
      'an object as clientId',
      { channel: '/meta/connect', clientId: { a: 1 } },
      '400:clientId:clientId must be a string, got an object',
    ],
    [
      'a publication to a user list',
      { channel: '/classes/4/user_list', clientId, data: {} },
      '403:/classes/4/user_list:only the server publishes to user lists',
    ],
    [
      'a change of seat within a client',
      connect({ auth: { ...auth, room_channel: '/classes/5' } }),
      '409:auth:presence cannot change within a client: expected uid 9 in ' +
        '/classes/4 timing /courses/5/lessons/1, got uid 9 in /classes/5 timing ' +
        '/courses/5/lessons/1',
    ],
  ];
}

describe('bad input', () => {
  let server: TestServer;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    clientId = await handshake(server.url, seat);
    // Seat the client so that a later change of seat can be refused.
    void post(server.url, {
      channel: '/meta/connect',
      clientId,
      connectionType: 'long-polling',
      ext: { auth },
    }).catch(() => []);
  });
  after(() => server.stop());

  async function stillServes() {
    const client = onlineClient(server.url, { uid: 'ok', uname: 'Ok' });
    await connected(client);
    await new Promise<void>((resolve) =>
      client.publish('/ping', {}).then(resolve),
    );
    await closeClient(client);
    // The probe leaves after the grace; the seated client was never touched.
    await eventually(async () => {
      const { users } = await server.getJson('/api/online?room=%2Fclasses%2F4');
      assert.deepEqual(
        users.map((u: any) => u.uid),
        [9],
        'nothing changed',
      );
      return true;
    });
  }

  test('each hostile message over HTTP gets its exact error', async () => {
    for (const [what, message, error] of hostile(clientId)) {
      const replies = await post(server.url, [message]);
      assert.equal(replies.length, 1, what);
      assert.equal(replies[0].successful, false, what);
      assert.equal(replies[0].error, error, what);
    }
    await stillServes();
  });

  test('each hostile message over WebSocket gets its exact error', async () => {
    const ws = new WebSocket.Client(server.url.replace('http', 'ws') + '/faye');
    const replies: any[] = [];
    let wake = () => {};
    ws.on('message', (event) => {
      replies.push(...JSON.parse(event.data));
      wake();
    });
    await new Promise((resolve) => ws.on('open', resolve));
    for (const [what, message, error] of hostile(clientId)) {
      const next = new Promise<void>((resolve) => (wake = resolve));
      ws.send(JSON.stringify([message]));
      await next;
      const reply = replies.pop();
      assert.equal(reply.error, error, what);
    }
    ws.close();
    await stillServes();
  });

  test('a body that is no JSON is refused and the server goes on', async () => {
    const response = await fetch(`${server.url}/faye`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"channel":',
    });
    assert.equal(response.status, 400);
    await stillServes();
  });

  test('a batch mixes refusals with normal replies', async () => {
    const replies = await post(server.url, [
      { channel: ['/x'] },
      { channel: '/chat', clientId, data: { hello: 1 }, id: 'ok-1' },
    ]);
    assert.deepEqual(
      replies.map((r) => [r.id ?? null, r.successful]),
      [
        [null, false],
        ['ok-1', true],
      ],
    );
  });
});
