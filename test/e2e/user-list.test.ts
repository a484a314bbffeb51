import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'faye';
import { closeClient, onlineClient, record, ROOM } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const TICK_MS = 20;
const CHANNEL = `${ROOM}/user_list`;

describe('<room>/user_list for a new subscriber', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const client = (uid: number | string, room = ROOM) => {
    const c = onlineClient(server.url, { uid, uname: `user ${uid}`, room });
    clients.push(c);
    return c;
  };
  // Absence can only be seen by waiting: a few ticks without a message.
  const quiet = () => delay(TICK_MS * 10);

  before(async () => {
    server = await startTestServer({ publishTick: TICK_MS });
  });
  after(async () => {
    await Promise.all(clients.map(closeClient));
    await server.stop();
  });

  test('a joining user gets the list with itself once, not twice', async () => {
    const first = record(client(1), CHANNEL);
    await first.ready;
    await eventually(() => first.messages.length > 0);
    await quiet();
    assert.deepEqual(first.messages, [
      { count: 1, user_list: [1], users: [{ uid: 1, uname: 'user 1' }] },
    ]);
  });

  test('a second tab gets the unchanged list once; the first tab gets nothing', async () => {
    const first = record(clients[0]!, CHANNEL); // same client, new listener
    const second = record(client(1), CHANNEL);
    await second.ready;
    await eventually(() => second.messages.length > 0);
    await quiet();
    assert.deepEqual(
      second.messages.map((m) => m.user_list),
      [[1]],
    );
    assert.deepEqual(first.messages, []);
  });

  test('a subscriber from another room gets the current list right away', async () => {
    const watcher = record(client('w', '/lobby'), CHANNEL);
    await watcher.ready;
    await eventually(() => watcher.messages.length > 0);
    await quiet();
    assert.deepEqual(
      watcher.messages.map((m) => m.user_list),
      [[1]],
    );
  });
});
