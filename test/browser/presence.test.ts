import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  browserMissing,
  launchBrowser,
  launchKillableBrowser,
  listedNames,
  openDemo,
  shownCount,
  withoutWebSocket,
} from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wait.js';

const GRACE_MS = 1000;
const TICK_MS = 20;
/** Browser teardown and our own polling on a loaded two-core CI machine. */
const SLACK_MS = 1500;
const LESSON = '/courses/5/lessons/1';
const ARTIFACTS = fileURLToPath(
  new URL('../../../test/artifacts/', import.meta.url),
);

interface Listed {
  uid: string | number;
  uname: string;
  clients: number;
}

async function onlineIn(server: TestServer, room: string): Promise<Listed[]> {
  const query = new URLSearchParams({ room });
  return (await server.getJson(`/api/online?${query}`)).users;
}

async function clientsOf(server: TestServer, room: string, uid: string) {
  const user = (await onlineIn(server, room)).find((u) => u.uid === uid);

  return user?.clients ?? 0;
}

async function uidsIn(server: TestServer, room: string) {
  return (await onlineIn(server, room)).map((u) => u.uid);
}

async function onlineTime(server: TestServer, uid: string) {
  const query = new URLSearchParams({ uid, channel: LESSON });
  return server.getJson<{ seconds: number; online: boolean }>(
    `/api/online-time?${query}`,
  );
}

/** Passes once the page lists exactly these names. */
function pageLists(page: Page, names: string[]) {
  return eventually(
    async () => {
      assert.deepEqual(await listedNames(page), names);
      assert.equal(await shownCount(page), names.length);
      return true;
    },
    { what: `the page to list ${names.join(', ')}` },
  );
}

