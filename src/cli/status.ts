import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { hostForUrl } from '../server/url.js';

interface RoomsBody {
  rooms: { room: string; count: number; clients: number }[];
}
interface OnlineBody {
  users: {
    uid: number | string;
    uname: string;
    clients: number;
    since: string;
  }[];
}

/** Live state lives in the server's memory, so status asks the server. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('print rooms with their online users and client counts')
    .option('--host <host>', 'server address (FAYE_ONLINE_HOST)')
    .option('--port <port>', 'server port (FAYE_ONLINE_PORT)')
    .option('--api-key <key>', 'API key of the server (FAYE_ONLINE_API_KEY)')
    .option('--json', 'print JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { json, ...rest } = flags;
      const config = loadConfig(rest);
      const base = `http://${hostForUrl(config.host)}:${config.port}`;
      const getJson = <T>(url: string) => fetchJson<T>(url, config.apiKey);
      const { rooms } = await getJson<RoomsBody>(`${base}/api/rooms`);
      const detailed = await Promise.all(
        rooms.map(async (room) => {
          const q = new URLSearchParams({ room: room.room });
          const online = await getJson<OnlineBody>(`${base}/api/online?${q}`);
          return { ...room, users: online.users };
        }),
      );
      if (json === true) {
        console.log(JSON.stringify({ rooms: detailed }, null, 2));
        return;
      }
      if (detailed.length === 0) console.log('no rooms online');
      for (const room of detailed) {
        console.log(
          `${room.room}  ${room.count} users, ${room.clients} clients`,
        );
        for (const user of room.users) {
          console.log(
            `  ${user.uid}\t${user.uname}\t${user.clients} clients\tsince ${user.since}`,
          );
        }
      }
    });
}

async function fetchJson<T>(url: string, apiKey?: string): Promise<T> {
  const headers: Record<string, string> =
    apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch {
    throw new Error(`no faye-online server answers at ${new URL(url).origin}`);
  }
  if (!response.ok) {
    throw new Error(
      `${url} answered ${response.status}: ${await response.text()}`,
    );
  }

  return (await response.json()) as T;
}
