import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseExport } from '../../src/import/legacy-files.js';
import { importLegacy } from '../../src/import/legacy-import.js';
import { checkTotals } from '../../src/reports/consistency.js';
import { onlineTimeAnswer } from '../../src/reports/answers.js';
import { migrate, openDatabase } from '../../src/storage/database.js';
import type { Db } from '../../src/storage/schema.js';

// Compiled to dist/test/import/; the fixtures stay in the source tree.
const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/legacy');
const expected = JSON.parse(
  readFileSync(join(FIXTURES, 'expected.json'), 'utf8'),
);
const files = {
  logs: join(FIXTURES, 'faye_user_login_logs.tsv'),
  channels: join(FIXTURES, 'faye_channels.tsv'),
  zone: expected.zone as string,
};

async function attendanceOf(db: Db, channel: string) {
  const { body } = await onlineTimeAnswer(db, { channel }, Date.now());
  return (body as any).users.map((u: any) => [String(u.uid), u.seconds]);
}

describe('import of the original gem exports', () => {
  let dir: string;
  let db: Db;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faye-online-import-'));
    db = openDatabase(join(dir, 'import.sqlite'));
    await migrate(db);
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('reports rows read, imported and skipped with reasons per file', async () => {
    const result = await importLegacy(db, files);
    assert.equal(result.logs.rowsRead, expected.logs.rowsRead);
    assert.equal(result.logs.imported, expected.logs.imported);
    assert.deepEqual(
      result.logs.skipped.map((s) => s.line),
      expected.logs.skippedLines,
    );
    assert.equal(result.channels.rowsRead, expected.channels.rowsRead);
    assert.equal(result.channels.imported, expected.channels.imported);
    assert.deepEqual(
      result.channels.skipped.map((s) => s.line),
      expected.channels.skippedLines,
    );
    assert.equal(result.closedAtNextRow, expected.closedAtNextRow);
    assert.deepEqual(
      result.openAtEnd.map((s) => s.line),
      expected.openAtEndLines,
    );
    assert.deepEqual(
      result.logs.skipped.find((s) => s.line === 5),
      {
        line: 5,
        reason: 'disconnect without a connect before it',
      },
    );
  });

  test('gives the expected totals per channel, most first', async () => {
    for (const [channel, rows] of Object.entries(expected.attendance)) {
      assert.deepEqual(await attendanceOf(db, channel), rows);
    }
  });

  test('puts local times on the right local day', async () => {
    const raw = {
      uid: '43',
      channel: '/courses/5/lessons/2',
      tz: files.zone,
      by: 'day',
    };
    const { body } = await onlineTimeAnswer(db, raw, Date.now());
    assert.deepEqual(
      (body as any).days.map((d: any) => [d.date, d.seconds]),
      expected.daysOf43InLesson2,
    );
  });

  test('changes nothing when imported again', async () => {
    const before = await attendanceOf(db, '/courses/5/lessons/1');
    const again = await importLegacy(db, files);
    assert.deepEqual(again.written, { logRows: 0, sessions: 0 });
    assert.deepEqual(await attendanceOf(db, '/courses/5/lessons/1'), before);
  });

  test('leaves totals, sessions and log in agreement', async () => {
    const { checked, mismatches } = await checkTotals(db, Date.now());
    assert.ok(checked >= 4);
    assert.deepEqual(mismatches, []);
  });

  test('a later, larger export widens sessions instead of overlapping them', async () => {
    // The same rows, plus the disconnect of c5 that the first export missed
    // and a third client of uid 42 that stretches its session.
    const larger = join(dir, 'larger.tsv');
    writeFileSync(
      larger,
      readFileSync(files.logs, 'utf8') +
        '0\t44\t2014-05-06 10:30:00\t1\tc5\n' +
        '1\t42\t2014-05-06 08:20:00\t1\tc20\n' +
        '0\t42\t2014-05-06 08:50:00\t1\tc20\n',
    );
    await importLegacy(db, { ...files, logs: larger });

    const sessionsOf = (uid: string) =>
      db
        .selectFrom('sessions')
        .select(['started_at', 'ended_at'])
        .where('uid', '=', uid)
        .orderBy('started_at')
        .execute();
    const ann = await sessionsOf('42');
    assert.equal(ann.length, 1, 'one session, no overlapping rows');
    assert.equal(ann[0]!.ended_at! - ann[0]!.started_at, 50 * 60_000);
    const c5 = await db
      .selectFrom('connection_log')
      .select(['at', 'reason'])
      .where('client_id', '=', 'c5')
      .where('event', '=', 'disconnect')
      .executeTakeFirstOrThrow();
    assert.equal(
      c5.reason,
      'disconnect',
      'the real disconnect replaced the invented one',
    );
    const { mismatches } = await checkTotals(db, Date.now());
    assert.deepEqual(mismatches, []);
  });
});

describe('reading exports', () => {
  test('reads comma-separated INTO OUTFILE exports with quotes and \\N', () => {
    const text =
      '1,"42",2014-05-06 08:00:00,1,"a\\"b"\n0,\\N,2014-05-06 08:01:00,1,c\n';
    const parsed = parseExport(
      text,
      ['status', 'uid', 't', 'channel_id', 'clientId'],
      5,
    );
    assert.deepEqual(
      parsed.rows.map((r) => [r.line, r.fields['uid'], r.fields['clientId']]),
      [
        [1, '42', 'a"b'],
        [2, null, 'c'],
      ],
    );
  });

  test('takes the column order from a mysql -B header row', () => {
    const text =
      'clientId\tuid\tstatus\tt\tchannel_id\nx\t7\t1\t2014-05-06 08:00:00\t1\n';
    const parsed = parseExport(
      text,
      ['status', 'uid', 't', 'channel_id', 'clientId'],
      5,
    );
    assert.equal(parsed.rowsRead, 1);
    assert.deepEqual(parsed.rows[0]?.fields, {
      clientId: 'x',
      uid: '7',
      status: '1',
      t: '2014-05-06 08:00:00',
      channel_id: '1',
    });
  });

  test('skips a line it cannot read and goes on', () => {
    const text = [
      '1,42,2014-05-06 08:00:00,1,"a"b"',
      '1,43,2014-05-06 08:00:00,1,ok',
      '',
    ].join('\n');
    const parsed = parseExport(
      text,
      ['status', 'uid', 't', 'channel_id', 'clientId'],
      5,
    );
    assert.equal(parsed.rowsRead, 2);
    assert.deepEqual(
      parsed.rows.map((r) => [r.line, r.fields['uid']]),
      [[2, '43']],
    );
    assert.equal(parsed.skipped[0]?.line, 1);
    assert.match(parsed.skipped[0]?.reason ?? '', /Invalid Closing Quote/);
  });
});
