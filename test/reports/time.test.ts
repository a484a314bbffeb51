import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { unionOf } from '../../src/presence/intervals.js';
import {
  datesOf,
  msByDay,
  onlineMs,
  onlineParts,
  type MaybeOpen,
} from '../../src/reports/time.js';

const s = (seconds: number) => seconds * 1000;
const iv = (a: number, b: number) => ({ start: s(a), end: s(b) });
const at = (iso: string) => Date.parse(iso);

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

const interval = fc
  .tuple(
    fc.integer({ min: 0, max: 10_000 }),
    fc.integer({ min: 0, max: 5_000 }),
  )
  .map(([start, length]) => ({ start, end: start + length }));
const maybeOpen: fc.Arbitrary<MaybeOpen> = fc.oneof(
  { weight: 4, arbitrary: interval },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0, max: 12_000 })
      .map((start) => ({ start, end: null })),
  },
);

describe('online time by union', () => {
  test('[0,10] [20,30] [5,25] is 30 s in every order', () => {
    for (const order of permutations([iv(0, 10), iv(20, 30), iv(5, 25)])) {
      assert.equal(onlineMs(order, 0), s(30));
    }
  });

  test('[0,10] [40,50] [20,30] [8,45] is 50 s', () => {
    assert.equal(
      onlineMs([iv(0, 10), iv(40, 50), iv(20, 30), iv(8, 45)], 0),
      s(50),
    );
  });

  test('two 90 s sessions make 180 s, summed before rounding', () => {
    const sessions = [iv(0, 90), iv(100, 190)];
    assert.equal(onlineMs(sessions, 0) / 1000, 180);
    const odd = [
      { start: 0, end: 90_333 },
      { start: 100_000, end: 190_333 },
    ];
    assert.equal(onlineMs(odd, 0) / 1000, 180.666);
  });

  test('touching intervals merge into one part', () => {
    assert.deepEqual(onlineParts([iv(10, 20), iv(0, 10)], 0), [iv(0, 20)]);
  });

  test('an open interval counts up to now', () => {
    assert.equal(
      onlineMs([{ start: s(5), end: null }, iv(0, 3)], s(20)),
      s(18),
    );
  });

  test('a range clips, open intervals included', () => {
    const range = { from: s(2), to: s(12) };
    assert.equal(
      onlineMs([iv(0, 5), { start: s(10), end: null }], s(100), range),
      s(5),
    );
  });

  test('the result never depends on order or duplicates', () => {
    fc.assert(
      fc.property(
        fc.array(maybeOpen, { maxLength: 12 }),
        fc.integer({ min: 0, max: 20_000 }),
        (list, now) => {
          const shuffled = [...list].reverse();
          const doubled = [...list, ...list.slice(0, 3)];
          const expected = onlineMs(list, now);
          assert.equal(onlineMs(shuffled, now), expected);
          assert.equal(onlineMs(doubled, now), expected);
        },
      ),
    );
  });

  test('the union is disjoint, sorted, between the longest and the sum', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 12 }), (list) => {
        const parts = onlineParts(list, 0);
        for (let i = 1; i < parts.length; i++) {
          assert.ok(
            parts[i]!.start > parts[i - 1]!.end,
            'parts neither touch nor overlap',
          );
        }
        const total = onlineMs(list, 0);
        const sum = list.reduce((acc, i) => acc + i.end - i.start, 0);
        const longest = Math.max(0, ...list.map((i) => i.end - i.start));
        assert.ok(total <= sum && total >= longest);
      }),
    );
  });

  test('every instant is covered by the union exactly when some interval covers it', () => {
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 8 }),
        fc.integer({ min: 0, max: 15_000 }),
        (list, t) => {
          const inInput = list.some((i) => i.start <= t && t < i.end);
          const inUnion = unionOf(list).some((i) => i.start <= t && t < i.end);
          assert.equal(inUnion, inInput);
        },
      ),
    );
  });
});

describe('per-day split', () => {
  test('a session in the night of the autumn DST change stays on one Berlin date', () => {
    const parts = [
      { start: at('2024-10-27T00:30:00Z'), end: at('2024-10-27T01:10:00Z') },
    ];
    assert.deepEqual(
      [...msByDay(parts, 'Europe/Berlin')],
      [['2024-10-27', 2_400_000]],
    );
  });

  test('a session across Berlin midnight splits at local midnight', () => {
    const parts = [
      { start: at('2024-03-09T22:50:00Z'), end: at('2024-03-09T23:20:00Z') },
    ];
    assert.deepEqual(
      [...msByDay(parts, 'Europe/Berlin')],
      [
        ['2024-03-09', 600_000],
        ['2024-03-10', 1_200_000],
      ],
    );
  });

  test('where midnight happens twice, the day starts at the first one', () => {
    // Havana fell back from 01:00 to 00:00 on 2024-11-03: local midnight
    // was 04:00Z (UTC-4) and again 05:00Z (UTC-5).
    const parts = [
      { start: at('2024-11-03T03:30:00Z'), end: at('2024-11-03T05:30:00Z') },
    ];
    assert.deepEqual(
      [...msByDay(parts, 'America/Havana')],
      [
        ['2024-11-02', 1_800_000],
        ['2024-11-03', 5_400_000],
      ],
    );
  });

  test('UTC and Shanghai put the same session on different dates', () => {
    const parts = [
      { start: at('2024-03-09T15:00:00Z'), end: at('2024-03-09T17:00:00Z') },
    ];
    assert.deepEqual([...msByDay(parts, 'UTC')], [['2024-03-09', 7_200_000]]);
    assert.deepEqual(
      [...msByDay(parts, 'Asia/Shanghai')],
      [
        ['2024-03-09', 3_600_000],
        ['2024-03-10', 3_600_000],
      ],
    );
  });

  test('a day of 23 hours is 23 hours long', () => {
    const from = at('2024-03-30T23:00:00Z');
    const parts = [{ start: from, end: from + 30 * 3_600_000 }];
    assert.equal(
      msByDay(parts, 'Europe/Berlin').get('2024-03-31'),
      23 * 3_600_000,
    );
  });

  test('days always add up to the total and lie inside one local date', () => {
    const zones = fc.constantFrom(
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Shanghai',
      'Australia/Lord_Howe',
    );
    const base = at('2024-03-01T00:00:00Z');
    const long = fc
      .tuple(
        fc.integer({ min: 0, max: 300 * 86_400_000 }),
        fc.integer({ min: 0, max: 5 * 86_400_000 }),
      )
      .map(([offset, length]) => ({
        start: base + offset,
        end: base + offset + length,
      }));
    fc.assert(
      fc.property(fc.array(long, { maxLength: 6 }), zones, (list, zone) => {
        const parts = unionOf(list);
        const days = msByDay(parts, zone);
        const sum = [...days.values()].reduce((a, b) => a + b, 0);
        assert.equal(sum, onlineMs(list, 0));
        for (const ms of days.values())
          assert.ok(ms > 0 && ms <= 25 * 3_600_000);
      }),
    );
  });

  test('a bounded range lists each local date it touches', () => {
    const range = {
      from: at('2024-03-03T16:00:00Z'),
      to: at('2024-03-10T16:00:00Z'),
    };
    assert.deepEqual(datesOf(range, 'Asia/Shanghai'), [
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
      '2024-03-08',
      '2024-03-09',
      '2024-03-10',
    ]);
  });
});
