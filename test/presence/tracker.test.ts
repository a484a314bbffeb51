import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TrackerEvent } from '../../src/presence/events.js';
import { Tracker } from '../../src/presence/tracker.js';
import type { Presence } from '../../src/presence/types.js';

const seat = (uid: string, room = '/r', timeChannel = '/t'): Presence => ({
  uid,
  uname: `user ${uid}`,
  room,
  timeChannel,
});

function setup(graceMs = 1000) {
  const events: TrackerEvent[] = [];
  let n = 0;
  const tracker = new Tracker({
    emit: (event) => events.push(event),
    graceMs,
    newId: () => `s${++n}`,
  });
  const of = <T extends TrackerEvent['type']>(type: T) =>
    events.filter(
      (e): e is Extract<TrackerEvent, { type: T }> => e.type === type,
    );
  const closed = () =>
    of('session_closed').map((e) => [e.id, e.start, e.end, e.reason]);

  return { tracker, events, of, closed };
}

describe('Tracker', () => {
  test('a second client of a user is no second join', () => {
    const { tracker, of } = setup();
    tracker.connect('a', seat('1'), 0);
    tracker.connect('b', seat('1'), 10);
    assert.equal(of('user_joined').length, 1);
    assert.deepEqual(
      tracker.users('/r').map((u) => [u.uid, u.clients]),
      [['1', 2]],
    );
  });

  test('a repeated connect of one client only counts as seen', () => {
    const { tracker, of } = setup();
    tracker.connect('a', seat('1'), 0);
    tracker.connect('a', seat('1'), 500);
    assert.equal(of('client_connected').length, 1);
    assert.equal(tracker.lastSeenOf('a'), 500);
  });

  test('the user leaves only when the last client is gone', () => {
    const { tracker, of } = setup();
    tracker.connect('a', seat('1'), 0);
    tracker.connect('b', seat('1'), 0);
    tracker.end('a', 'timeout', 100, 200);
    assert.equal(of('user_left').length, 0);
    tracker.end('b', 'timeout', 150, 200);
    assert.deepEqual(
      of('user_left').map((e) => e.uid),
      ['1'],
    );
    assert.deepEqual(tracker.users('/r'), []);
  });

  test('a disconnect waits out the grace, and a reload inside it is no leave', () => {
    const { tracker, of } = setup(1000);
    tracker.connect('old', seat('1'), 0);
    tracker.end('old', 'disconnect', 5000, 5000);
    assert.equal(
      tracker.users('/r').length,
      1,
      'still listed during the grace',
    );
    tracker.connect('new', seat('1'), 5400);
    tracker.sweep(7000);
    assert.equal(of('user_left').length, 0);
    assert.equal(of('user_joined').length, 1);
  });

  test('a disconnect becomes a leave once the grace is over', () => {
    const { tracker, of } = setup(1000);
    tracker.connect('a', seat('1'), 0);
    tracker.end('a', 'disconnect', 5000, 5000);
    tracker.sweep(5999);
    assert.equal(of('user_left').length, 0);
    tracker.sweep(6000);
    assert.equal(of('user_left').length, 1);
  });

  test('two overlapping clients make one session: union, not sum', () => {
    const { tracker, closed } = setup();
    tracker.connect('a', seat('1'), 0);
    tracker.connect('b', seat('1'), 5000);
    tracker.end('a', 'disconnect', 10_000, 10_000);
    tracker.end('b', 'disconnect', 12_000, 12_000);
    assert.deepEqual(closed(), [['s1', 0, 12_000, 'disconnect']]);
  });

  test('an expiry found out late splits the session at the gap', () => {
    const { tracker, closed, of } = setup();
    tracker.connect('a', seat('1'), 0);
    tracker.seen('a', 10_000);
    tracker.connect('b', seat('1'), 30_000);
    tracker.endAtLastSeen('a', 'timeout', 60_000);
    assert.deepEqual(closed(), [['s1', 0, 10_000, 'timeout']]);
    assert.deepEqual(
      of('session_opened').map((e) => [e.id, e.start]),
      [
        ['s1', 0],
        ['s2', 30_000],
      ],
    );
    tracker.end('b', 'disconnect', 70_000, 70_000);
    assert.deepEqual(closed()[1], ['s2', 30_000, 70_000, 'disconnect']);
  });

  test('totals do not depend on the order in which ends are found out', () => {
    const runs = [
      ['a', 'b'],
      ['b', 'a'],
    ].map((order) => {
      const { tracker, closed } = setup();
      tracker.connect('a', seat('1'), 0);
      tracker.connect('b', seat('1'), 5_000);
      tracker.seen('a', 20_000);
      tracker.seen('b', 8_000);
      for (const id of order) tracker.endAtLastSeen(id!, 'timeout', 90_000);
      return closed().map(([, start, end]) => [start, end]);
    });
    assert.deepEqual(runs[0], [[0, 20_000]]);
    assert.deepEqual(runs[1], runs[0]);
  });

  test('an end is clamped between the start and now', () => {
    const { tracker, closed } = setup();
    tracker.connect('a', seat('1'), 1000);
    tracker.end('a', 'timeout', 500, 2000);
    assert.deepEqual(closed(), [['s1', 1000, 1000, 'timeout']]);
  });

  test('ending an unknown or already ended client changes nothing', () => {
    const { tracker, events } = setup();
    tracker.connect('a', seat('1'), 0);
    tracker.connect('b', seat('1'), 0);
    tracker.end('a', 'disconnect', 10, 10);
    const count = events.length;
    assert.equal(tracker.end('a', 'timeout', 20, 20), false);
    assert.equal(tracker.end('zzz', 'timeout', 20, 20), false);
    assert.equal(events.length, count);
    assert.equal(tracker.users('/r').length, 1);
  });

  test('a suspect seen again within the grace stays', () => {
    const { tracker, of } = setup(1000);
    tracker.connect('a', seat('1'), 0);
    tracker.suspect('a', 'before_leave', 100);
    tracker.seen('a', 400);
    assert.deepEqual(tracker.sweep(5000), []);
    assert.equal(of('client_disconnected').length, 0);
  });

  test('a suspect not seen within the grace ends at its last seen', () => {
    const { tracker, of, closed } = setup(1000);
    tracker.connect('a', seat('1'), 0);
    tracker.seen('a', 100);
    tracker.suspect('a', 'socket_closed', 150);
    assert.deepEqual(tracker.sweep(1100), []);
    assert.deepEqual(tracker.sweep(1150), ['a']);
    assert.deepEqual(
      of('client_disconnected').map((e) => [e.at, e.reason]),
      [[100, 'socket_closed']],
    );
    assert.deepEqual(closed(), [['s1', 0, 100, 'socket_closed']]);
    assert.equal(of('user_left').length, 1, 'the grace was already waited');
  });

  test('endAll ends live clients now and stale ones at their last seen', () => {
    const { tracker, of } = setup();
    tracker.connect('live', seat('1'), 0);
    tracker.connect('stale', seat('2'), 0);
    tracker.seen('live', 9_000);
    tracker.endAll('shutdown', 10_000, 5_000);
    assert.deepEqual(
      of('client_disconnected').map((e) => [e.clientId, e.at, e.reason]),
      [
        ['live', 10_000, 'shutdown'],
        ['stale', 0, 'shutdown'],
      ],
    );
    assert.equal(tracker.roomNames().length, 0);
  });

  test('rooms and time channels are tracked independently', () => {
    const { tracker, of } = setup();
    tracker.connect('a', seat('1', '/r1', '/t1'), 0);
    tracker.connect('b', seat('1', '/r2', '/t1'), 0);
    assert.deepEqual(tracker.roomNames(), ['/r1', '/r2']);
    assert.equal(of('session_opened').length, 1);
  });
});
