import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connected, LESSON, onlineClient, ROOM } from '../helpers/clients.js';
import { eventually } from '../helpers/wait.js';

type Api = typeof import('../../src/index.js');
type OnlineServer = import('../../src/index.js').OnlineServer;

// Imported by package name, as an application would (package.json exports).
const packageName = 'faye-online';

describe('createOnlineServer attached to an application server', () => {
  let dir: string;
  let http: Server;
  let online: OnlineServer;
  let url: string;
  const events: [string, any][] = [];

  before(async () => {
    const { createOnlineServer } = (await import(packageName)) as Api;
    dir = mkdtempSync(join(tmpdir(), 'faye-online-node-'));
    http = createServer((_request, response) =>
      response.end('the application'),
    );
    online = await createOnlineServer({
      database: join(dir, 'node.sqlite'),
      timeout: 2,
      leaveGrace: 0.2,
      publishTick: 20,
      writeDelay: 5,
    });
    online.attach(http);
    for (const name of ['join', 'leave', 'session'] as const) {
      online.on(name, (event: unknown) => events.push([name, event]));
    }
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(async () => {
    await online.close();
    await new Promise((resolve) => http.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  test('leaves the application its own routes and serves /api beside them', async () => {
    assert.equal(
      await (await fetch(`${url}/somewhere`)).text(),
      'the application',
    );
    assert.deepEqual(await (await fetch(`${url}/api/rooms`)).json(), {
      rooms: [],
    });
  });

  test('answers in process and emits join, leave and session', async () => {
    const client = onlineClient(url, { uid: 11, uname: 'Ida' });
    await connected(client);
    await eventually(() => events.some(([name]) => name === 'join'));
    const list = await online.online(ROOM);
    assert.deepEqual(
      list.users.map((u) => [u.uid, u.uname, u.clients]),
      [[11, 'Ida', 1]],
    );
    const running = await online.onlineTime({ uid: 11, channel: LESSON });
    assert.equal(running.online, true);

    client.disconnect();
    await eventually(() => events.some(([name]) => name === 'leave'));
    const session = events.find(([name]) => name === 'session')?.[1];
    assert.equal(session.uid, 11);
    assert.equal(session.channel, LESSON);
    assert.equal(session.reason, 'disconnect');
    const sheet = await online.attendance(LESSON);
    assert.deepEqual(
      sheet.users.map((u) => [u.uid, u.seconds]),
      [[11, session.seconds]],
    );
    assert.deepEqual(
      events.map(([name]) => name),
      ['join', 'session', 'leave'],
    );
  });

  test('keeps tracking when a listener throws', async () => {
    online.on('join', () => {
      throw new Error('a buggy hook');
    });
    const client = onlineClient(url, { uid: 12, uname: 'Jo' });
    await connected(client);
    await eventually(async () => (await online.online(ROOM)).count === 1);
    client.disconnect();
    await eventually(async () => (await online.online(ROOM)).count === 0);
  });
});
