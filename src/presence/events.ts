import type { EndReason, Presence } from './types.js';

/** What the tracker reports; the server routes each to ledger or publisher. */
export type TrackerEvent =
  | {
      readonly type: 'client_connected';
      readonly clientId: string;
      readonly presence: Presence;
      readonly at: number;
    }
  | {
      readonly type: 'client_disconnected';
      readonly clientId: string;
      readonly presence: Presence;
      readonly at: number;
      readonly reason: EndReason;
    }
  | {
      readonly type: 'session_opened';
      readonly id: string;
      readonly uid: string;
      readonly channel: string;
      readonly start: number;
    }
  | {
      readonly type: 'session_closed';
      readonly id: string;
      readonly uid: string;
      readonly channel: string;
      readonly start: number;
      readonly end: number;
      readonly reason: EndReason;
    }
  | {
      readonly type: 'user_joined';
      readonly room: string;
      readonly uid: string;
      readonly uname: string;
      readonly at: number;
    }
  | {
      readonly type: 'user_left';
      readonly room: string;
      readonly uid: string;
      readonly at: number;
    }
  | { readonly type: 'room_changed'; readonly room: string };

export type Emit = (event: TrackerEvent) => void;
