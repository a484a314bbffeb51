import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { LESSON, ROOM } from '../helpers/clients.js';
import {
  lineMatching,
  ONLINE_CLIENT,
  spawnNode,
  spawnServer,
  type Spawned,
} from '../helpers/processes.js';
import { getJson } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const SERVE_FLAGS = [
  '--timeout',
  '2',
  '--leave-grace',
  '0.5',
  '--publish-tick',
  '20',
];

function readDb(path: string) {
  const db = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    return {
      sessions: db
        .prepare('select * from sessions order by started_at')
        .all() as any[],
      log: db
        .prepare('select * from connection_log order by id')
        .all() as any[],
    };
  } finally {
    db.close();
  }
}

const listed = async (url: string) =>
  (
    await getJson(`${url}/api/online?room=${encodeURIComponent(ROOM)}`)
  ).users.map((u: any) => u.uid);

describe('the server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faye-online-restart-'));
  // Clients live in processes of their own: they outlive the servers here,
  // and a killed process is the one way to stop a faye client that is
  // retrying against a server that is gone.
  const clients: Spawned[] = [];
  const startClient = async (url: string, uid: number, transport: string) => {
    const client = spawnNode([ONLINE_CLIENT, url, String(uid), transport]);
    clients.push(client);
    await lineMatching(client.child.stdout!, /^connected /);
  };
  const servers: Spawned[] = [];
  const serve = async (args: string[]) => {
    const spawned = await spawnServer(args);
    servers.push(spawned);
    return spawned;
  };
  after(async () => {
    await Promise.all([...clients, ...servers].map((p) => p.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('killed with -9 and restarted: sessions end at their checkpoint', async () => {
    const database = join(dir, 'crash.sqlite');
    const flags = [
      ...SERVE_FLAGS,
      '--database',
      database,
      '--checkpoint-interval',
      '1',
    ];
    const first = await serve([...flags, '--port', '0']);
    const port = new URL(first.url).port;
    await startClient(first.url, 1, 'long-polling');
    await startClient(first.url, 2, 'websocket');
    await eventually(async () => (await listed(first.url)).length === 2);
    // Wait for a checkpoint that moved last seen past the start.
    await eventually(() => {
      const { sessions } = readDb(database);
      return (
        sessions.length === 2 &&
        sessions.every((s) => s.last_seen_at > s.started_at)
      );
    });

    await first.kill('SIGKILL');
    const killedAt = Date.now();
    const atCrash = readDb(database).sessions;
    assert.ok(
      atCrash.every((s) => s.ended_at === null),
      'left open by the crash',
    );
    await delay(1500); // the downtime that must not count

    const second = await serve([...flags, '--port', port]);
    const restartedAt = Date.now();
    const { sessions, log } = readDb(database);
    for (const before of atCrash) {
      const after = sessions.find((s) => s.id === before.id);
      assert.equal(after.end_reason, 'crash_recovery');
      assert.equal(after.ended_at, before.last_seen_at);
      assert.ok(after.ended_at <= killedAt);
      // Idle clients count up to the last checkpoint before the kill: their
      // open connections kept last seen fresh (checkpoint 1 s, ping 1 s).
      assert.ok(
        after.ended_at >= killedAt - 2500,
        `${killedAt - after.ended_at} ms lost`,
      );
    }
    const recovered = log.filter((r) => r.reason === 'crash_recovery');
    assert.equal(
      recovered.length,
      2,
      'one disconnect row per client left open',
    );

    await eventually(async () => (await listed(second.url)).length === 2, {
      timeout: 15_000,
    });
    const time = await getJson(
      `${second.url}/api/online-time?uid=1&channel=${encodeURIComponent(LESSON)}`,
    );
    const old = atCrash.find((s) => s.uid === '1');
    const oldMs = old.last_seen_at - old.started_at;
    const sinceRestart = Date.now() - restartedAt;
    assert.equal(time.online, true);
    assert.ok(
      Date.parse(time.since) >= restartedAt - 1000,
      'a new session after restart',
    );
    assert.ok(
      time.seconds * 1000 <= oldMs + sinceRestart + 1000,
      `no time for the downtime: ${time.seconds} s`,
    );
    assert.ok(time.seconds * 1000 >= oldMs);

    await Promise.all(clients.splice(0).map((client) => client.kill()));
    assert.equal(await second.kill('SIGTERM'), 0);
  });

  test('SIGTERM closes open sessions with reason shutdown', async () => {
    const database = join(dir, 'shutdown.sqlite');
    const server = await serve([
      ...SERVE_FLAGS,
      '--database',
      database,
      '--port',
      '0',
    ]);
    await startClient(server.url, 3, 'long-polling');
    await eventually(async () => (await listed(server.url)).length === 1);

    const stoppedAt = Date.now();
    assert.equal(await server.kill('SIGTERM'), 0);
    const { sessions, log } = readDb(database);
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0].end_reason, 'shutdown');
    assert.ok(
      Math.abs(sessions[0].ended_at - stoppedAt) < 1000,
      'ended at shutdown',
    );
    assert.deepEqual(
      log.map((r) => [r.event, r.reason]),
      [
        ['connect', null],
        ['disconnect', 'shutdown'],
      ],
    );
    assert.match(server.log(), /"msg":"stopped"/);
  });
});
