import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { parseConfig } from '../../src/config/schema.js';
import { apiAccess } from '../../src/guard/api-access.js';
import { API_ERRORS, ApiError } from '../../src/server/errors.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const KEY = 'k3y-for-the-api';

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });

  return { status: response.status, body: await response.json() };
}

describe('the HTTP API with --api-key', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ apiKey: KEY });
  });
  after(() => server.stop());

  test('answers a request that carries the key', async () => {
    const answer = await get(`${server.url}/api/rooms`, {
      authorization: `Bearer ${KEY}`,
    });
    assert.deepEqual(answer, { status: 200, body: { rooms: [] } });
  });

  test('refuses a request without the key with 401', async () => {
    assert.deepEqual(await get(`${server.url}/api/rooms`), {
      status: 401,
      body: {
        error: {
          code: 'UNAUTHORIZED',
          message:
            'expected an Authorization: Bearer <api key> header, got none',
        },
      },
    });
  });

  test('refuses a wrong key with 401', async () => {
    const answer = await get(`${server.url}/api/online?room=/classes/4`, {
      authorization: 'Bearer guessed',
    });
    assert.deepEqual(answer, {
      status: 401,
      body: {
        error: {
          code: 'UNAUTHORIZED',
          message:
            'expected the API key of this server as Bearer token, got another',
        },
      },
    });
  });

  test('leaves Bayeux at /faye to its own checks', async () => {
    const response = await fetch(`${server.url}/faye`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    assert.equal(response.status, 200);
  });
});

describe('the HTTP API without a key', () => {
  const hook = apiAccess(parseConfig({}));
  const request = (ip: string, url = '/api/rooms', host = '127.0.0.1:9292') =>
    ({ ip, url, headers: { host } }) as unknown as FastifyRequest;

  test('answers loopback addresses', async () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      await hook(request(ip));
    }
  });

  test('answers loopback names', async () => {
    for (const host of ['localhost:9292', '127.0.0.1', '[::1]:9292']) {
      await hook(request('127.0.0.1', '/api/rooms', host));
    }
  });

  test('refuses a loopback request naming another host (DNS rebinding)', async () => {
    await assert.rejects(
      hook(request('127.0.0.1', '/api/logs', 'evil.example:9292')),
      {
        message:
          'the API answers loopback names only while no --api-key is set ' +
          '(localhost, 127.0.0.1, [::1]); got Host "evil.example:9292"',
      },
    );
  });

  test('refuses every other address with 403', async () => {
    await assert.rejects(hook(request('203.0.113.9')), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.deepEqual(error.toJSON(), {
        error: {
          code: 'FORBIDDEN',
          message:
            'the API answers loopback addresses only while no --api-key ' +
            'is set; got a request from 203.0.113.9',
        },
      });
      return true;
    });
    await hook(request('203.0.113.9', '/faye'));
  });
});

describe('the error catalogue', () => {
  test('the README lists every code with its status', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const [code, status] of Object.entries(API_ERRORS)) {
      assert.match(
        readme,
        new RegExp(`\\| \`${code}\` \\| ${status} \\|`),
        code,
      );
    }
  });
});
