import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { LedgerStore } from '../../src/storage/ledger-store.js';
import { migrate, openDatabase } from '../../src/storage/database.js';
import { HISTORY, L1, writePast } from '../helpers/ledger.js';

const CLI = join(import.meta.dirname, '../../src/cli/index.js');
const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/legacy');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('FAYE_ONLINE_')),
  );
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'node',
      [CLI, ...args],
      {
        env: { ...clean, ...env },
        timeout: 20_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('report commands on a database file', () => {
  let dir: string;
  let database: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faye-online-cli-'));
    database = join(dir, 'reports.sqlite');
    const db = openDatabase(database);
    await migrate(db);
    await writePast(db, HISTORY);
    // Client 'live-1' of user 3 is still connected in room /classes/4.
    await new LedgerStore(db).apply([
      {
        kind: 'log',
        event: 'connect',
        uid: '3',
        channel: L1,
        clientId: 'live-1',
        at: Date.parse('2024-11-01T10:00:00Z'),
        reason: null,
        room: '/classes/4',
        uname: 'Cy',
      },
      {
        kind: 'open',
        id: 'open-1',
        uid: '3',
        channel: L1,
        start: Date.parse('2024-11-01T10:00:00Z'),
      },
    ]);
    await db.destroy();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('time --json prints the API body', async () => {
    const run = await cli([
      'time',
      '--uid',
      '1',
      '--channel',
      L1,
      '--database',
      database,
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      uid: 1,
      channel: L1,
      seconds: 1890,
      online: false,
      since: null,
    });
  });

  test('time reads FAYE_ONLINE_DATABASE like serve', async () => {
    const run = await cli(['time', '--uid', '1', '--json'], {
      FAYE_ONLINE_DATABASE: database,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      JSON.parse(run.stdout).channels.map((c: any) => c.seconds),
      [1890, 2400],
    );
  });

  test('time --by day prints a table of Berlin days', async () => {
    const run = await cli([
      'time',
      '--uid',
      '1',
      '--channel',
      L1,
      '--tz',
      'Europe/Berlin',
      '--by',
      'day',
      '--from',
      '2024-03-09',
      '--to',
      '2024-03-10',
      '--database',
      database,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const cells = run.stdout
      .split('\n')
      .filter((l) => /\d{4}-\d\d-\d\d/.test(l))
      .map((l) =>
        l
          .split('│')
          .map((c) => c.trim())
          .filter(Boolean),
      );
    assert.deepEqual(cells, [
      ['2024-03-09', '600'],
      ['2024-03-10', '1290'],
    ]);
  });

  test('attendance --format csv exports the sheet', async () => {
    const run = await cli([
      'attendance',
      '--channel',
      L1,
      '--format',
      'csv',
      '--database',
      database,
      '--to',
      '2024-03-31',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      'uid,uname,seconds,online\n2,Bob,3600,false\n1,Ann,1890,false\n',
    );
  });

  test('log --limit pages newest first', async () => {
    const run = await cli([
      'log',
      '--uid',
      '1',
      '--limit',
      '2',
      '--json',
      '--database',
      database,
    ]);
    const page = JSON.parse(run.stdout);
    assert.deepEqual(
      page.rows.map((r: any) => [r.event, r.at]),
      [
        ['disconnect', '2024-10-27T01:10:00.000Z'],
        ['connect', '2024-10-27T00:30:00.000Z'],
      ],
    );
    assert.equal(typeof page.next, 'number');
  });

  test('sessions lists what a total is made of', async () => {
    const run = await cli([
      'sessions',
      '--uid',
      '2',
      '--json',
      '--database',
      database,
    ]);
    assert.deepEqual(
      JSON.parse(run.stdout).sessions.map((s: any) => [s.id, s.seconds]),
      [['s3', 3600]],
    );
  });

  test('online lists clients with a connect and no disconnect', async () => {
    const run = await cli([
      'online',
      '--room',
      '/classes/4',
      '--json',
      '--database',
      database,
    ]);
    assert.deepEqual(JSON.parse(run.stdout), {
      room: '/classes/4',
      count: 1,
      users: [
        { uid: 3, uname: 'Cy', clients: 1, since: '2024-11-01T10:00:00.000Z' },
      ],
    });
  });

  test('a bad parameter exits 1 naming it', async () => {
    const run = await cli([
      'attendance',
      '--channel',
      L1,
      '--tz',
      'Nowhere/Town',
      '--database',
      database,
    ]);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      'faye-online: tz: expected an IANA time zone such as Asia/Shanghai, got "Nowhere/Town"\n',
    );
  });

  test('a missing database file is an error, not a new empty database', async () => {
    const missing = join(dir, 'missing.sqlite');
    const run = await cli(['log', '--database', missing]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /database: expected an existing SQLite file, got ".*missing\.sqlite"/,
    );
  });
});

describe('import-legacy command', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'faye-online-cli-import-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('imports once, then reports nothing new, and the totals are there', async () => {
    const database = join(dir, 'legacy.sqlite');
    const args = [
      'import-legacy',
      '--logs',
      join(FIXTURES, 'faye_user_login_logs.tsv'),
      '--channels',
      join(FIXTURES, 'faye_channels.tsv'),
      '--tz',
      'Asia/Shanghai',
      '--database',
      database,
    ];
    const first = await cli(args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /logs .*: 19 rows read, 12 imported, 7 skipped/);
    const second = await cli([...args, '--json']);
    assert.deepEqual(JSON.parse(second.stdout).written, {
      logRows: 0,
      sessions: 0,
    });
    const sheet = await cli([
      'attendance',
      '--channel',
      '/courses/5/lessons/1',
      '--format',
      'csv',
      '--database',
      database,
    ]);
    assert.equal(
      sheet.stdout,
      'uid,uname,seconds,online\n42,,2400,false\n46,,1800,false\n43,,900,false\n',
    );
  });
});
