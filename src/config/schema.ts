import { z } from 'zod';

/**
 * The one configuration schema. Every option has its default, unit and
 * meaning here; flags and environment variables map onto these keys
 * (see `env.ts`). Unknown keys and inconsistent values are refused at start.
 */
export const configSchema = z
  .strictObject({
    /** Address to listen on. */
    host: z.string().min(1).default('127.0.0.1'),
    /** TCP port; 0 picks a free one (tests). */
    port: z.number().int().min(0).max(65535).default(9292),
    /** SQLite file path, or a postgres:// / mysql:// URL. */
    database: z.string().min(1).default('./data/faye-online.sqlite'),
    /** Seconds a `/meta/connect` is held open. */
    timeout: z.number().positive().max(3600).default(25),
    /** Seconds a user's last client may be gone before the leave counts. */
    leaveGrace: z.number().min(0).max(3600).default(3),
    /** Milliseconds between two publications of one room's user list. */
    publishTick: z.number().int().min(10).max(60_000).default(100),
    /** Seconds between two checkpoints of last seen to the database. */
    checkpointInterval: z.number().positive().max(3600).default(15),
    /** Milliseconds the writer waits to gather a batch. */
    writeDelay: z.number().int().min(0).max(10_000).default(50),
    /** Pending writes at which new clients are refused (backpressure). */
    writeQueueLimit: z.number().int().min(100).default(50_000),
    /** HS256 secret: every handshake must carry a token signed with it. */
    secret: z.string().min(1).optional(),
    /** Bearer key every /api request must carry; without it, loopback only. */
    apiKey: z.string().min(1).optional(),
    /** Allow running without a secret on a non-loopback address. */
    insecure: z.boolean().default(false),
    /** Serve the demo page at `/` off loopback too (always on loopback). */
    demo: z.boolean().default(false),
    /** Bytes one HTTP body or WebSocket frame to /faye may carry. */
    bodyLimit: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(65_536),
    /** Bayeux messages one request or frame may carry. */
    batchLimit: z.number().int().min(1).max(100_000).default(100),
    /** Handshakes per second one remote address may make. */
    handshakeRate: z.number().int().min(1).max(1_000_000).default(50),
    /** Serve JSON-P (`callback-polling`, Bayeux over GET). */
    jsonp: z.boolean().default(false),
    /** Comma-separated origins allowed cross-origin (CORS, WebSocket). */
    allowOrigin: z.string().min(1).optional(),
    /** pino level. */
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .superRefine((config, ctx) => {
    const trust = trustProblem(config);
    if (trust !== null) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: trust });
    }
    if (config.leaveGrace > config.timeout) {
      ctx.addIssue({
        code: 'custom',
        path: ['leaveGrace'],
        message:
          `leave grace (${config.leaveGrace} s) must not be longer than ` +
          `the timeout (${config.timeout} s)`,
      });
    }
    if (config.checkpointInterval > 2 * config.timeout + 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['checkpointInterval'],
        message:
          `checkpoint interval (${config.checkpointInterval} s) is longer ` +
          `than a client's expiry allows (at most ${2 * config.timeout + 60} s)`,
      });
    }
  });

/**
 * Without a secret the server believes whatever `current_user` a client
 * sends (issue #3), which is safe only when nobody else can reach it.
 */
function trustProblem(config: {
  host: string;
  secret?: string | undefined;
  insecure: boolean;
}): string | null {
  if (config.secret !== undefined || config.insecure) return null;
  if (isLoopbackHost(config.host)) return null;

  return (
    `no secret is set and the host ${config.host} is not a loopback ` +
    'address: any client could claim to be any user. Set --secret ' +
    '(FAYE_ONLINE_SECRET), listen on 127.0.0.1, or pass --insecure'
  );
}

/** Loopback names and addresses: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (bare.startsWith('::ffff:')) return isLoopbackHost(bare.slice(7));

  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The origins of `allowOrigin`, trimmed; empty when none is set. */
export function allowedOrigins(config: Config): string[] {
  return (config.allowOrigin ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter((origin) => origin.length > 0);
}

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema>>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Validates and freezes a configuration, naming every problem at once. */
export function parseConfig(input: Record<string, unknown>): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || 'configuration';
      if (issue.code === 'unrecognized_keys') {
        return `unknown option(s): ${issue.keys.join(', ')}`;
      }
      return `${key}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }

  return Object.freeze(result.data);
}

/** The configuration as it may be logged: secrets replaced. */
export function redactConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    secret: config.secret === undefined ? undefined : '[set]',
    apiKey: config.apiKey === undefined ? undefined : '[set]',
    database: redactUrl(config.database),
  };
}

function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
