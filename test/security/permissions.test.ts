import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'faye';
import { connected, ROOM } from '../helpers/clients.js';
import { post } from '../helpers/raw.js';
import {
  closeAll,
  outcome,
  rawHandshake,
  SECRET,
  secureAuth,
  secureClient,
  tokenFor,
} from '../helpers/secure.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const OTHER_ROOM = '/classes/5';

describe('channel permissions', () => {
  let server: TestServer;
  const clients: Client[] = [];
  let ann: ReturnType<typeof secureClient>;
  let bob: ReturnType<typeof secureClient>;

  const joined = async (token: string, seat = {}) => {
    const made = secureClient(server.url, token, seat);
    clients.push(made.client);
    await connected(made.client);
    return made;
  };

  before(async () => {
    server = await startTestServer({ secret: SECRET });
    ann = await joined(await tokenFor({ uid: '1', uname: 'Ann' }));
    bob = await joined(
      await tokenFor({ uid: '2', uname: 'Bob', channels: ['/classes/**'] }),
    );
  });
  after(async () => {
    await closeAll(clients);
    await server.stop();
  });

  test('a client subscribes to its own room and what is under it', async () => {
    assert.equal(await outcome(ann.client.subscribe(ROOM, () => {})), null);
    const list = ann.client.subscribe(`${ROOM}/user_list`, () => {});
    assert.equal(await outcome(list), null);
    const deep = ann.client.subscribe(`${ROOM}/chat/**`, () => {});
    assert.equal(await outcome(deep), null);
  });

  test("another room's user list is refused", async () => {
    const list = ann.client.subscribe(`${OTHER_ROOM}/user_list`, () => {});
    assert.equal(
      await outcome(list),
      `403:${OTHER_ROOM}/user_list:the token does not grant ${OTHER_ROOM}/user_list`,
    );
  });

  test('wildcards are refused unless granted in full', async () => {
    const note = ' (a pattern needs a grant covering every channel it matches)';
    assert.equal(
      await outcome(ann.client.subscribe('/**', () => {})),
      `403:/**:the token does not grant /**${note}`,
    );
    assert.equal(
      await outcome(ann.client.subscribe('/classes/*', () => {})),
      `403:/classes/*:the token does not grant /classes/*${note}`,
    );
    // Bob's token grants /classes/** in full.
    assert.equal(
      await outcome(bob.client.subscribe('/classes/*', () => {})),
      null,
    );
    assert.equal(
      await outcome(bob.client.subscribe('/**', () => {})),
      `403:/**:the token does not grant /**${note}`,
    );
  });

  test('only the server publishes to user lists', async () => {
    for (const room of [ROOM, OTHER_ROOM]) {
      const fake = { count: 1, user_list: [666], users: [] };
      assert.equal(
        await outcome(bob.client.publish(`${room}/user_list`, fake)),
        `403:${room}/user_list:only the server publishes to user lists`,
      );
    }
  });

  test('publishing stays within the grants', async () => {
    assert.equal(await outcome(ann.client.publish(`${ROOM}/chat`, {})), null);
    assert.equal(
      await outcome(ann.client.publish(`${OTHER_ROOM}/chat`, {})),
      `403:${OTHER_ROOM}/chat:the token does not grant publishing to ${OTHER_ROOM}/chat`,
    );
    assert.equal(
      await outcome(ann.client.publish('/faye_online/anything', {})),
      '403:/faye_online/anything:only the server publishes to /faye_online/anything',
    );
  });

  test('a room the token does not grant cannot be joined', async () => {
    const token = await tokenFor({ uid: '3', uname: 'Cy' });
    const reply = await rawHandshake(
      server.url,
      secureAuth(token, { room: OTHER_ROOM }),
    );
    assert.equal(
      reply.error,
      `403:auth.room_channel:the token does not grant the room ${OTHER_ROOM}`,
    );
    const time = await rawHandshake(
      server.url,
      secureAuth(token, { timeChannel: '/courses/9' }),
    );
    assert.equal(
      time.error,
      '403:auth.time_channel:the token does not grant the time channel /courses/9',
    );
  });

  test('before_leave speaks for its sender only', async () => {
    const bobId = bob.clientId();
    const [reply] = await post(server.url, {
      channel: '/faye_online/before_leave',
      clientId: bobId,
      data: { clientId: 'someoneelse1' },
      ext: { auth: { token: await tokenFor({ uid: '2', uname: 'Bob' }) } },
    });
    assert.equal(
      reply.error,
      '403:/faye_online/before_leave:a client may announce its own leave ' +
        "only: data.clientId must be the sender's clientId, got the string " +
        '"someoneelse1" (12 characters)',
    );
  });

  test('credentials never reach other clients', async () => {
    await outcome(bob.client.subscribe(`${ROOM}/chat`, () => {}));
    const before = bob.received.length;
    await outcome(ann.client.publish(`${ROOM}/chat`, { text: 'hi' }));
    const delivered = await eventually(() =>
      bob.received.slice(before).find((m) => m.channel === `${ROOM}/chat`),
    );
    assert.ok(delivered !== undefined);
    assert.deepEqual(delivered.data, { text: 'hi' });
    const ext = (delivered.ext ?? {}) as Record<string, unknown>;
    assert.equal(ext.auth, undefined);
    assert.equal(delivered.auth, undefined);
    assert.doesNotMatch(JSON.stringify(delivered), /token|eyJ/);
  });

  test('meta-channel tricks and odd channels are refused', async () => {
    const annId = ann.clientId();
    const cases: [unknown, string][] = [
      [
        '/meta/subscribe/x',
        '400:channel:channel must be one of /meta/handshake, /meta/connect, ' +
          '/meta/subscribe, /meta/unsubscribe, /meta/disconnect, got the ' +
          'string "/meta/subscribe/x" (17 characters)',
      ],
      [
        '/meta/connect/../x',
        '400:channel:channel must be one of /meta/handshake, /meta/connect, ' +
          '/meta/subscribe, /meta/unsubscribe, /meta/disconnect, got the ' +
          'string "/meta/connect/../x" (18 characters)',
      ],
      [
        '/classes/4/ünï',
        '400:channel:channel must be a channel name of at most 256 ' +
          'characters made of ASCII letters, digits and -_!~()$@ between ' +
          'slashes, got the string "/classes/4/ünï" (14 characters)',
      ],
      [
        `/classes/${'x'.repeat(300)}`,
        '400:channel:channel must be a channel name of at most 256 ' +
          'characters made of ASCII letters, digits and -_!~()$@ between ' +
          `slashes, got the string "/classes/${'x'.repeat(31)}…" (309 characters)`,
      ],
      [
        ['/classes/4'],
        '400:channel:channel must be a string of at most 256 characters, got an array',
      ],
    ];
    for (const [channel, error] of cases) {
      const [reply] = await post(server.url, {
        channel,
        clientId: annId,
        data: {},
      });
      assert.equal(reply.error, error, JSON.stringify(channel).slice(0, 40));
    }
    // Ann is still online and can still publish.
    assert.equal(await outcome(ann.client.publish(`${ROOM}/chat`, {})), null);
  });
});
