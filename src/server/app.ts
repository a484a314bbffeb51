import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
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

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, log } = options;
  const clock = options.clock ?? monotonicClock();
  log.info({ config: redactConfig(config) }, 'starting');

  const db = openDatabase(config.database);
  await migrate(db);
  const store = new LedgerStore(db);
  const recovered = await store.recoverCrashed();
  if (recovered.sessions > 0 || recovered.clients > 0) {
    log.warn(recovered, 'closed sessions left open by a crash at their last checkpoint');
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
  presence.bayeux.adapter.attach(app.server);
  await app.listen({ host: config.host, port: config.port });
  presence.start();

  const port = (app.server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(config.host)}:${port}`;
  log.info({ url, faye: `${url}/faye` }, 'listening');

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

  return { url, port, presence, db, close };
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';

  return host.includes(':') ? `[${host}]` : host;
}
