import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { startServer } from '../server/app.js';

export function registerServe(program: Command): void {
  program
    .command('serve', { isDefault: true })
    .description('run the presence server (Faye at /faye, JSON API at /api)')
    .option('--host <host>', 'address to listen on (FAYE_ONLINE_HOST)')
    .option('--port <port>', 'port, 0 for any free one (FAYE_ONLINE_PORT)')
    .option(
      '--database <location>',
      'SQLite path or server URL (FAYE_ONLINE_DATABASE)',
    )
    .option(
      '--timeout <seconds>',
      'seconds a /meta/connect is held (FAYE_ONLINE_TIMEOUT)',
    )
    .option(
      '--leave-grace <seconds>',
      'seconds before a leave counts (FAYE_ONLINE_LEAVE_GRACE)',
    )
    .option('--publish-tick <ms>', 'milliseconds between user list updates')
    .option(
      '--checkpoint-interval <seconds>',
      'seconds between last-seen checkpoints',
    )
    .option(
      '--secret <secret>',
      'HS256 secret for signed identity (FAYE_ONLINE_SECRET)',
    )
    .option('--api-key <key>', 'bearer key for /api (FAYE_ONLINE_API_KEY)')
    .option(
      '--insecure',
      'allow trusting clients off loopback (FAYE_ONLINE_INSECURE)',
    )
    .option(
      '--demo',
      'serve the demo page at / off loopback too (FAYE_ONLINE_DEMO)',
    )
    .option(
      '--body-limit <bytes>',
      'largest /faye body or WebSocket frame (FAYE_ONLINE_BODY_LIMIT)',
    )
    .option(
      '--batch-limit <count>',
      'most messages per request (FAYE_ONLINE_BATCH_LIMIT)',
    )
    .option(
      '--handshake-rate <count>',
      'handshakes per second per address (FAYE_ONLINE_HANDSHAKE_RATE)',
    )
    .option('--jsonp', 'serve JSON-P callback-polling (FAYE_ONLINE_JSONP)')
    .option(
      '--allow-origin <origins>',
      'comma-separated CORS origins (FAYE_ONLINE_ALLOW_ORIGIN)',
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug or trace')
    .action(async (flags: Record<string, unknown>) => {
      const config = loadConfig(flags);
      const log = createLogger(config.logLevel);
      const server = await startServer({ config, log });
      const stop = (signal: string) => {
        log.info({ signal }, 'shutting down');
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            log.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
