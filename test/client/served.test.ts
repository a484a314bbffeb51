import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createOnlineServer } from '../../src/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('the server hands out the browser client and the demo', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  for (const path of ['/faye-online/client.js', '/faye-online/client.mjs']) {
    test(`serves ${path} as JavaScript to pages of any origin`, async () => {
      const response = await fetch(server.url + path);
      const body = await response.text();

      assert.equal(response.status, 200);
      assert.equal(
        response.headers.get('content-type'),
        'text/javascript; charset=utf-8',
      );
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.ok(body.includes('connectOnline'), 'the client library');
    });
  }

  test('the classic script defines one global, the module exports', async () => {
    const classic = await (
      await fetch(`${server.url}/faye-online/client.js`)
    ).text();
    const module = await (
      await fetch(`${server.url}/faye-online/client.mjs`)
    ).text();

    // Checked with test() so that a failure does not print 40 kB of code.
    assert.ok(
      /^"use strict";var FayeOnline=/.test(classic),
      'global FayeOnline',
    );
    assert.ok(/export\{[^}]*connectOnline[^}]*\};?\s*$/.test(module), 'export');
  });

  test('serves the demo page on loopback', async () => {
    const page = await fetch(`${server.url}/`);
    const script = await fetch(`${server.url}/demo/demo.js`);

    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await page.text(), /<title>faye-online demo<\/title>/);
    assert.match(await script.text(), /from '\/faye-online\/client\.mjs'/);
  });
});

describe('an application server with faye-online attached', () => {
  test('serves the browser client but keeps its own /', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faye-online-attach-'));
    const http = createServer((_request, response) => response.end('app'));
    const online = await createOnlineServer({
      database: join(dir, 'attached.sqlite'),
    });
    online.attach(http);
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const script = await fetch(`${url}/faye-online/client.js`);
      assert.equal(script.status, 200);
      assert.ok((await script.text()).includes('connectOnline'));
      assert.equal(await (await fetch(`${url}/`)).text(), 'app');
    } finally {
      await online.close();
      http.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
