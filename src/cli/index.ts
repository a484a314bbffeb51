#!/usr/bin/env node
import { Command } from 'commander';
import { registerImportLegacy } from './import-legacy.js';
import { registerMigrate } from './migrate.js';
import { registerReports } from './reports.js';
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
registerReports(program);
registerImportLegacy(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`faye-online: ${message}`);
  process.exit(1);
});
