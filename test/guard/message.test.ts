import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkMessage } from '../../src/guard/message.js';

const auth = (
  patch: Record<string, unknown> = {},
  user: Record<string, unknown> = {},
) => ({
  room_channel: '/classes/4',
  time_channel: '/courses/5/lessons/1',
  current_user: { uid: 1, uname: 'Ann', ...user },
  ...patch,
});
const connect = (extra: Record<string, unknown>) => ({
  channel: '/meta/connect',
  clientId: 'abc',
  connectionType: 'long-polling',
  ...extra,
});
const errorOf = (message: unknown) => {
  const checked = checkMessage(message);
  return checked.ok ? null : checked.error.toString();
};

describe('checkMessage', () => {
  test('presence under ext.auth or top-level auth is read the same', () => {
    for (const message of [
      connect({ ext: { auth: auth() } }),
      connect({ auth: auth() }),
    ]) {
      const checked = checkMessage(message);
      assert.ok(checked.ok);
      assert.deepEqual(checked.presence, {
        uid: '1',
        uname: 'Ann',
        room: '/classes/4',
        timeChannel: '/courses/5/lessons/1',
      });
    }
  });

  test('a canonical integer string and the number are the same uid', () => {
    const a = checkMessage(connect({ auth: auth({}, { uid: '42' }) }));
    const b = checkMessage(connect({ auth: auth({}, { uid: 42 }) }));
    assert.ok(a.ok && b.ok);
    assert.equal(a.presence?.uid, b.presence?.uid);
  });

  test('messages without presence pass as ordinary pub/sub', () => {
    const checked = checkMessage({
      channel: '/chat',
      clientId: 'abc',
      data: { a: 1 },
    });
    assert.deepEqual(checked, { ok: true, presence: null });
  });

  const refusals: [string, unknown, string][] = [
    [
      'an array as channel',
      { channel: ['/meta/connect'] },
      '400:channel:channel must be a string of at most 256 characters, got an array',
    ],
    [
      'an array as subscription',
      { channel: '/meta/subscribe', subscription: [['/a']] },
      '400:subscription:subscription must be a channel name or pattern, got an array',
    ],
    [
      'a message that is no object',
      'hello',
      '400:message:message must be an object, got the string "hello" (5 characters)',
    ],
    [
      'a missing uid',
      connect({ auth: auth({ current_user: { uname: 'Ann' } }) }),
      '400:auth.current_user.uid:auth.current_user.uid must be a non-negative ' +
        'integer or a string of 1 to 64 characters, got nothing',
    ],
    [
      'a negative uid',
      connect({ auth: auth({}, { uid: -1 }) }),
      '400:auth.current_user.uid:auth.current_user.uid must be a non-negative ' +
        'integer or a string of 1 to 64 characters, got number -1',
    ],
    [
      'a uid too long',
      connect({ auth: auth({}, { uid: 'x'.repeat(65) }) }),
      '400:auth.current_user.uid:auth.current_user.uid must be a non-negative ' +
        'integer or a string of 1 to 64 characters, got the string ' +
        `"${'x'.repeat(40)}…" (65 characters)`,
    ],
    [
      'a missing uname',
      connect({ auth: auth({}, { uname: undefined }) }),
      '400:auth.current_user.uname:auth.current_user.uname must be a string of ' +
        '1 to 128 characters, got nothing',
    ],
    [
      'a room outside the grammar',
      connect({ auth: auth({ room_channel: 'classes 4' }) }),
      '400:auth.room_channel:auth.room_channel must be a Bayeux channel name such ' +
        'as /classes/4 (not /meta or /service), got the string "classes 4" (9 characters)',
    ],
    [
      'an array as time channel',
      connect({ auth: auth({ time_channel: ['/a'] }) }),
      '400:auth.time_channel:auth.time_channel must be a Bayeux channel name such ' +
        'as /classes/4 (not /meta or /service), got an array',
    ],
    [
      'a meta room',
      connect({ auth: auth({ room_channel: '/meta/connect' }) }),
      '400:auth.room_channel:auth.room_channel must be a Bayeux channel name such ' +
        'as /classes/4 (not /meta or /service), got the string "/meta/connect" (13 characters)',
    ],
    [
      'auth that is no object',
      connect({ auth: 'me' }),
      '400:auth:auth must be an object, got the string "me" (2 characters)',
    ],
    [
      'a numeric clientId',
      { channel: '/meta/connect', clientId: 5 },
      '400:clientId:clientId must be a string, got number 5',
    ],
  ];
  for (const [what, message, expected] of refusals) {
    test(`refuses ${what} with an exact error`, () => {
      assert.equal(errorOf(message), expected);
    });
  }
});
