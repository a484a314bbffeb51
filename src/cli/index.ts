#!/usr/bin/env node
import { Command } from 'commander';
import { registerMigrate } from './migrate.js';
import { registerServe } from './serve.js';
import { registerStatus } from './status.js';
import { registerToken } from './token.js';

const program = new Command('faye-online')
  .description('who is online in each room, and for how long')
  .showHelpAfterError();
registerServe(program);
registerMigrate(program);
registerStatus(program);
registerToken(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`faye-online: ${message}`);
  process.exit(1);
});
