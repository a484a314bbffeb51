import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connected, onlineClient, ROOM } from '../helpers/clients.js';
import { HISTORY, L1, L2, manualClock, writePast } from '../helpers/ledger.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const q = (params: Record<string, string>) =>
  new URLSearchParams(params).toString();

async function get(server: TestServer, path: string) {
  const response = await fetch(server.url + path);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? JSON.parse(text) : text;

  return { status: response.status, type, body };
}

describe('report API over a known history', () => {
  let server: TestServer;
  const clock = manualClock('2024-11-01T12:00:00Z');

  before(async () => {
    server = await startTestServer({ clock });
    await writePast(server.db, HISTORY);
  });
  after(() => server.stop());

  test('online-time keeps its five fields without range parameters', async () => {
    const body = await server.getJson(
      `/api/online-time?${q({ uid: '1', channel: L1 })}`,
    );
    assert.deepEqual(body, {
      uid: 1,
      channel: L1,
      seconds: 1890,
      online: false,
      since: null,
    });
  });

  test('online-time splits by Berlin day across midnight', async () => {
    const params = {
      uid: '1',
      channel: L1,
      from: '2024-03-09',
      to: '2024-03-10',
      tz: 'Europe/Berlin',
      by: 'day',
    };
    const body = await server.getJson(`/api/online-time?${q(params)}`);
    assert.deepEqual(body, {
      uid: 1,
      channel: L1,
      seconds: 1890,
      online: false,
      since: null,
      from: '2024-03-08T23:00:00.000Z',
      to: '2024-03-10T23:00:00.000Z',
      tz: 'Europe/Berlin',
      days: [
        { date: '2024-03-09', seconds: 600 },
        { date: '2024-03-10', seconds: 1290 },
      ],
    });
  });

  test('online-time counts the DST night of Berlin on one date', async () => {
    const params = { uid: '1', channel: L2, tz: 'Europe/Berlin', by: 'day' };
    const body = await server.getJson(`/api/online-time?${q(params)}`);
    assert.equal(body.seconds, 2400);
    assert.deepEqual(body.days, [{ date: '2024-10-27', seconds: 2400 }]);
  });

  test('a range clips sessions to instants', async () => {
    const params = {
      uid: '1',
      channel: L1,
      from: '2024-03-09T23:00:00Z',
      to: '2024-03-10T10:01:00Z',
    };
    const body = await server.getJson(`/api/online-time?${q(params)}`);
    assert.equal(body.seconds, 1200 + 60);
  });

  test('attendance lists every user of a channel, most time first, with names', async () => {
    const body = await server.getJson(`/api/online-time?${q({ channel: L1 })}`);
    assert.deepEqual(body, {
      channel: L1,
      from: null,
      to: null,
      tz: 'UTC',
      count: 2,
      users: [
        { uid: 2, uname: 'Bob', seconds: 3600, online: false, since: null },
        { uid: 1, uname: 'Ann', seconds: 1890, online: false, since: null },
      ],
    });
  });

  test('attendance exports CSV with a header row and a column per Shanghai day', async () => {
    const params = {
      channel: L1,
      from: '2024-03-10',
      to: '2024-03-11',
      tz: 'Asia/Shanghai',
      by: 'day',
      format: 'csv',
    };
    const { status, type, body } = await get(
      server,
      `/api/online-time?${q(params)}`,
    );
    assert.equal(status, 200);
    assert.match(type, /^text\/csv/);
    assert.equal(
      body,
      [
        'uid,uname,seconds,online,2024-03-10,2024-03-11',
        '2,Bob,3600,false,3600,0',
        '1,Ann,1890,false,1890,0',
        '',
      ].join('\n'),
    );
  });

  test('online-time of a user lists each channel', async () => {
    const body = await server.getJson(`/api/online-time?${q({ uid: '1' })}`);
    assert.deepEqual(
      body.channels.map((c: any) => [c.channel, c.seconds]),
      [
        [L1, 1890],
        [L2, 2400],
      ],
    );
    assert.equal(body.uname, 'Ann');
  });

  test('sessions show what a total is made of, clipped to the range', async () => {
    const params = { uid: '1', channel: L1, from: '2024-03-09T23:00:00Z' };
    const body = await server.getJson(`/api/sessions?${q(params)}`);
    assert.equal(body.seconds, 1290);
    assert.deepEqual(body.sessions, [
      {
        id: 's1',
        channel: L1,
        start: '2024-03-09T22:50:00.000Z',
        end: '2024-03-09T23:20:00.000Z',
        seconds: 1200,
        reason: 'disconnect',
      },
      {
        id: 's2',
        channel: L1,
        start: '2024-03-10T10:00:00.000Z',
        end: '2024-03-10T10:01:30.000Z',
        seconds: 90,
        reason: 'disconnect',
      },
    ]);
  });

  test('logs page newest first until next is null', async () => {
    const first = await server.getJson(
      `/api/logs?${q({ uid: '1', limit: '4' })}`,
    );
    assert.deepEqual(
      first.rows.map((r: any) => [r.event, r.at]),
      [
        ['disconnect', '2024-10-27T01:10:00.000Z'],
        ['connect', '2024-10-27T00:30:00.000Z'],
        ['disconnect', '2024-03-10T10:01:30.000Z'],
        ['connect', '2024-03-10T10:00:00.000Z'],
      ],
    );
    assert.equal(first.next, first.rows[3].id);
    const second = await server.getJson(
      `/api/logs?${q({ uid: '1', limit: '4', before: String(first.next) })}`,
    );
    assert.deepEqual(
      second.rows.map((r: any) => [r.event, r.clientId, r.uname]),
      [
        ['disconnect', 'client-s1', 'Ann'],
        ['connect', 'client-s1', 'Ann'],
      ],
    );
    assert.equal(second.next, null);
  });

  test('logs before an instant start at that instant', async () => {
    const body = await server.getJson(
      `/api/logs?${q({ channel: L1, before: '2024-03-10T09:00:00Z' })}`,
    );
    assert.deepEqual(
      body.rows.map((r: any) => r.at),
      ['2024-03-09T23:20:00.000Z', '2024-03-09T22:50:00.000Z'],
    );
  });
});

