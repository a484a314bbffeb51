import {
  configSchema,
  ConfigError,
  parseConfig,
  type Config,
} from './schema.js';

const ENV_PREFIX = 'FAYE_ONLINE_';

type Kind = 'string' | 'number' | 'boolean';

/** The schema's keys with the kind of value each takes. */
const KINDS: Readonly<Record<string, Kind>> = Object.freeze(
  Object.fromEntries(
    Object.entries(configSchema.shape).map(([key, field]) => {
      const sample = field.safeParse(undefined).data;
      return [key, kindOf(sample)];
    }),
  ),
);

function kindOf(sample: unknown): Kind {
  if (typeof sample === 'number') return 'number';
  if (typeof sample === 'boolean') return 'boolean';

  return 'string';
}

/** `leaveGrace` → `FAYE_ONLINE_LEAVE_GRACE`. */
export function envName(key: string): string {
  return ENV_PREFIX + key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

function keyOfEnv(name: string): string {
  return name
    .slice(ENV_PREFIX.length)
    .toLowerCase()
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function coerce(source: string, key: string, raw: string): unknown {
  const kind = KINDS[key];
  if (kind === 'number') {
    // Decimal only: Number() would also take "0x50" (port 80) or "1e3".
    const value = Number(raw);
    if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) {
      throw new ConfigError(
        `invalid configuration: ${source}: expected a number, got "${raw}"`,
      );
    }
    return value;
  }
  if (kind === 'boolean') {
    if (/^(1|true|yes)$/i.test(raw)) return true;
    if (/^(0|false|no|)$/i.test(raw)) return false;
    throw new ConfigError(
      `invalid configuration: ${source}: expected true or false, got "${raw}"`,
    );
  }

  return raw;
}

/** Options from `FAYE_ONLINE_*` variables; an unknown one is refused. */
export function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const key = keyOfEnv(name);
    if (!(key in KINDS)) {
      throw new ConfigError(
        `invalid configuration: unknown environment variable ${name}`,
      );
    }
    options[key] = coerce(name, key, raw);
  }

  return options;
}

/**
 * Options from parsed command-line flags (commander gives strings for
 * valued flags); keys already in camelCase.
 */
export function fromFlags(
  flags: Record<string, unknown>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    options[key] =
      typeof value === 'string' && key in KINDS
        ? coerce(`--${dashed(key)}`, key, value)
        : value;
  }

  return options;
}

function dashed(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Defaults, then environment, then flags; validated and frozen. */
export function loadConfig(
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Config {
  return parseConfig({ ...fromEnv(env), ...fromFlags(flags) });
}
