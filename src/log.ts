import pino, { type Logger } from 'pino';

/** Structured and quiet: JSON lines on stderr, level from the config. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'faye-online' } }, pino.destination(2));
}
