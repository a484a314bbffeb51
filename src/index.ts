/**
 * faye-online for Node applications: `createOnlineServer` attaches Faye
 * and the JSON API to an existing HTTP server.
 */
export { createOnlineServer } from './server/online-server.js';
export type {
  JoinEvent,
  LeaveEvent,
  OnlineListener,
  OnlineServer,
  OnlineServerEvents,
  OnlineServerOptions,
  SessionEvent,
  TimeOptions,
} from './server/online-types.js';
export type { OnlineList, OnlineUser } from './reports/online.js';
export type {
  Attendance,
  AttendanceRow,
  DaySeconds,
  TimeFigures,
  UserChannelTime,
} from './reports/online-time.js';
