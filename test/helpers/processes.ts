import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const CLI = here('../../src/cli/index.js');
export const ONLINE_CLIENT = here('../fixtures/online-client.js');

/** Resolves with the first line of a stream that matches. */
export function lineMatching(
  stream: NodeJS.ReadableStream,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream });
    const timer = setTimeout(() => {
      lines.close();
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
    }, timeoutMs);
    lines.on('line', (line) => {
      const match = line.match(pattern);
      if (match === null) return;
      clearTimeout(timer);
      lines.close();
      resolve(match);
    });
  });
}

export interface Spawned {
  readonly child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnNode(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Spawned {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  return {
    child,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null)
        return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/** Runs `faye-online serve` as a real process; resolves once it listens. */
export async function spawnServer(args: string[], env: NodeJS.ProcessEnv = {}) {
  const server = spawnNode([CLI, 'serve', ...args], env);
  let log = '';
  server.child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const [, url] = await lineMatching(
    server.child.stderr!,
    /"url":"(http[^"]+)"/,
  );

  return { ...server, url: url!, log: () => log };
}
