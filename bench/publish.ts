/**
 * How much presence costs beyond plain Faye: the same pub/sub load against a
 * bare faye NodeAdapter and against faye-online, on loopback, bounded in
 * count. Prints one line per server: deliveries per second.
 *
 *   npm run bench -- [clients=50] [messages=200]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Faye, { type Client } from 'faye';
import { closeClient, connected, onlineClient } from '../test/helpers/clients.js';
import { startTestServer } from '../test/helpers/server.js';

const CLIENTS = Number(process.argv[2] ?? 50);
const MESSAGES = Number(process.argv[3] ?? 200);

async function plainFaye(): Promise<{ url: string; close(): Promise<void> }> {
  const bayeux = new Faye.NodeAdapter({ mount: '/faye', timeout: 25 });
  const http: Server = createServer();
  bayeux.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      bayeux.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

async function run(label: string | null, url: string): Promise<void> {
  const clients: Client[] = [];
  for (let uid = 1; uid <= CLIENTS; uid++) {
    clients.push(onlineClient(url, { uid, uname: `u${uid}` }, { transport: 'websocket' }));
  }
  await Promise.all(clients.map(connected));
  let delivered = 0;
  let done = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const expected = CLIENTS * MESSAGES;
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) =>
          client
            .subscribe('/bench', () => {
              delivered += 1;
              if (delivered === expected) done();
            })
            .then(resolve),
        ),
    ),
  );

  const started = process.hrtime.bigint();
  const publisher = clients[0]!;
  for (let i = 0; i < MESSAGES; i++) void publisher.publish('/bench', { i });
  await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (label !== null) console.log(
    `${label.padEnd(12)} ${CLIENTS} clients, ${MESSAGES} messages: ` +
      `${Math.round(expected / seconds)} deliveries/s (${seconds.toFixed(2)} s)`,
  );
  await Promise.all(clients.map(closeClient));
}

const plain = await plainFaye();
await run(null, plain.url); // warm-up, so neither side pays for the JIT
await run('plain faye', plain.url);
await plain.close();

const online = await startTestServer({ publishTick: 100 });
await run('faye-online', online.url);
await online.stop();