describe('report API with live clients', () => {
  let server: TestServer;
  const clock = manualClock('2024-03-10T15:59:00Z');

  before(async () => {
    server = await startTestServer({ clock });
  });
  after(() => server.stop());

  test('a running session counts up to now and shows in sessions and status', async () => {
    const client = onlineClient(server.url, {
      uid: 9,
      uname: 'Zoe',
      timeChannel: L1,
    });
    await connected(client);
    await eventually(
      async () =>
        (await server.getJson(`/api/online?room=${encodeURIComponent(ROOM)}`))
          .count === 1,
    );
    clock.advance(120_000);
    const params = { uid: '9', channel: L1, tz: 'Asia/Shanghai', by: 'day' };
    const time = await server.getJson(`/api/online-time?${q(params)}`);
    assert.equal(time.seconds, 120);
    assert.equal(time.online, true);
    assert.equal(time.since, '2024-03-10T15:59:00.000Z');
    assert.deepEqual(time.days, [
      { date: '2024-03-10', seconds: 60 },
      { date: '2024-03-11', seconds: 60 },
    ]);
    const sessions = await server.getJson(`/api/sessions?${q({ uid: '9' })}`);
    assert.equal(sessions.sessions[0].end, null);
    assert.equal(sessions.sessions[0].seconds, 120);
    const status = await server.getJson('/api/status');
    assert.deepEqual(
      [status.clients, status.users, status.rooms, status.writeQueue],
      [1, 1, 1, 0],
    );
    assert.deepEqual(status.oldestOpenSession, {
      uid: 9,
      channel: L1,
      since: '2024-03-10T15:59:00.000Z',
    });
    assert.deepEqual(status.reconciliation, {
      usersWithoutClient: 0,
      sessionsWithoutClient: 0,
      repairedClients: 0,
    });
    assert.equal(typeof status.node.id, 'string');
    client.disconnect();
    await eventually(
      async () =>
        !(await server.getJson(`/api/online-time?${q(params)}`)).online,
    );
  });

  test('status repairs a client the engine no longer knows', async () => {
    const { tracker } = server.presence;
    const presence = {
      uid: '5',
      uname: 'Ghost',
      room: '/classes/9',
      timeChannel: L2,
    };
    tracker.connect('ghost-client', presence, clock.now());
    clock.advance(10_000);
    const status = await server.getJson('/api/status');
    assert.deepEqual(status.reconciliation, {
      usersWithoutClient: 1,
      sessionsWithoutClient: 1,
      repairedClients: 1,
    });
    const again = await server.getJson('/api/status');
    assert.deepEqual(again.reconciliation, {
      usersWithoutClient: 0,
      sessionsWithoutClient: 0,
      repairedClients: 0,
    });
    assert.equal(
      (await server.getJson('/api/online?room=/classes/9')).count,
      0,
    );
  });
});

