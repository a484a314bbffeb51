/**
 * How much presence costs beyond plain Faye: the same pub/sub load against a
 * bare faye NodeAdapter and against faye-online, on loopback, bounded in
 * count. Prints one line per server: deliveries per second.
 *
 *   npm run bench -- [clients=50] [messages=200]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Faye, { type Client } from 'faye';
import {
  closeClient,
  connected,
  onlineClient,
} from '../test/helpers/clients.js';
import { startTestServer } from '../test/helpers/server.js';

const CLIENTS = Number(process.argv[2] ?? 50);
const MESSAGES = Number(process.argv[3] ?? 200);
const WINDOW = 20;
const LIMIT_MS = 60_000;

async function plainFaye(): Promise<{ url: string; close(): Promise<void> }> {
  const bayeux = new Faye.NodeAdapter({ mount: '/faye', timeout: 25 });
  const http: Server = createServer();
  const sockets = new Set<Socket>();
  http.on('connection', (socket: Socket) => sockets.add(socket));
  bayeux.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      bayeux.close();
      // Upgraded WebSockets are not the HTTP server's to close.
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

async function run(label: string | null, url: string): Promise<void> {
  const clients: Client[] = [];
  for (let uid = 1; uid <= CLIENTS; uid++) {
    clients.push(
      onlineClient(url, { uid, uname: `u${uid}` }, { transport: 'websocket' }),
    );
  }
  await Promise.all(clients.map(connected));
  phase += ': subscribing';
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

  phase += ', publishing';
  const started = process.hrtime.bigint();
  const publisher = clients[0]!;
  // Publish in acknowledged windows: an unbounded burst measures the
  // client's queue, not the server.
  for (let i = 0; i < MESSAGES; i += WINDOW) {
    const window = Math.min(WINDOW, MESSAGES - i);
    await Promise.all(
      Array.from(
        { length: window },
        (_, k) =>
          new Promise<void>((resolve) =>
            publisher.publish('/bench', { i: i + k }).then(resolve),
          ),
      ),
    );
  }
  const timer = setTimeout(() => {
    console.error(
      `${label}: only ${delivered} of ${expected} deliveries within ${LIMIT_MS} ms`,
    );
    process.exit(1);
  }, LIMIT_MS);
  await finished;
  clearTimeout(timer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (label !== null)
    console.log(
      `${label.padEnd(12)} ${CLIENTS} clients, ${MESSAGES} messages: ` +
        `${Math.round(expected / seconds)} deliveries/s (${seconds.toFixed(2)} s)`,
    );
  phase += ', disconnecting';
  await Promise.all(clients.map(closeClient));
  phase = phase.split(':')[0]!;
}

// The whole run is bounded: a stuck phase says which one and fails.
let phase = 'start';
setTimeout(() => {
  console.error(`bench stuck in phase: ${phase}`);
  process.exit(1);
}, 90_000).unref();

phase = 'plain faye';
const plain = await plainFaye();
await run(null, plain.url); // warm-up, so neither side pays for the JIT
await run('plain faye', plain.url);
phase = 'closing plain faye';
await plain.close();
phase = 'faye-online';

// Every bench client handshakes from 127.0.0.1 at once: lift the per-address
// handshake limit, which would otherwise measure the throttling.
const online = await startTestServer({
  publishTick: 100,
  handshakeRate: 1_000_000,
});
await run('faye-online', online.url);
await online.stop();
