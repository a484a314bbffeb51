import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { closeClient, connected, onlineClient } from '../helpers/clients.js';
import { CLI } from '../helpers/processes.js';
import { startTestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const run = promisify(execFile);

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('faye-online on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faye-online-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('migrate applies the migrations once', async () => {
    const database = join(dir, 'migrate.sqlite');
    const first = await cli(['migrate', '--database', database]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^001-initial: Success\n(\d{3}-[\w-]+: Success\n)*$/,
    );
    const second = await cli(['migrate'], { FAYE_ONLINE_DATABASE: database });
    assert.equal(second.stdout, 'database is up to date\n');
  });

  test('serve refuses an inconsistent configuration with a sentence', async () => {
    const result = await cli([
      'serve',
      '--leave-grace',
      '30',
      '--timeout',
      '25',
    ]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      'faye-online: invalid configuration: leaveGrace: leave grace (30 s) must ' +
        'not be longer than the timeout (25 s)\n',
    );
  });

  test('serve refuses an unknown environment variable', async () => {
    const result = await cli(['serve'], { FAYE_ONLINE_PROT: '80' });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /unknown environment variable FAYE_ONLINE_PROT/,
    );
  });

  test('status prints rooms with their users and client counts', async () => {
    const server = await startTestServer();
    const client = onlineClient(server.url, { uid: 12, uname: 'Liz' });
    await connected(client);
    await eventually(
      async () => (await server.getJson('/api/rooms')).rooms.length === 1,
    );
    const port = String(server.port);

    const text = await cli(['status', '--port', port]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^\/classes\/4 {2}1 users, 1 clients\n {2}12\tLiz\t1 clients\tsince /,
    );
    const json = await cli(['status', '--port', port, '--json']);
    const body = JSON.parse(json.stdout);
    assert.deepEqual(
      body.rooms.map((r: any) => [r.room, r.count, r.users[0].uid]),
      [['/classes/4', 1, 12]],
    );

    await closeClient(client);
    await server.stop();
    const down = await cli(['status', '--port', port]);
    assert.equal(down.code, 1);
    assert.equal(
      down.stderr,
      `faye-online: no faye-online server answers at http://127.0.0.1:${port}\n`,
    );
  });
});
