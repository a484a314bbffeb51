import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { LESSON, ROOM } from '../helpers/clients.js';
import {
  lineMatching,
  ONLINE_CLIENT,
  spawnNode,
} from '../helpers/processes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const TIMEOUT_S = 3;
const GRACE_S = 0.5;

describe('a client process killed with SIGKILL', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ timeout: TIMEOUT_S, leaveGrace: GRACE_S });
  });
  after(() => server.stop());

  const cases = [
    // The held connect is cut off with the process: a lost connection.
    ['long-polling', 'socket_closed', GRACE_S],
    ['websocket', 'socket_closed', GRACE_S],
  ] as const;
  for (const [transport, reason, detectionS] of cases) {
    test(`over ${transport} leaves with reason ${reason}, time ending at last seen`, async () => {
      const uid = `killed-${transport}`;
      const client = spawnNode([ONLINE_CLIENT, server.url, uid, transport]);
      const [, clientId] = await lineMatching(
        client.child.stdout!,
        /^connected (\S+)/,
      );
      const path = `/api/online?room=${encodeURIComponent(ROOM)}`;
      await eventually(async () =>
        (await server.getJson(path)).users.some((u: any) => u.uid === uid),
      );

      // Idle for a while: no Bayeux message, only the open connection (a
      // held long-poll, or a WebSocket answering pings) shows it is there.
      await delay(1500);
      await client.kill('SIGKILL');
      const killedAt = Date.now();
      await eventually(
        async () =>
          !(await server.getJson(path)).users.some((u: any) => u.uid === uid),
        { timeout: (detectionS + TIMEOUT_S) * 1000 + 5000 },
      );
      const detectedAt = Date.now();

      await server.presence.writer.flush();
      const rows = await server.db
        .selectFrom('connection_log')
        .select(['event', 'at', 'reason'])
        .where('client_id', '=', clientId!)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.event, r.reason]),
        [
          ['connect', null],
          ['disconnect', reason],
        ],
      );
      const endedAt = rows[1]!.at;
      // At the kill (when the connection dropped), not at the last
      // message and never at detection time.
      assert.ok(
        endedAt <= killedAt + 50,
        `ended ${endedAt - killedAt} ms after the kill`,
      );
      assert.ok(
        endedAt >= killedAt - 300,
        `ended ${killedAt - endedAt} ms before the kill`,
      );
      assert.ok(detectedAt - endedAt >= 500, 'detected later, ended earlier');

      const time = await server.getJson(
        `/api/online-time?uid=${uid}&channel=${encodeURIComponent(LESSON)}`,
      );
      const session = await server.db
        .selectFrom('sessions')
        .selectAll()
        .where('uid', '=', uid)
        .executeTakeFirstOrThrow();
      assert.equal(session.ended_at, endedAt);
      assert.equal(session.end_reason, reason);
      assert.equal(time.seconds * 1000, endedAt - session.started_at);
      assert.equal(time.online, false);
    });
  }
});
