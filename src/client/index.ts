/**
 * The browser entry point, bundled with faye's browser client into
 * `/faye-online/client.mjs` (ES module) and `/faye-online/client.js`
 * (classic script, global `FayeOnline`).
 */
import Faye from 'faye';
import type { FayeLike } from './faye.js';
import { connectWith, type OnlineConnection } from './online.js';
import type { OnlineOptions } from './options.js';

export type { OnlineConnection, OnlineTime } from './online.js';
export type { OnlineOptions, OnlineUser, UsersListener } from './options.js';
export { OnlineOptionError } from './options.js';

/** See `connectWith` in online.ts and the README's "In a web page". */
export function connectOnline(options: OnlineOptions): OnlineConnection {
  return connectWith(Faye as unknown as FayeLike, options);
}
