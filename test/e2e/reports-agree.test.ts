import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'faye';
import { checkTotals } from '../../src/reports/consistency.js';
import { unionLength } from '../../src/presence/intervals.js';
import { connected, onlineClient } from '../helpers/clients.js';
import { L1, L2, manualClock } from '../helpers/ledger.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const q = (params: Record<string, string>) =>
  new URLSearchParams(params).toString();

async function clientsAre(server: TestServer, count: number) {
  await eventually(() => server.presence.tracker.clientCount === count, {
    what: `${count} tracked clients`,
  });
}

describe('every report agrees with a scripted evening', () => {
  let server: TestServer;
  const clock = manualClock('2024-03-09T22:50:00Z');

  before(async () => {
    server = await startTestServer({ clock });
  });
  after(() => server.stop());

  test('two users, three tabs, across Berlin midnight', async () => {
    const annA = onlineClient(server.url, {
      uid: 1,
      uname: 'Ann',
      timeChannel: L1,
    });
    await connected(annA);
    await clientsAre(server, 1);
    clock.set('2024-03-09T23:00:00Z');
    const annB = onlineClient(server.url, {
      uid: 1,
      uname: 'Ann',
      timeChannel: L1,
    });
    await connected(annB);
    await clientsAre(server, 2);
    clock.set('2024-03-09T23:05:00Z');
    const bob = onlineClient(server.url, {
      uid: 2,
      uname: 'Bob',
      timeChannel: L1,
    });
    await connected(bob);
    await clientsAre(server, 3);
    clock.set('2024-03-09T23:10:00Z');
    annA.disconnect();
    await clientsAre(server, 2);
    clock.set('2024-03-09T23:20:00Z');
    annB.disconnect();
    await clientsAre(server, 1);
    clock.set('2024-03-09T23:35:00Z');
    bob.disconnect();
    await clientsAre(server, 0);

    const ann = await server.getJson(
      `/api/online-time?${q({ uid: '1', channel: L1, tz: 'Europe/Berlin', by: 'day' })}`,
    );
    assert.equal(ann.seconds, 1800);
    assert.deepEqual(ann.days, [
      { date: '2024-03-09', seconds: 600 },
      { date: '2024-03-10', seconds: 1200 },
    ]);
    const sheet = await server.getJson(
      `/api/online-time?${q({ channel: L1 })}`,
    );
    assert.deepEqual(
      sheet.users.map((u: any) => [u.uid, u.uname, u.seconds]),
      [
        [1, 'Ann', 1800],
        [2, 'Bob', 1800],
      ],
    );
    const sessions = await server.getJson(
      `/api/sessions?${q({ uid: '1', channel: L1 })}`,
    );
    assert.deepEqual(
      sessions.sessions.map((s: any) => [s.start, s.end, s.seconds, s.reason]),
      [
        [
          '2024-03-09T22:50:00.000Z',
          '2024-03-09T23:20:00.000Z',
          1800,
          'disconnect',
        ],
      ],
    );
    const log = await server.getJson(`/api/logs?${q({ uid: '1' })}`);
    assert.deepEqual(
      log.rows.map((r: any) => [r.event, r.at, r.room]),
      [
        ['disconnect', '2024-03-09T23:20:00.000Z', '/classes/4'],
        ['disconnect', '2024-03-09T23:10:00.000Z', '/classes/4'],
        ['connect', '2024-03-09T23:00:00.000Z', '/classes/4'],
        ['connect', '2024-03-09T22:50:00.000Z', '/classes/4'],
      ],
    );
    assert.deepEqual(
      (await checkTotals(server.db, clock.now())).mismatches,
      [],
    );
  });
});

describe('live totals and the connection log agree on a random run', () => {
  let server: TestServer;
  const clock = manualClock('2024-06-01T08:00:00Z');
  const live: { client: Client; seat: string; start: number }[] = [];

  before(async () => {
    server = await startTestServer({ clock });
  });
  after(async () => {
    for (const { client } of live) client.disconnect();
    await clientsAre(server, 0);
    await server.stop();
  });

  test('for every user and channel', async () => {
    const seats = [1, 2, 3].flatMap((uid) =>
      [L1, L2].map((channel) => ({ uid, channel })),
    );
    const done = new Map<string, { start: number; end: number }[]>();
    const seed = Date.now();
    let state = seed;
    const random = () =>
      (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let step = 0; step < 24; step++) {
      clock.advance(Math.floor(random() * 5000));
      if (live.length < 2 || (live.length < 8 && random() < 0.55)) {
        const seat = seats[Math.floor(random() * seats.length)]!;
        const client = onlineClient(server.url, {
          uid: seat.uid,
          uname: `u${seat.uid}`,
          timeChannel: seat.channel,
        });
        await connected(client);
        live.push({
          client,
          seat: `${seat.uid} ${seat.channel}`,
          start: clock.now(),
        });
      } else {
        const [gone] = live.splice(Math.floor(random() * live.length), 1);
        gone!.client.disconnect();
        done.set(gone!.seat, [
          ...(done.get(gone!.seat) ?? []),
          { start: gone!.start, end: clock.now() },
        ]);
      }
      await clientsAre(server, live.length);
    }
    clock.advance(1234);
    await server.presence.writer.flush();

    const { mismatches } = await checkTotals(server.db, clock.now());
    assert.deepEqual(mismatches, [], `seed ${seed}`);
    for (const { uid, channel } of seats) {
      const seat = `${uid} ${channel}`;
      const running = live
        .filter((l) => l.seat === seat)
        .map((l) => ({ start: l.start, end: clock.now() }));
      const expected =
        unionLength([...(done.get(seat) ?? []), ...running]) / 1000;
      const body = await server.getJson(
        `/api/online-time?${q({ uid: String(uid), channel })}`,
      );
      assert.equal(body.seconds, expected, `${seat}, seed ${seed}`);
    }
  });
});
