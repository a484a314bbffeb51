import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'faye';
import {
  closeClient,
  connected,
  onlineClient,
  record,
  ROOM,
} from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const USERS = 60;
const TICK_MS = 100;

describe('a large room', () => {
  let server: TestServer;
  const clients: Client[] = [];

  before(async () => {
    server = await startTestServer({ publishTick: TICK_MS });
  });
  after(async () => {
    await Promise.all(clients.map(closeClient));
    await server.stop();
  });

  test('a burst of joins costs one message per tick, not one per join', async () => {
    const watcher = onlineClient(server.url, {
      uid: 'w',
      uname: 'W',
      room: '/lobby',
    });
    clients.push(watcher);
    const lists = record(watcher, `${ROOM}/user_list`);
    await lists.ready;
    await eventually(() => lists.messages.length === 1); // the snapshot on subscribe

    const startedAt = Date.now();
    for (let uid = 1; uid <= USERS; uid++) {
      clients.push(
        onlineClient(
          server.url,
          { uid, uname: `u${uid}` },
          { transport: 'websocket' },
        ),
      );
    }
    await Promise.all(clients.map(connected));
    await eventually(() => lists.messages.at(-1)?.count === USERS, {
      timeout: 20_000,
    });
    const ticks = Math.ceil((Date.now() - startedAt) / TICK_MS) + 1;

    const updates = lists.messages.length - 1;
    assert.ok(updates <= ticks, `${updates} messages in ${ticks} ticks`);
    assert.ok(updates < USERS / 2, `${updates} messages for ${USERS} joins`);
    const last = lists.messages.at(-1);
    assert.deepEqual(
      last.user_list,
      Array.from({ length: USERS }, (_, i) => i + 1),
    );
  });
});
