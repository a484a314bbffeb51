import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial.js';
import * as logRoomUname from './002-log-room-uname.js';

/** Migrations live in code, so a built package carries them. */
export const migrations: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '001-initial': initial,
      '002-log-room-uname': logRoomUname,
    };
  },
};
