import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { isChannelName, isChannelPattern } from '../guard/channels.js';
import { signToken } from '../identity/token.js';
import { canonicalUid, UID_EXPECTED } from '../presence/uid.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Prints a token signed with the configured secret (development, tests). */
export function registerToken(program: Command): void {
  program
    .command('token')
    .description('print a token signed with the configured secret')
    .requiredOption('--uid <uid>', 'the user id (claim sub)')
    .requiredOption('--uname <name>', 'the user name (claim name)')
    .option('--room <channel>', 'a room it may join (repeatable)', collect, [])
    .option(
      '--time-channel <channel>',
      'a time channel (repeatable)',
      collect,
      [],
    )
    .option('--channel <channel>', 'another channel (repeatable)', collect, [])
    .option('--ttl <seconds>', 'seconds until it expires', '3600')
    .option('--secret <secret>', 'signing secret (FAYE_ONLINE_SECRET)')
    .action(async (flags: Record<string, unknown>) => {
      const config = loadConfig({ secret: flags.secret });
      if (config.secret === undefined) {
        throw new Error('no secret: pass --secret or set FAYE_ONLINE_SECRET');
      }
      const token = await signToken(claimsOf(flags), config.secret);
      console.log(token);
    });
}

function claimsOf(flags: Record<string, unknown>) {
  const uid = canonicalUid(flags.uid);
  if (uid === null) throw new Error(`--uid: expected ${UID_EXPECTED}`);
  const ttl = Number(flags.ttl);
  if (!(ttl > 0)) {
    const got = String(flags.ttl);
    throw new Error(`--ttl: expected a positive number of seconds, got ${got}`);
  }

  return {
    uid,
    uname: String(flags.uname),
    rooms: channels(flags.room, '--room'),
    timeChannels: channels(flags.timeChannel, '--time-channel'),
    channels: channels(flags.channel, '--channel'),
    ttl,
  };
}

function channels(value: unknown, flag: string): string[] {
  const list = value as string[];
  for (const channel of list) {
    if (isChannelName(channel) || isChannelPattern(channel)) continue;
    throw new Error(
      `${flag}: expected a channel name or pattern such as /classes/4 ` +
        `or /classes/*, got "${channel}"`,
    );
  }

  return list;
}
