import { existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserServer,
  type Page,
} from 'playwright-core';
import type { TestServer } from './server.js';

/** Debian's chromium (`.ci/run` installs it); browser downloads are not used. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * We run as root (no sandbox) on a machine without a network: everything
 * that would call home is off.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the browser suite cannot run here, or false when it can. Under
 * CI=true a missing browser fails the suite instead of skipping it.
 */
export function browserMissing(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const reason = `${CHROMIUM} not found (apt-get install chromium)`;
  if (process.env.CI === 'true') {
    throw new Error(`the browser suite must run under CI=true: ${reason}`);
  }
  console.log(`# skipping browser tests: ${reason}`);

  return reason;
}

export interface LaunchOptions {
  /** Playwright turns the back/forward cache off unless asked. */
  readonly bfcache?: boolean;
}

function launchOptions(options: LaunchOptions) {
  return {
    executablePath: CHROMIUM,
    args: ARGS,
    ...(options.bfcache
      ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] }
      : {}),
  };
}

export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch(launchOptions(options));
}

/** A browser in a process the test may kill. */
export async function launchKillableBrowser(): Promise<{
  server: BrowserServer;
  browser: Browser;
}> {
  const server = await chromium.launchServer(launchOptions({}));
  const browser = await chromium.connect(server.wsEndpoint());

  return { server, browser };
}

/** Pages of this context cannot use WebSocket: Faye falls back to long-polling. */
export async function withoutWebSocket(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    Reflect.deleteProperty(window, 'WebSocket');
  });
}

export interface Visitor {
  readonly name: string;
  readonly room: string;
}

/** Opens the demo page as a visitor who has already picked a name and room. */
export async function openDemo(
  context: BrowserContext,
  server: TestServer,
  visitor: Visitor,
): Promise<Page> {
  const page = await context.newPage();
  const query = new URLSearchParams({ name: visitor.name, room: visitor.room });
  await page.goto(`${server.url}/?${query}`);

  return page;
}

/** The names the demo page lists, in its order. */
export function listedNames(page: Page): Promise<string[]> {
  return page.locator('#users li').allTextContents();
}

export async function shownCount(page: Page): Promise<number> {
  return Number(await page.locator('#count').textContent());
}
