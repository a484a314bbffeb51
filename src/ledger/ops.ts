import type { TrackerEvent } from '../presence/events.js';
import type { EndReason } from '../presence/types.js';

type Fields<T extends TrackerEvent['type']> = Omit<
  Extract<TrackerEvent, { type: T }>,
  'type'
>;

/** One pending write; the writer applies them in order, many per transaction. */
export type LedgerOp =
  | {
      readonly kind: 'log';
      readonly event: 'connect' | 'disconnect';
      readonly uid: string;
      readonly channel: string;
      readonly clientId: string;
      readonly at: number;
      readonly reason: EndReason | null;
      readonly room?: string;
      readonly uname?: string;
    }
  | ({ readonly kind: 'open' } & Fields<'session_opened'>)
  | ({ readonly kind: 'close' } & Fields<'session_closed'>)
  | {
      readonly kind: 'checkpoint';
      readonly id: string;
      readonly lastSeen: number;
    };
