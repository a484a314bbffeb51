import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';

/** Built by `scripts/build-client.mjs` (part of `npm run build`). */
const CLIENT_DIR = new URL('../../client/', import.meta.url);
/** Plain files, served as written: the demo is also the client's example. */
const DEMO_DIR = new URL('../../../src/demo/', import.meta.url);

const JS = 'text/javascript; charset=utf-8';

interface Asset {
  readonly route: string;
  readonly file: URL;
  readonly type: string;
}

const CLIENT_ASSETS: readonly Asset[] = [
  {
    route: '/faye-online/client.js',
    file: new URL('faye-online.js', CLIENT_DIR),
    type: JS,
  },
  {
    route: '/faye-online/client.mjs',
    file: new URL('faye-online.mjs', CLIENT_DIR),
    type: JS,
  },
];

const DEMO_ASSETS: readonly Asset[] = [
  {
    route: '/',
    file: new URL('index.html', DEMO_DIR),
    type: 'text/html; charset=utf-8',
  },
  { route: '/demo/demo.js', file: new URL('demo.js', DEMO_DIR), type: JS },
  {
    route: '/demo/demo.css',
    file: new URL('demo.css', DEMO_DIR),
    type: 'text/css; charset=utf-8',
  },
];

/** The demo is for trying things out: on loopback, or when asked for. */
export function demoEnabled(config: Pick<Config, 'demo' | 'host'>): boolean {
  return config.demo || isLoopback(config.host);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * The browser client at `/faye-online/client.{js,mjs}` (any origin may
 * load it: pages of the application live elsewhere) and, when enabled,
 * the demo page at `/`.
 */
export function registerStatic(app: FastifyInstance, config: Config): void {
  for (const asset of CLIENT_ASSETS) serve(app, asset, true);
  if (!demoEnabled(config)) return;
  for (const asset of DEMO_ASSETS) serve(app, asset, false);
}

function serve(app: FastifyInstance, asset: Asset, crossOrigin: boolean): void {
  app.get(asset.route, async (_request, reply) => {
    const body = await readFile(asset.file).catch((error: unknown) => {
      throw new Error(
        `cannot read ${asset.file.pathname} (run npm run build): ${String(error)}`,
      );
    });
    if (crossOrigin) reply.header('access-control-allow-origin', '*');

    return reply
      .type(asset.type)
      .header('cache-control', 'no-cache')
      .send(body);
  });
}
