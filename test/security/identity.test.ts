import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'faye';
import pino from 'pino';
import { parseConfig } from '../../src/config/schema.js';
import { verifyToken } from '../../src/identity/token.js';
import { startServer } from '../../src/server/app.js';
import { connected, LESSON, ROOM } from '../helpers/clients.js';
import { post } from '../helpers/raw.js';
import {
  closeAll,
  outcome,
  rawHandshake,
  SECRET,
  secureAuth,
  secureClient,
  tokenFor,
} from '../helpers/secure.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const b64 = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT put together by hand, for algorithms jose refuses to sign. */
function handmade(header: object, payload: object, key = SECRET): string {
  const body = `${b64(header)}.${b64(payload)}`;
  const signature = createHmac('sha256', key).update(body).digest('base64url');

  return `${body}.${signature}`;
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

const BEFORE_LEAVE = '/faye_online/before_leave';

describe('signed identity', () => {
  let server: TestServer;
  const clients: Client[] = [];
  /** Connected throughout: hostile input must not disturb it. */
  let legit: ReturnType<typeof secureClient>;

  const online = async () =>
    (await server.getJson(`/api/online?room=${encodeURIComponent(ROOM)}`))
      .users as { uid: unknown; uname: string }[];

  const legitStillWorks = async () => {
    const users = await online();
    assert.ok(
      users.some((u) => u.uid === 1),
      'the legitimate user is listed',
    );
    assert.equal(await outcome(legit.client.publish(`${ROOM}/chat`, {})), null);
  };

  before(async () => {
    server = await startTestServer({ secret: SECRET });
    legit = secureClient(
      server.url,
      await tokenFor({ uid: '1', uname: 'Ann' }),
    );
    clients.push(legit.client);
    await connected(legit.client);
    await eventually(async () => (await online()).length === 1);
  });
  after(async () => {
    await closeAll(clients);
    await server.stop();
  });

  test('the user comes from the token, not from the client', async () => {
    const users = await online();
    assert.deepEqual(
      users.map(({ uid, uname }) => ({ uid, uname })),
      [{ uid: 1, uname: 'Ann' }],
    );
  });

  test('a current_user that disagrees with the token is refused', async () => {
    const token = await tokenFor({ uid: '1', uname: 'Ann' });
    const spoofed = secureAuth(token, {
      currentUser: { uid: 2, uname: 'Bob' },
    });
    const reply = await rawHandshake(server.url, spoofed);
    assert.equal(reply.successful, false);
    assert.equal(
      reply.error,
      "403:auth.current_user.uid:auth.current_user.uid must be the token's " +
        'user 1, got number 2',
    );
    const renamed = secureAuth(token, {
      currentUser: { uid: 1, uname: 'Bob' },
    });
    assert.equal(
      (await rawHandshake(server.url, renamed)).error,
      '403:auth.current_user.uname:auth.current_user.uname must be the ' +
        `token's name "Ann", got the string "Bob" (3 characters)`,
    );
    await legitStillWorks();
  });

  test('a handshake without a token is refused', async () => {
    const reply = await rawHandshake(server.url);
    assert.equal(
      reply.error,
      '401:token_missing:a handshake must carry a token as ext.auth.token ' +
        '(this server has a secret), got none',
    );
  });

  test('a token signed with another secret is refused', async () => {
    const forged = await tokenFor({ uid: '1' }, 'some-other-secret');
    const reply = await rawHandshake(server.url, secureAuth(forged));
    assert.equal(
      reply.error,
      '401:token_bad_signature:token signature does not match the server secret',
    );
    await legitStillWorks();
  });

  test('an expired token is refused and says when it expired', async () => {
    const exp = Math.floor(Date.now() / 1000) - 10;
    const expired = handmade(
      { alg: 'HS256', typ: 'JWT' },
      { sub: '1', name: 'Ann', rooms: [ROOM], time_channels: [LESSON], exp },
    );
    const reply = await rawHandshake(server.url, secureAuth(expired));
    assert.equal(
      reply.error,
      `401:token_expired:token expired at ${new Date(exp * 1000).toISOString()}`,
    );
  });

  test('alg none and RS256 are refused as the wrong algorithm', async () => {
    const claims = {
      sub: '1',
      name: 'Ann',
      rooms: [ROOM],
      time_channels: [LESSON],
      exp: inAnHour(),
    };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    assert.equal(
      (await rawHandshake(server.url, secureAuth(none))).error,
      '401:token_wrong_algorithm:token algorithm must be HS256, got "none"',
    );
    // The secret used as if it were the key of an asymmetric algorithm.
    const rs256 = handmade({ alg: 'RS256', typ: 'JWT' }, claims);
    assert.equal(
      (await rawHandshake(server.url, secureAuth(rs256))).error,
      '401:token_wrong_algorithm:token algorithm must be HS256, got "RS256"',
    );
    await legitStillWorks();
  });

  test('malformed tokens and claims are refused as malformed', async () => {
    assert.equal(
      (await rawHandshake(server.url, secureAuth('abc'))).error,
      '401:token_malformed:token is malformed: Invalid Compact JWS',
    );
    const noRooms = handmade(
      { alg: 'HS256' },
      { sub: '1', name: 'Ann', time_channels: [], exp: inAnHour() },
    );
    assert.equal(
      (await rawHandshake(server.url, secureAuth(noRooms))).error,
      '401:token_malformed:token claim rooms must be an array of at most ' +
        '256 channel names or patterns (/classes/4, /classes/*, /classes/**), ' +
        'got nothing',
    );
    const noExp = handmade(
      { alg: 'HS256' },
      { sub: '1', name: 'Ann', rooms: [], time_channels: [] },
    );
    assert.match(
      (await rawHandshake(server.url, secureAuth(noExp))).error,
      /^401:token_malformed:token is malformed: missing required "exp" claim/,
    );
  });

  test('a clientId no handshake bound is refused', async () => {
    const [reply] = await post(server.url, {
      channel: `${ROOM}/chat`,
      clientId: 'abc123',
      data: {},
    });
    assert.equal(
      reply.error,
      '401:clientId:unknown client: handshake again with a valid token',
    );
    assert.deepEqual(reply.advice, { reconnect: 'handshake', interval: 0 });
  });

  test('a disconnected client is forgotten and cannot come back', async () => {
    const token = await tokenFor({ uid: '6', uname: 'Flo' });
    const flo = secureClient(server.url, token);
    await connected(flo.client);
    const clientId = flo.clientId();
    await closeAll([flo.client]);
    const [reply] = await post(server.url, {
      channel: `${ROOM}/chat`,
      clientId,
      data: {},
      ext: { auth: secureAuth(token) },
    });
    assert.equal(
      reply.error,
      '401:clientId:unknown client: handshake again with a valid token',
    );
  });

  test('a clientId without its token is no credential', async () => {
    for (const channel of [`${ROOM}/chat`, '/meta/disconnect']) {
      const [reply] = await post(server.url, {
        channel,
        clientId: legit.clientId(),
        data: {},
      });
      assert.equal(
        reply.error,
        '401:token_missing:every message of a client must carry its token ' +
          'as ext.auth.token (this server has a secret), got none',
        channel,
      );
    }
    await legitStillWorks();
  });

  test('a before_leave reaches no subscriber with anything in it', async () => {
    const spy = secureClient(
      server.url,
      await tokenFor({ uid: '66', uname: 'Spy', channels: ['/**'] }),
    );
    await connected(spy.client);
    assert.equal(await outcome(spy.client.subscribe('/**', () => {})), null);
    const token = await tokenFor({ uid: '7', uname: 'Gus' });
    const gus = secureClient(server.url, token);
    await connected(gus.client);
    await outcome(
      gus.client.publish(BEFORE_LEAVE, { clientId: gus.clientId() }),
    );
    const leaks = await eventually(() =>
      spy.received.filter((m) => m.channel === BEFORE_LEAVE),
    );
    assert.deepEqual(
      leaks.map((m) => m.data),
      [{}],
    );
    await closeAll([spy.client, gus.client]);
  });

  test("a client cannot switch to another user's token", async () => {
    const [reply] = await post(server.url, {
      channel: `${ROOM}/chat`,
      clientId: legit.clientId(),
      data: {},
      ext: { auth: secureAuth(await tokenFor({ uid: '2', uname: 'Bob' })) },
    });
    assert.equal(
      reply.error,
      '403:auth.token:a client cannot change user: its token is for 1, ' +
        'the new one for 2',
    );
    await legitStillWorks();
  });

  test('a token that expires during a session does not end it', async () => {
    const token = await tokenFor({ uid: '5', uname: 'Eve', ttl: 1 });
    const { exp } = JSON.parse(
      Buffer.from(token.split('.')[1]!, 'base64url').toString(),
    ) as { exp: number };
    const eve = secureClient(server.url, token);
    clients.push(eve.client);
    await connected(eve.client);
    await eventually(async () => (await online()).some((u) => u.uid === 5));

    await eventually(() => Date.now() > exp * 1000 + 50, { what: 'expiry' });
    assert.equal(await outcome(eve.client.publish(`${ROOM}/chat`, {})), null);
    assert.ok(
      (await online()).some((u) => u.uid === 5),
      'still listed',
    );
    const again = await rawHandshake(server.url, secureAuth(token));
    assert.match(again.error, /^401:token_expired:token expired at /);
  });
});

describe('starting without a secret', () => {
  test('is refused off loopback unless --insecure is given', () => {
    assert.throws(() => parseConfig({ host: '0.0.0.0' }), {
      message:
        'invalid configuration: secret: no secret is set and the host ' +
        '0.0.0.0 is not a loopback address: any client could claim to be ' +
        'any user. Set --secret (FAYE_ONLINE_SECRET), listen on ' +
        '127.0.0.1, or pass --insecure',
    });
    assert.equal(
      parseConfig({ host: '0.0.0.0', insecure: true }).insecure,
      true,
    );
    assert.equal(parseConfig({ host: '0.0.0.0', secret: 's' }).secret, 's');
    assert.equal(parseConfig({ host: '::1' }).host, '::1');
  });

  async function startWarnings(options: Record<string, unknown>) {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const config = parseConfig({ port: 0, database: ':memory:', ...options });
    const server = await startServer({
      config,
      log: pino({ level: 'warn' }, sink),
    });
    await server.close();
    return lines.filter((line) => line.level === 40).map((line) => line.msg);
  }

  test('logs one warning at start', async () => {
    assert.deepEqual(await startWarnings({}), [
      'no secret: clients are trusted to say who they are (set --secret)',
    ]);
  });

  test('warns about a secret shorter than 32 characters, not a long one', async () => {
    assert.deepEqual(await startWarnings({ secret: 'short' }), [
      'the secret is shorter than 32 characters: use a long random one',
    ]);
    assert.deepEqual(await startWarnings({ secret: SECRET }), []);
  });
});

describe('faye-online token', () => {
  test('prints a token the server accepts', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      'dist/src/cli/index.js',
      'token',
      '--secret',
      SECRET,
      '--uid',
      '42',
      '--uname',
      'Ann',
      '--room',
      ROOM,
      '--time-channel',
      LESSON,
      '--ttl',
      '60',
    ]);
    const identity = await verifyToken(stdout.trim(), SECRET);
    assert.equal(identity.uid, '42');
    assert.equal(identity.uname, 'Ann');
    assert.deepEqual(identity.rooms, [ROOM]);
    assert.deepEqual(identity.timeChannels, [LESSON]);
    const left = identity.expires - Date.now();
    assert.ok(left > 55_000 && left <= 60_000, `expires in ${left} ms`);
  });
});