describe('the browser client in Chromium', { skip: browserMissing() }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ timeout: 5, leaveGrace: GRACE_MS / 1000 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('two users see each other; a third tab of one changes nothing', async () => {
    const room = '/browser/two-users';
    const ann = await browser.newContext();
    const bob = await browser.newContext();
    const annPage = await openDemo(ann, server, { name: 'Ann', room });
    const bobPage = await openDemo(bob, server, { name: 'Bob', room });
    await pageLists(annPage, ['Ann', 'Bob']);
    await pageLists(bobPage, ['Ann', 'Bob']);

    const annAgain = await openDemo(ann, server, { name: 'Ann', room });
    await eventually(async () => (await clientsOf(server, room, 'Ann')) === 2);
    for (const page of [annPage, bobPage, annAgain]) {
      await pageLists(page, ['Ann', 'Bob']);
    }

    await eventually(
      async () =>
        Number(
          await annPage.locator('#time-online').getAttribute('data-seconds'),
        ) >= 1,
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await annPage.screenshot({ path: `${ARTIFACTS}demo-two-users.png` });
    await ann.close();
    await bob.close();
  });

  for (const transport of ['websocket', 'long-polling'] as const) {
    test(`a user stays while one tab is open and leaves with the last (${transport})`, async () => {
      const room = `/browser/tabs-${transport}`;
      const context = await browser.newContext();
      if (transport === 'long-polling') await withoutWebSocket(context);
      const first = await openDemo(context, server, { name: 'Cy', room });
      const second = await openDemo(context, server, { name: 'Cy', room });
      await eventually(async () => (await clientsOf(server, room, 'Cy')) === 2);

      await first.close();
      // The closed tab's client is gone (its grace is over), the user is not.
      await eventually(async () => (await clientsOf(server, room, 'Cy')) === 1);
      await pageLists(second, ['Cy']);

      const closedAt = Date.now();
      await second.close();
      await eventually(async () => (await uidsIn(server, room)).length === 0);
      const took = Date.now() - closedAt;
      assert.ok(took <= GRACE_MS + TICK_MS + SLACK_MS, `left after ${took} ms`);
      await context.close();
    });
  }

  test('a page restored from the back/forward cache is listed again', async () => {
    const room = '/browser/bfcache';
    const cached = await launchBrowser({ bfcache: true });
    const context = await cached.newContext();
    await context.addInitScript(() => {
      addEventListener('pageshow', (event) => {
        Reflect.set(window, 'restoredFromCache', event.persisted);
      });
    });
    const page = await openDemo(context, server, { name: 'Dee', room });
    await pageLists(page, ['Dee']);

    await page.goto(`${server.url}/demo/demo.css`);
    await eventually(async () => (await uidsIn(server, room)).length === 0);
    await page.goBack({ waitUntil: 'commit' });

    await eventually(() =>
      page.evaluate(() => Reflect.get(window, 'restoredFromCache') === true),
    );
    await eventually(async () => (await clientsOf(server, room, 'Dee')) === 1);
    await pageLists(page, ['Dee']);
    await cached.close();
  });

  test('a download link (beforeunload, page stays) keeps the user and the time', async () => {
    const room = '/browser/download';
    const context = await browser.newContext({ acceptDownloads: true });
    await withoutWebSocket(context);
    await context.route('**/report.csv', (route) =>
      route.fulfill({
        body: 'uid,seconds\n',
        headers: {
          'content-type': 'text/csv',
          'content-disposition': 'attachment; filename=report.csv',
        },
      }),
    );
    const page = await openDemo(context, server, { name: 'Eve', room });
    const witnesses = await browser.newContext();
    await openDemo(witnesses, server, { name: 'Wit', room });
    await pageLists(page, ['Eve', 'Wit']);
    const before = await onlineTime(server, 'Eve');

    await page.evaluate(() => {
      addEventListener('beforeunload', () =>
        Reflect.set(window, 'unloading', true),
      );
      const link = document.createElement('a');
      link.href = '/report.csv';
      link.id = 'download';
      link.textContent = 'Download';
      document.body.append(link);
    });
    const download = page.waitForEvent('download');
    await page.click('#download');
    await download;
    assert.equal(
      await page.evaluate(() => Reflect.get(window, 'unloading')),
      true,
    );
    // Wit leaves now; once Wit is gone, a leave grace has passed for Eve too.
    await witnesses.close();
    await eventually(async () => !(await uidsIn(server, room)).includes('Wit'));

    assert.deepEqual(await uidsIn(server, room), ['Eve']);
    await pageLists(page, ['Eve']);
    const later = await onlineTime(server, 'Eve');
    assert.equal(later.online, true);
    assert.ok(
      later.seconds > before.seconds,
      `${later.seconds} > ${before.seconds}`,
    );
    await context.close();
  });

  test('a killed browser leaves when its connections drop, time ending then', async () => {
    const room = '/browser/killed';
    const expiring = await startTestServer({ timeout: 2, leaveGrace: 0.5 });
    const chrome = await launchKillableBrowser();
    const overSocket = await chrome.browser.newContext();
    const overPolling = await chrome.browser.newContext();
    await withoutWebSocket(overPolling);
    await openDemo(overSocket, expiring, { name: 'Gus', room });
    await openDemo(overPolling, expiring, { name: 'Hal', room });
    await eventually(async () => (await uidsIn(expiring, room)).length === 2);

    const exited = once(chrome.server.process(), 'exit');
    chrome.server.process().kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    await eventually(async () => (await uidsIn(expiring, room)).length === 0);
    await expiring.presence.writer.flush();
    const sessions = await expiring.db
      .selectFrom('sessions')
      .select(['uid', 'started_at', 'ended_at', 'end_reason'])
      .where('uid', 'in', ['Gus', 'Hal'])
      .orderBy('uid')
      .orderBy('started_at')
      .execute();
    await expiring.stop();

    // The last session of each: a slow start may have cost a page a client.
    const last = new Map(sessions.map((s) => [s.uid, s.end_reason]));
    assert.ok(['socket_closed', 'timeout'].includes(last.get('Gus') ?? ''));
    // The held long-poll is cut off with the browser: a lost connection,
    // noticed after the grace rather than at expiry.
    assert.equal(last.get('Hal'), 'socket_closed', 'long-polling too');
    for (const { uid, started_at, ended_at } of sessions) {
      // A message already on the wire when the browser died may still be
      // read just after; detection comes a grace or an expiry later.
      const late = (ended_at ?? Infinity) - killedAt;
      assert.ok(late <= 100, `${uid} ended ${late} ms after the kill`);
      assert.ok(ended_at! >= started_at);
    }
  });

  test('pages come back after a server restart', async () => {
    const room = '/browser/restart';
    const dir = mkdtempSync(join(tmpdir(), 'faye-online-restart-'));
    const options = { dir, timeout: 5, leaveGrace: GRACE_MS / 1000 };
    const first = await startTestServer(options);
    const context = await browser.newContext();
    const page = await openDemo(context, first, { name: 'Ivy', room });
    await pageLists(page, ['Ivy']);

    await first.stop();
    const second = await startTestServer({ ...options, port: first.port });
    try {
      await eventually(
        async () => (await uidsIn(second, room)).includes('Ivy'),
        {
          timeout: 20_000,
        },
      );
      await pageLists(page, ['Ivy']);
    } finally {
      await context.close();
      await second.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the README snippet works from a page on another origin', async () => {
    const room = '/browser/readme';
    // The application's own server: another origin than faye-online's.
    const app = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(readmePage(server.url, room));
    });
    app.listen(0, '127.0.0.1');
    await once(app, 'listening');
    const { port } = app.address() as AddressInfo;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/lesson`);

    await eventually(
      async () =>
        (await page.locator('#online').textContent()) === '1 online: Ann',
    );
    assert.deepEqual(await uidsIn(server, room), [42]);
    await context.close();
    app.close();
  });
});

/** The two script tags and three lines the README shows, on an app's page. */
function readmePage(serverUrl: string, room: string): string {
  return `<!doctype html><title>lesson</title><p id="online"></p>
<script src="${serverUrl}/faye-online/client.js"></script>
<script>
  FayeOnline.connectOnline({
    url: '${serverUrl}', room: '${room}', timeChannel: '/courses/5/lessons/1',
    user: { uid: 42, uname: 'Ann' },
    onUsers: (users, count) => {
      document.getElementById('online').textContent =
        count + ' online: ' + users.map((u) => u.uname).join(', ');
    },
  });
</script>`;
}