describe('report API errors', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  const cases: [string, string][] = [
    ['/api/online-time', 'uid: expected a uid, a channel or both, got nothing'],
    [
      '/api/online-time?uid=1&from=yesterday',
      'from: expected an ISO date (2024-03-09) or instant (2024-03-09T22:50:00Z), got "yesterday"',
    ],
    [
      '/api/online-time?uid=1&to=2024-02-30',
      'to: expected an ISO date (2024-03-09) or instant (2024-03-09T22:50:00Z), got "2024-02-30"',
    ],
    [
      '/api/online-time?uid=1&from=2024-03-10&to=2024-03-01',
      'to: expected a time not before from (2024-03-10), got "2024-03-01"',
    ],
    [
      '/api/online-time?uid=1&tz=Mars/Olympus',
      'tz: expected an IANA time zone such as Asia/Shanghai, got "Mars/Olympus"',
    ],
    ['/api/online-time?uid=1&by=week', 'by: expected "day", got "week"'],
    [
      '/api/online-time?channel=/a&format=xml',
      'format: expected "json" or "csv", got "xml"',
    ],
    [
      '/api/online-time?channel=nope',
      'channel: expected a channel name such as /classes/4, got "nope"',
    ],
    ['/api/online-time?uid=1&uid=2', 'uid: expected one value, got ["1","2"]'],
    [
      '/api/online-time?uid=1&from=2000-01-01&to=2024-01-01&by=day',
      'to: expected at most 1000 days after from with by=day, got "2024-01-01"',
    ],
    [
      '/api/sessions?channel=/a',
      'uid: expected a non-negative integer or a string of 1 to 64 characters, got nothing',
    ],
    [
      '/api/sessions?uid=1&from=2024-13-01',
      'from: expected an ISO date (2024-03-09) or instant (2024-03-09T22:50:00Z), got "2024-13-01"',
    ],
    [
      '/api/logs?limit=1000000000',
      'limit: expected an integer from 1 to 1000, got "1000000000"',
    ],
    ['/api/logs?limit=0', 'limit: expected an integer from 1 to 1000, got "0"'],
    [
      '/api/logs?before=soon',
      'before: expected a log row id or an ISO date (2024-03-09) or ' +
        'instant (2024-03-09T22:50:00Z), got "soon"',
    ],
    [
      '/api/logs?before=999999',
      'before: expected the id of an existing log row, got "999999"',
    ],
  ];
  for (const [path, message] of cases) {
    test(`${path} answers 400 naming the parameter`, async () => {
      const { status, body } = await get(server, path);
      assert.equal(status, 400);
      assert.deepEqual(body, { error: { code: 'INVALID_PARAMETER', message } });
    });
  }
});
