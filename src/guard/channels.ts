/**
 * Channel-name rules of the Bayeux 1.0 grammar (§2.2 of the spec): segments
 * of letters, digits and `-_!~()$@`, separated by slashes. Patterns end in
 * `/*` or `/**`.
 */
const SEGMENT = '[A-Za-z0-9\\-_!~()$@]+';
const NAME = new RegExp(`^(/${SEGMENT})+$`);
const PATTERN = new RegExp(`^(/${SEGMENT})*/\\*{1,2}$`);

export const MAX_CHANNEL_LENGTH = 256;

export function isChannelName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_CHANNEL_LENGTH &&
    NAME.test(value)
  );
}

export function isChannelPattern(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_CHANNEL_LENGTH &&
    PATTERN.test(value)
  );
}

export function isMetaChannel(name: string): boolean {
  return name === '/meta' || name.startsWith('/meta/');
}

export function isServiceChannel(name: string): boolean {
  return name === '/service' || name.startsWith('/service/');
}

/** Only the server publishes to a room's user list. */
export function isUserListChannel(name: string): boolean {
  return name.endsWith('/user_list');
}

export const BEFORE_LEAVE_CHANNEL = '/faye_online/before_leave';

export const USER_LIST_SUFFIX = '/user_list';
