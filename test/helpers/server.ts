import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig, type ConfigInput } from '../../src/config/schema.js';
import type { Clock } from '../../src/presence/clock.js';
import { startServer, type RunningServer } from '../../src/server/app.js';

export interface TestServer extends RunningServer {
  readonly dir: string;
  readonly databasePath: string;
  /** GET a JSON path of the API, asserting a 2xx answer. */
  getJson<T = any>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/** An in-process server on port 0 with its own SQLite file. */
export async function startTestServer(
  options: Partial<ConfigInput> & { dir?: string; clock?: Clock } = {},
): Promise<TestServer> {
  const { dir: given, clock, ...overrides } = options;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'faye-online-test-'));
  const databasePath = join(dir, 'test.sqlite');
  const config = parseConfig({
    port: 0,
    database: databasePath,
    logLevel: 'silent',
    timeout: 2,
    leaveGrace: 0.5,
    publishTick: 20,
    writeDelay: 5,
    ...overrides,
  });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? config.logLevel });
  const server = await startServer({ config, log, clock });

  return {
    ...server,
    dir,
    databasePath,
    getJson: (path) => getJson(server.url + path),
    async stop() {
      await server.close();
      if (given === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function getJson<T = any>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) {
    throw new Error(`GET ${url} answered ${response.status}: ${body}`);
  }

  return JSON.parse(body) as T;
}
