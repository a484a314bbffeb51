import { BEFORE_LEAVE_CHANNEL } from '../guard/channels.js';
import type { Auth } from './options.js';

/**
 * Publishes `/faye_online/before_leave` as one raw Bayeux message that
 * outlives the page: faye's own transports are torn down with it. The body
 * is form-encoded (`message=<json>`, which faye's HTTP endpoint accepts) so
 * that it is a CORS "simple" request and needs no preflight.
 */
export function sendBeforeLeave(
  endpoint: string,
  clientId: string,
  auth: Auth,
): void {
  const message = {
    channel: BEFORE_LEAVE_CHANNEL,
    clientId,
    data: {},
    id: `before_leave_${Date.now().toString(36)}`,
    ext: { auth },
  };
  const body = new URLSearchParams({ message: JSON.stringify(message) });
  if (
    typeof navigator !== 'undefined' &&
    navigator.sendBeacon?.(endpoint, body)
  ) {
    return;
  }
  // A full beacon queue (or no sendBeacon) falls back to a keepalive fetch.
  fetch(endpoint, { method: 'POST', body, keepalive: true }).catch(() => {});
}
