/**
 * faye-online for Node applications: `createOnlineServer` attaches Faye
 * and the JSON API to an existing HTTP server.
 */
export {
  createOnlineServer,
  OnlineServer,
  type JoinEvent,
  type LeaveEvent,
  type OnlineServerEvents,
  type OnlineServerOptions,
  type SessionEvent,
  type TimeOptions,
} from './server/online-server.js';
export type { OnlineList, OnlineUser } from './reports/online.js';
export type {
  Attendance,
  AttendanceRow,
  DaySeconds,
  TimeFigures,
  UserChannelTime,
} from './reports/online-time.js';
