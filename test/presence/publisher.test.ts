import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  RoomPublisher,
  type UserListMessage,
} from '../../src/presence/publisher.js';
import type { RoomUser } from '../../src/presence/rooms.js';

function setup() {
  const users = new Map<string, RoomUser[]>();
  const sent: [string, UserListMessage][] = [];
  const publisher = new RoomPublisher({
    users: (room) => users.get(room) ?? [],
    publish: (room, message) => sent.push([room, message]),
  });
  const put = (room: string, ...uids: string[]) =>
    users.set(
      room,
      uids.map((uid) => ({ uid, uname: uid, clients: 1, since: 0 })),
    );

  return { publisher, sent, put };
}

describe('RoomPublisher', () => {
  test('many changes in one tick make one message per room', () => {
    const { publisher, sent, put } = setup();
    for (let i = 1; i <= 50; i++) {
      put('/r', ...Array.from({ length: i }, (_, k) => String(k)));
      publisher.markDirty('/r');
    }
    assert.deepEqual(publisher.tick(), new Set(['/r']));
    assert.equal(sent[0]![1].count, 50);
  });

  test('a room whose list did not change publishes nothing', () => {
    const { publisher, sent, put } = setup();
    put('/r', '1');
    publisher.markDirty('/r');
    publisher.tick();
    publisher.markDirty('/r');
    assert.equal(publisher.tick().size, 0);
    assert.equal(sent.length, 1);
  });

  test('a room that empties publishes the empty list once', () => {
    const { publisher, sent, put } = setup();
    put('/r', 'ann');
    publisher.markDirty('/r');
    publisher.tick();
    put('/r');
    publisher.markDirty('/r');
    publisher.tick();
    publisher.markDirty('/r');
    publisher.tick();
    assert.deepEqual(
      sent.map(([, m]) => m.count),
      [1, 0],
    );
    assert.deepEqual(sent[0]![1], {
      count: 1,
      user_list: ['ann'],
      users: [{ uid: 'ann', uname: 'ann' }],
    });
  });

  test('integer uids are published as numbers', () => {
    const { publisher, sent, put } = setup();
    put('/r', '42');
    publisher.markDirty('/r');
    publisher.tick();
    assert.deepEqual(sent[0]![1].user_list, [42]);
  });
});
