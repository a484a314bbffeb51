import type {
  Server as HttpServer,
  IncomingMessage,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
} from 'fastify';
import type { Logger } from 'pino';
import { redactConfig, type Config } from '../config/schema.js';
import { apiAccess } from '../guard/api-access.js';
import { Writer } from '../ledger/writer.js';
import { monotonicClock, type Clock } from '../presence/clock.js';
import { migrate, openDatabase } from '../storage/database.js';
import { LedgerStore } from '../storage/ledger-store.js';
import type { Db } from '../storage/schema.js';
import { registerApi } from './api.js';
import { PresenceService } from './presence-service.js';
import { registerStatic } from './static.js';
import { hostForUrl } from './url.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly presence: PresenceService;
  readonly db: Db;
  /** Clean shutdown: sessions closed with reason `shutdown`, writes flushed. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: Clock;
}

/**
 * Everything but the listening socket: database, migrations, crash
 * recovery, the presence service and the API. `startServer` listens on
 * its own port; `createOnlineServer` attaches to an application's server.
 */
export interface Assembly {
  readonly presence: PresenceService;
  readonly db: Db;
  readonly app: FastifyInstance;
  readonly clock: Clock;
  /** Binds Faye (`/faye`) and the API (`/api/`) to an HTTP server. */
  attach(server: HttpServer): void;
  close(): Promise<void>;
}

export async function assemble(options: StartOptions): Promise<Assembly> {
  const { config, log } = options;
  const clock = options.clock ?? monotonicClock();
  log.info({ config: redactConfig(config) }, 'starting');

  const db = openDatabase(config.database);
  await migrate(db);
  const store = new LedgerStore(db);
  const recovered = await store.recoverCrashed();
  if (recovered.sessions > 0 || recovered.clients > 0) {
    log.warn(
      recovered,
      'closed sessions left open by a crash at their last checkpoint',
    );
  }

  const writer = new Writer({
    sink: store,
    log,
    delayMs: config.writeDelay,
    limit: config.writeQueueLimit,
  });
  const presence = new PresenceService({ config, writer, log, clock });
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Faye's long polls would flood the log; API errors are logged by hand.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  app.addHook('onRequest', apiAccess(config));
  registerApi(app, { presence, db, clock });
  registerStatic(app, config);
  await app.ready();

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await presence.stop();
      await app.close();
      await db.destroy();
      log.info('stopped');
    })();
    return closing;
  };
  const attach = (server: HttpServer) => {
    if (server !== app.server) routeApi(server, app);
    presence.bayeux.adapter.attach(server);
  };

  return { presence, db, app, clock, attach, close };
}

/**
 * Sends `/api/` and `/faye-online/` (the browser client) requests of
 * someone else's server to our routes and leaves
 * the rest to the listeners it already had (as faye's `attach` does).
 */
function routeApi(server: HttpServer, app: FastifyInstance): void {
  const listeners = server.listeners('request') as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const ours = ['/api/', '/faye-online/'].some((p) =>
      request.url?.startsWith(p),
    );
    if (ours) return app.routing(request, response);
    for (const listener of listeners) listener.call(server, request, response);
  });
}

export async function startServer(
  options: StartOptions,
): Promise<RunningServer> {
  const { config, log } = options;
  const assembly = await assemble(options);
  const { presence, db, app } = assembly;
  assembly.attach(app.server);
  await app.listen({ host: config.host, port: config.port });
  presence.start();

  const port = (app.server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(config.host)}:${port}`;
  log.info({ url, faye: `${url}/faye` }, 'listening');

  return { url, port, presence, db, close: assembly.close };
}
