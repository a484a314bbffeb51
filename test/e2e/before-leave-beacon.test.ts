import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'faye';
import { BEFORE_LEAVE_CHANNEL } from '../../src/guard/channels.js';
import {
  authFor,
  clientIdOf,
  closeClient,
  connected,
  onlineClient,
  ROOM,
  type Seat,
} from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

/**
 * The browser client sends `/faye_online/before_leave` with
 * navigator.sendBeacon: one form-encoded Bayeux message on its own HTTP
 * request, whatever transport the page's Faye client uses.
 */
async function beacon(server: TestServer, clientId: string, seat: Seat) {
  const message = {
    channel: BEFORE_LEAVE_CHANNEL,
    clientId,
    data: {},
    id: 'beacon',
    ext: { auth: authFor(seat) },
  };
  const body = new URLSearchParams({ message: JSON.stringify(message) });
  const response = await fetch(`${server.url}/faye`, { method: 'POST', body });
  const [reply] = (await response.json()) as { successful: boolean }[];
  assert.equal(reply?.successful, true);
}

async function bayeux(server: TestServer, message: object) {
  const response = await fetch(`${server.url}/faye`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  });

  return ((await response.json()) as Record<string, any>[])[0]!;
}

/** A long-polling client that says before_leave and is never heard again. */
async function vanishingClient(server: TestServer, seat: Seat) {
  const ext = { auth: authFor(seat) };
  const handshake = await bayeux(server, {
    channel: '/meta/handshake',
    version: '1.0',
    supportedConnectionTypes: ['long-polling'],
    ext,
  });
  const clientId = handshake.clientId as string;
  await bayeux(server, { channel: '/chat', clientId, data: {}, ext });
  await beacon(server, clientId, seat);

  return clientId;
}

const uidsOnline = async (server: TestServer) =>
  (
    await server.getJson(`/api/online?room=${encodeURIComponent(ROOM)}`)
  ).users.map((user: { uid: unknown }) => user.uid);

describe('before_leave sent as a beacon', () => {
  let server: TestServer;
  const clients: Client[] = [];

  before(async () => {
    server = await startTestServer({ leaveGrace: 0.3 });
  });
  after(async () => {
    await Promise.all(clients.map(closeClient));
    await server.stop();
  });

  test('a client that is never heard again leaves after the grace', async () => {
    await vanishingClient(server, { uid: 1, uname: 'Gone' });
    assert.deepEqual(await uidsOnline(server), [1]);

    await eventually(async () => (await uidsOnline(server)).length === 0);
  });

  test('a WebSocket client that stays open stays listed', async () => {
    const seat = { uid: 2, uname: 'Stays' };
    // Faye handshakes over HTTP, then moves to a WebSocket.
    const client = onlineClient(server.url, seat);
    clients.push(client);
    await connected(client);
    await eventually(async () => (await uidsOnline(server)).includes(2));

    await beacon(server, clientIdOf(client), seat);
    // A client suspected after the beacon leaves first: once it is gone,
    // the grace of the beacon above is over too.
    await vanishingClient(server, { uid: 3, uname: 'Witness' });
    await eventually(async () => !(await uidsOnline(server)).includes(3));
    assert.deepEqual(await uidsOnline(server), [2]);
  });

  test('a WebSocket client still leaves when its socket closes later', async () => {
    const seat = { uid: 4, uname: 'Crashes' };
    const child = await webSocketClientProcess(server, seat);
    await eventually(async () => (await uidsOnline(server)).includes(4));
    await beacon(server, child.clientId, seat);

    child.process.kill('SIGKILL');
    await once(child.process, 'exit');
    await eventually(async () => !(await uidsOnline(server)).includes(4));
    await server.presence.writer.flush();
    const row = await server.db
      .selectFrom('connection_log')
      .select('reason')
      .where('client_id', '=', child.clientId)
      .where('event', '=', 'disconnect')
      .executeTakeFirstOrThrow();
    assert.equal(row.reason, 'socket_closed');
  });

  test('a long-polling client that stays polls again and stays listed', async () => {
    const seat = { uid: 5, uname: 'Polls' };
    const client = onlineClient(server.url, seat, {
      transport: 'long-polling',
    });
    clients.push(client);
    await connected(client);
    await eventually(async () => (await uidsOnline(server)).includes(5));

    await beacon(server, clientIdOf(client), seat);
    await vanishingClient(server, { uid: 6, uname: 'Witness' });
    await eventually(async () => !(await uidsOnline(server)).includes(6));
    assert.ok((await uidsOnline(server)).includes(5));
  });
});

/**
 * A Faye client over WebSocket in a process of its own, so that killing it
 * closes the socket the way a crashed browser does: no /meta/disconnect.
 */
async function webSocketClientProcess(server: TestServer, seat: Seat) {
  const script = `
    const Faye = require('faye');
    const client = new Faye.Client(process.argv[1] + '/faye');
    const auth = JSON.parse(process.argv[2]);
    client.addExtension({ outgoing(message, callback) {
      message.ext = { auth };
      if (message.channel === '/meta/connect') console.log(message.clientId);
      callback(message);
    } });
    client.connect();`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', script, server.url, JSON.stringify(authFor(seat))],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  child.stdout!.destroy();

  return { process: child, clientId: line.toString().trim().split('\n')[0]! };
}
