import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import {
  clientIdOf,
  closeClient,
  connected,
  LESSON,
  onlineClient,
  record,
  ROOM,
} from '../helpers/clients.js';
import { silentClient } from '../helpers/raw.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const GRACE_MS = 500;
const BEFORE_LEAVE = '/faye_online/before_leave';

async function rowsOf(server: TestServer, clientId: string) {
  await server.presence.writer.flush();
  return server.db
    .selectFrom('connection_log')
    .select(['event', 'at', 'reason'])
    .where('client_id', '=', clientId)
    .orderBy('id')
    .execute();
}

const usersOf = async (server: TestServer) =>
  (await server.getJson(`/api/online?room=${encodeURIComponent(ROOM)}`)).users;

describe('leave signals', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ leaveGrace: GRACE_MS / 1000 });
  });
  after(() => server.stop());

  for (const transport of ['long-polling', 'websocket'] as const) {
    test(`before_leave then staying keeps the user, over ${transport}`, async () => {
      const uid = `stay-${transport}`;
      const client = onlineClient(
        server.url,
        { uid, uname: 'Stay' },
        { transport },
      );
      await connected(client);
      await eventually(async () =>
        (await usersOf(server)).some((u: any) => u.uid === uid),
      );
      const timePath = `/api/online-time?uid=${uid}&channel=${encodeURIComponent(LESSON)}`;
      const before = await server.getJson(timePath);

      await client.publish(BEFORE_LEAVE, {});
      // Staying means being there after the grace: wait it out, then look.
      await delay(GRACE_MS * 3);

      assert.ok((await usersOf(server)).some((u: any) => u.uid === uid));
      const rows = await rowsOf(server, clientIdOf(client));
      assert.deepEqual(
        rows.map((r) => r.event),
        ['connect'],
        'no disconnect row',
      );
      const afterwards = await server.getJson(timePath);
      assert.equal(afterwards.since, before.since, 'time is continuous');
      assert.equal(afterwards.online, true);
      await closeClient(client);
    });
  }

  test('before_leave then going silent leaves after the grace', async () => {
    const uid = 'gone';
    const tab = await silentClient(server.url, { uid, uname: 'Gone' });
    await eventually(async () =>
      (await usersOf(server)).some((u: any) => u.uid === uid),
    );
    const [reply] = await tab.publish(BEFORE_LEAVE);
    assert.equal(reply.successful, true);
    const sentAt = Date.now();

    await eventually(
      async () => !(await usersOf(server)).some((u: any) => u.uid === uid),
    );
    const leftAfter = Date.now() - sentAt;
    assert.ok(
      leftAfter >= GRACE_MS - 50,
      `left after ${leftAfter} ms, before the grace`,
    );
    const rows = await rowsOf(server, tab.clientId);
    assert.deepEqual(
      rows.map((r) => [r.event, r.reason]),
      [
        ['connect', null],
        ['disconnect', 'before_leave'],
      ],
    );
    assert.ok(
      rows[1]!.at <= sentAt + 50,
      'time ends at the before_leave, not later',
    );
  });

  test('a reload inside the grace publishes no change', async () => {
    const watcher = onlineClient(server.url, {
      uid: 'w',
      uname: 'W',
      room: '/elsewhere',
    });
    const lists = record(watcher, `${ROOM}/user_list`);
    await lists.ready;
    const first = onlineClient(server.url, { uid: 'r', uname: 'Reloader' });
    await connected(first);
    await eventually(() => lists.messages.at(-1)?.user_list.includes('r'));
    const seen = lists.messages.length;

    await closeClient(first);
    const second = onlineClient(server.url, { uid: 'r', uname: 'Reloader' });
    await connected(second);
    await delay(GRACE_MS * 2);

    assert.equal(lists.messages.length, seen, 'no user_list message at all');
    const users = await usersOf(server);
    assert.deepEqual(
      users.filter((u: any) => u.uid === 'r').map((u: any) => u.clients),
      [1],
    );
    await closeClient(second);
    await eventually(() => !lists.messages.at(-1)?.user_list.includes('r'));
    await closeClient(watcher);
  });

  test('a late expiry of an old connection only removes itself', async () => {
    const uid = 'two-lives';
    const old = await silentClient(server.url, { uid, uname: 'Old' });
    const live = onlineClient(server.url, { uid, uname: 'Old' });
    await connected(live);
    await eventually(async () =>
      (await usersOf(server)).some(
        (u: any) => u.uid === uid && u.clients === 2,
      ),
    );

    // The engine expires the silent one after twice the timeout.
    await eventually(
      async () => (await rowsOf(server, old.clientId)).length === 2,
      { timeout: 15_000 },
    );
    const rows = await rowsOf(server, old.clientId);
    assert.equal(rows[1]!.reason, 'timeout');
    const users = await usersOf(server);
    assert.deepEqual(
      users.filter((u: any) => u.uid === uid).map((u: any) => u.clients),
      [1],
    );
    await closeClient(live);
  });
});
