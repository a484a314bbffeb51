import type { EndReason } from '../presence/types.js';

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
  | {
      readonly kind: 'open';
      readonly id: string;
      readonly uid: string;
      readonly channel: string;
      readonly start: number;
    }
  | {
      readonly kind: 'close';
      readonly id: string;
      readonly uid: string;
      readonly channel: string;
      readonly start: number;
      readonly end: number;
      readonly reason: EndReason;
    }
  | { readonly kind: 'checkpoint'; readonly id: string; readonly lastSeen: number };
