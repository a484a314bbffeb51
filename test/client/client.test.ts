import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, backoffScheduler } from '../../src/client/backoff.js';
import { OnlineOptionError, parseOptions } from '../../src/client/options.js';
import { UserList } from '../../src/client/user-list.js';
import { demoEnabled } from '../../src/server/static.js';

const valid = {
  url: 'http://127.0.0.1:9292',
  room: '/classes/4',
  timeChannel: '/courses/5/lessons/1',
  user: { uid: 42, uname: 'Ann' },
};

describe('connectOnline options', () => {
  test('become the ext.auth of DESIGN.md §6 and the /faye endpoint', () => {
    const settings = parseOptions({ ...valid, token: 't' });

    assert.equal(settings.endpoint, 'http://127.0.0.1:9292/faye');
    assert.equal(settings.base, 'http://127.0.0.1:9292');
    assert.deepEqual(settings.auth, {
      room_channel: '/classes/4',
      time_channel: '/courses/5/lessons/1',
      current_user: { uid: 42, uname: 'Ann' },
      token: 't',
    });
  });

  test('accept the /faye endpoint itself and a URL relative to the page', () => {
    const endpoint = parseOptions({
      ...valid,
      url: 'https://x.example/online/faye/',
    });
    const relative = parseOptions(
      { ...valid, url: '/online' },
      'https://app.example/a/b',
    );

    assert.equal(endpoint.endpoint, 'https://x.example/online/faye');
    assert.equal(relative.endpoint, 'https://app.example/online/faye');
  });

  test('accept a token without a user', () => {
    const { user: _user, ...rest } = valid;

    assert.deepEqual(parseOptions({ ...rest, token: 'signed' }).auth, {
      room_channel: '/classes/4',
      time_channel: '/courses/5/lessons/1',
      token: 'signed',
    });
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    [
      'url',
      { url: undefined },
      'options.url must be the server URL, e.g. "http://127.0.0.1:9292", got undefined',
    ],
    [
      'url scheme',
      { url: 'ftp://x' },
      'options.url must be an http: or https: URL (the server URL, e.g. ' +
        '"http://127.0.0.1:9292"), got "ftp://x"',
    ],
    [
      'room',
      { room: 'classes' },
      'options.room must be a channel name such as /classes/4, got "classes"',
    ],
    [
      'meta room',
      { room: '/meta/connect' },
      'options.room must be a channel name such as /classes/4, got "/meta/connect"',
    ],
    [
      'timeChannel',
      { timeChannel: 5 },
      'options.timeChannel must be a channel name such as /classes/4, got number 5',
    ],
    [
      'user',
      { user: undefined },
      'options.user must be { uid, uname } (or give options.token), got undefined',
    ],
    [
      'uid',
      { user: { uid: -1, uname: 'Ann' } },
      'options.user.uid must be a non-negative integer or a string of 1 to ' +
        '64 characters, got number -1',
    ],
    [
      'uname',
      { user: { uid: 1, uname: '' } },
      'options.user.uname must be a string of 1 to 128 characters, got ""',
    ],
    [
      'token',
      { token: 7 },
      'options.token must be a non-empty string, got number 7',
    ],
    [
      'onUsers',
      { onUsers: 'render' },
      'options.onUsers must be a function, got "render"',
    ],
  ];
  test('refuse options that are no object, and options that do not exist', () => {
    assert.throws(() => parseOptions(undefined), {
      message: 'faye-online: options must be an object, got undefined',
    });
    assert.throws(() => parseOptions({ ...valid, onuser: () => {} }), {
      message:
        'faye-online: options.onuser is no option: expected one of url, ' +
        'room, timeChannel, user, token, onUsers, fayeOptions',
    });
  });

  for (const [what, change, message] of refusals) {
    test(`refuse a bad ${what}, naming it and what was expected`, () => {
      assert.throws(
        () => parseOptions({ ...valid, ...change }),
        (error) => {
          assert.ok(error instanceof OnlineOptionError);
          assert.equal(error.message, `faye-online: ${message}`);
          return true;
        },
      );
    });
  }
});

describe('reconnect back-off', () => {
  const backoff = { baseMs: 1000, maxMs: 30_000 };

  test('doubles its ceiling per failure up to the maximum', () => {
    const top = (failures: number) =>
      backoffDelay(failures, { ...backoff, random: () => 0.999999 });

    assert.deepEqual(
      [1, 2, 3, 4].map((n) => Math.round(top(n))),
      [1000, 2000, 4000, 8000],
    );
    assert.equal(Math.round(top(20)), 30_000);
  });

  test('waits a random time in the upper half of the ceiling', () => {
    const low = backoffDelay(3, { ...backoff, random: () => 0 });
    const delays = Array.from({ length: 200 }, () => backoffDelay(3, backoff));

    assert.equal(low, 2000);
    assert.ok(delays.every((d) => d >= 2000 && d < 4000));
    assert.ok(new Set(delays).size > 150, 'pages do not all wait the same');
  });

  test('is what faye asks its scheduler for, in seconds, per failed message', () => {
    const Scheduler = backoffScheduler({ ...backoff, random: () => 0 });
    const scheduler = new Scheduler({}, { timeout: 30, attempts: 2 });
    scheduler.send();
    scheduler.fail();
    const first = scheduler.getInterval();
    scheduler.send();
    scheduler.fail();

    assert.equal(first, 0.5);
    assert.equal(scheduler.getInterval(), 1);
    assert.equal(scheduler.getTimeout(), 30);
    assert.equal(scheduler.isDeliverable(), false);
  });
});

describe('the user list', () => {
  const message = (...names: string[]) => ({
    count: names.length,
    user_list: names,
    users: names.map((uname) => ({ uid: uname, uname })),
  });

  test('tells listeners once per scheduled run, with the latest list', () => {
    const runs: (() => void)[] = [];
    const list = new UserList((run) => runs.push(run));
    const heard: string[][] = [];
    list.listen((users) => heard.push(users.map((u) => u.uname)));
    list.receive(message('a'));
    list.receive(message('a', 'b'));
    list.receive(message('a', 'b', 'c'));

    assert.equal(runs.length, 1);
    assert.equal(list.count, 3);
    runs.shift()!();
    assert.deepEqual(heard, [['a', 'b', 'c']]);
  });

  test('keeps the received array, frozen, instead of a copy', () => {
    const list = new UserList((run) => run());
    const received = message('a', 'b');
    list.receive(received);

    assert.equal(list.users, received.users);
    assert.ok(Object.isFrozen(list.users));
  });

  test('gives a late listener the current list and ignores foreign data', () => {
    const list = new UserList((run) => run());
    list.receive(message('a'));
    list.receive({ hello: 'world' });
    const heard: number[] = [];
    list.listen((_users, count) => heard.push(count));

    assert.deepEqual(heard, [1]);
  });
});

describe('the demo page', () => {
  test('is served on loopback, and elsewhere only with --demo', () => {
    assert.equal(demoEnabled({ host: '127.0.0.1', demo: false }), true);
    assert.equal(demoEnabled({ host: '::1', demo: false }), true);
    assert.equal(demoEnabled({ host: '0.0.0.0', demo: false }), false);
    assert.equal(demoEnabled({ host: '0.0.0.0', demo: true }), true);
  });
});
