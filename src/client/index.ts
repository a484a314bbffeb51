/**
 * The browser entry point, bundled with faye's browser client into
 * `/faye-online/client.mjs` (ES module) and `/faye-online/client.js`
 * (classic script, global `FayeOnline`).
 */
import Faye from 'faye';
import constants from 'faye/src/util/constants.js';
import type { FayeLike } from './faye.js';
import { connectWith, type OnlineConnection } from './online.js';
import type { OnlineOptions } from './options.js';

export type { OnlineConnection, OnlineTime } from './online.js';
export type { OnlineOptions, OnlineUser, UsersListener } from './options.js';
export { OnlineOptionError } from './options.js';

// Faye handshakes only over its "mandatory" transports; from another origin
// that leaves JSON-P, which the server refuses unless started with --jsonp.
// Handshaking over CORS instead keeps pages of other origins working.
const mandatory = constants.MANDATORY_CONNECTION_TYPES;
if (!mandatory.includes('cross-origin-long-polling')) {
  mandatory.push('cross-origin-long-polling');
}

/** See `connectWith` in online.ts and the README's "In a web page". */
export function connectOnline(options: OnlineOptions): OnlineConnection {
  return connectWith(Faye as unknown as FayeLike, options);
}
