import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  clientIdOf,
  closeClient,
  connected,
  LESSON,
  onlineClient,
  ROOM,
} from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const transports = ['long-polling', 'websocket'] as const;

for (const transport of transports) {
  describe(`two tabs of one user over ${transport}`, () => {
    let server: TestServer;
    const onlinePath = `/api/online?room=${encodeURIComponent(ROOM)}`;
    const timePath = `/api/online-time?uid=5&channel=${encodeURIComponent(LESSON)}`;

    before(async () => {
      server = await startTestServer();
    });
    after(() => server.stop());

    test('closing one tab keeps the user listed and time running', async () => {
      const tabs = [1, 2].map(() =>
        onlineClient(server.url, { uid: 5, uname: 'Eve' }, { transport }),
      );
      await Promise.all(tabs.map(connected));
      const list = await eventually(async () => {
        const body = await server.getJson(onlinePath);
        return body.users[0]?.clients === 2 ? body : null;
      });
      assert.equal(list.count, 1, 'five tabs are one user; two are too');
      await eventually(() =>
        tabs.every(
          (tab) =>
            server.presence.onWebSocket(clientIdOf(tab)) ===
            (transport === 'websocket'),
        ),
      );

      await closeClient(tabs[0]!);
      await eventually(async () => {
        const body = await server.getJson(onlinePath);
        return body.users[0]?.clients === 1;
      });
      const first = await server.getJson(timePath);
      assert.equal(first.online, true);
      const later = await eventually(async () => {
        const body = await server.getJson(timePath);
        return body.seconds > first.seconds ? body : null;
      });
      assert.equal(later.since, first.since, 'one continuous session');

      await closeClient(tabs[1]!);
      await eventually(
        async () => (await server.getJson(onlinePath)).count === 0,
      );
    });

    test('total time is the union of the tabs, not their sum', async () => {
      await server.presence.writer.flush();
      const sessions = await server.db
        .selectFrom('sessions')
        .selectAll()
        .where('uid', '=', '5')
        .execute();
      assert.equal(sessions.length, 1);
      const [session] = sessions;
      const rows = await server.db
        .selectFrom('connection_log')
        .select(['event', 'at', 'client_id'])
        .where('uid', '=', '5')
        .execute();
      const connects = rows.filter((r) => r.event === 'connect');
      const disconnects = rows.filter((r) => r.event === 'disconnect');
      assert.equal(connects.length, 2);
      assert.equal(disconnects.length, 2);
      const first = Math.min(...connects.map((r) => r.at));
      const last = Math.max(...disconnects.map((r) => r.at));
      assert.equal(session!.started_at, first);
      assert.equal(session!.ended_at, last);

      const sum = rows.reduce(
        (s, r) => s + (r.event === 'disconnect' ? r.at : -r.at),
        0,
      );
      const { seconds } = await server.getJson(timePath);
      assert.equal(seconds * 1000, last - first);
      assert.ok(sum > last - first, 'the two tabs overlapped');
    });
  });
}
