import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'faye';
import {
  clientIdOf,
  closeClient,
  connected,
  LESSON,
  onlineClient,
  record,
  ROOM,
} from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const online = (server: TestServer) =>
  server.getJson(`/api/online?room=${encodeURIComponent(ROOM)}`);

async function logRows(server: TestServer) {
  await server.presence.writer.flush();
  return server.db
    .selectFrom('connection_log')
    .select(['event', 'uid', 'client_id', 'reason'])
    .orderBy('id')
    .execute();
}

describe('the original gem scenarios', () => {
  let server: TestServer;
  const clients: Client[] = [];

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const client of clients) await closeClient(client);
    await server.stop();
  });

  test('one user connects, polls again, then disconnects', async () => {
    const client = onlineClient(server.url, { uid: 1, uname: 'Ann' });
    await connected(client);
    const clientId = clientIdOf(client);
    await eventually(async () => (await online(server)).count === 1);
    // Several /meta/connect polls later there is still one row, one user.
    await new Promise<void>((resolve) =>
      client.publish('/chat', { x: 1 }).then(resolve),
    );
    const list = await online(server);
    assert.deepEqual(
      list.users.map((u: any) => [u.uid, u.uname, u.clients]),
      [[1, 'Ann', 1]],
    );
    assert.deepEqual(await logRows(server), [
      { event: 'connect', uid: '1', client_id: clientId, reason: null },
    ]);

    await closeClient(client);
    await eventually(async () => (await online(server)).count === 0);
    assert.deepEqual(await logRows(server), [
      { event: 'connect', uid: '1', client_id: clientId, reason: null },
      {
        event: 'disconnect',
        uid: '1',
        client_id: clientId,
        reason: 'disconnect',
      },
    ]);
  });

  test('three users join and leave in turns with exact lists', async () => {
    const watcher = onlineClient(server.url, {
      uid: 'w',
      uname: 'Watcher',
      room: '/other',
    });
    clients.push(watcher);
    const lists = record(watcher, `${ROOM}/user_list`);
    await lists.ready;
    const latest = () => lists.messages.at(-1)?.user_list;

    const people = [1, 2, 3].map((uid) =>
      onlineClient(server.url, { uid, uname: `user ${uid}` }),
    );
    for (const [i, person] of people.entries()) {
      await connected(person);
      const expected = [1, 2, 3].slice(0, i + 1);
      await eventually(() => assert.deepEqual(latest(), expected) ?? true);
    }
    await closeClient(people[1]!);
    await eventually(() => assert.deepEqual(latest(), [1, 3]) ?? true);
    await closeClient(people[0]!);
    await eventually(() => assert.deepEqual(latest(), [3]) ?? true);
    await closeClient(people[2]!);
    await eventually(() => assert.deepEqual(latest(), []) ?? true);
    assert.deepEqual(lists.messages.at(-1), {
      count: 0,
      user_list: [],
      users: [],
    });
  });

  test('online time starts, runs and stops', async () => {
    const path = `/api/online-time?uid=7&channel=${encodeURIComponent(LESSON)}`;
    const before = await server.getJson(path);
    assert.deepEqual(before, {
      uid: 7,
      channel: LESSON,
      seconds: 0,
      online: false,
      since: null,
    });

    const client = onlineClient(server.url, { uid: 7, uname: 'Tim' });
    await connected(client);
    const running = await eventually(async () => {
      const body = await server.getJson(path);
      return body.online && body.seconds > 0.2 ? body : null;
    });
    assert.equal(typeof running.since, 'string');

    await closeClient(client);
    const stopped = await eventually(async () => {
      const body = await server.getJson(path);
      return body.online ? null : body;
    });
    const again = await server.getJson(path);
    assert.equal(again.seconds, stopped.seconds, 'time no longer runs');
    assert.ok(stopped.seconds >= running.seconds);
  });
});
