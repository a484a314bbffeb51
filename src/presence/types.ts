/** What one client declares about itself: who, which room, which timer. */
export interface Presence {
  /** Canonical uid: a decimal integer string or any other 1–64 chars. */
  readonly uid: string;
  readonly uname: string;
  readonly room: string;
  readonly timeChannel: string;
  readonly token?: string;
}

/** Why a client's interval ended; stored in the log and on sessions. */
export type EndReason =
  | 'disconnect'
  | 'timeout'
  | 'socket_closed'
  | 'before_leave'
  | 'shutdown'
  | 'crash_recovery';

/** Half-open interval `[start, end)` in epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}
