import { unionOf } from './intervals.js';
import type { Emit } from './events.js';
import type { EndReason, Interval } from './types.js';

interface Ended extends Interval {
  readonly reason: EndReason;
}

interface Group {
  readonly uid: string;
  readonly channel: string;
  /** Live clients and the instant each arrived. */
  readonly live: Map<string, number>;
  /** Ended clients' intervals inside the still-open session. */
  ended: Ended[];
  session: { id: string; start: number };
}

export interface OpenSession {
  readonly id: string;
  readonly uid: string;
  readonly channel: string;
  readonly start: number;
  readonly clients: readonly string[];
}

/**
 * A user's time in a time channel is the union of their clients' intervals
 * (DESIGN.md §5). An interval can end in the past (at last seen, found out
 * later), so an open session may turn out to have had a gap: then the part
 * before the gap is closed retroactively and a new session opens after it.
 * New clients always start at "now", so a component that ends before every
 * live client started can never change again.
 */
export class TimeGroups {
  readonly #groups = new Map<string, Group>();
  readonly #emit: Emit;
  readonly #newId: () => string;

  constructor(emit: Emit, newId: () => string) {
    this.#emit = emit;
    this.#newId = newId;
  }

  add(uid: string, channel: string, clientId: string, at: number): void {
    const key = keyOf(uid, channel);
    const group = this.#groups.get(key);
    if (group !== undefined) {
      group.live.set(clientId, at);
      return;
    }
    const session = { id: this.#newId(), start: at };
    const live = new Map([[clientId, at]]);
    this.#groups.set(key, { uid, channel, live, ended: [], session });
    this.#emit({ type: 'session_opened', uid, channel, ...session });
  }

  remove(
    uid: string,
    channel: string,
    clientId: string,
    end: number,
    reason: EndReason,
  ): void {
    const key = keyOf(uid, channel);
    const group = this.#groups.get(key);
    const start = group?.live.get(clientId);
    if (group === undefined || start === undefined) return;

    group.live.delete(clientId);
    group.ended.push({ start, end, reason });
    this.#settle(group);
    if (group.live.size === 0) this.#groups.delete(key);
  }

  /** Sessions still running, with the clients that keep each open. */
  open(): OpenSession[] {
    return [...this.#groups.values()].map((group) => ({
      id: group.session.id,
      uid: group.uid,
      channel: group.channel,
      start: group.session.start,
      clients: [...group.live.keys()],
    }));
  }

  find(uid: string, channel: string): OpenSession | undefined {
    const group = this.#groups.get(keyOf(uid, channel));
    if (group === undefined) return undefined;

    return {
      id: group.session.id,
      uid,
      channel,
      start: group.session.start,
      clients: [...group.live.keys()],
    };
  }

  #settle(group: Group): void {
    const liveStart = Math.min(...group.live.values());
    const running =
      group.live.size > 0 ? [{ start: liveStart, end: Infinity }] : [];
    const parts = unionOf([...group.ended, ...running]);
    const final = parts.filter((part) => part.end !== Infinity);
    const open = parts.find((part) => part.end === Infinity);
    if (open !== undefined && final.length === 0) return;

    this.#closeParts(group, final);
    if (open === undefined) return;
    group.session = { id: this.#newId(), start: open.start };
    group.ended = group.ended.filter((e) => e.start >= open.start);
    this.#emit({
      type: 'session_opened',
      uid: group.uid,
      channel: group.channel,
      ...group.session,
    });
  }

  /** Closes the open session at the first part, records later parts whole. */
  #closeParts(group: Group, parts: readonly Interval[]): void {
    const { uid, channel } = group;
    const first = parts[0];
    const current = group.session;
    // Only zero-length intervals ended: the session had no duration at all.
    const firstEnd = first?.end ?? current.start;
    this.#emit({
      type: 'session_closed',
      uid,
      channel,
      ...current,
      end: firstEnd,
      reason: reasonAt(group.ended, firstEnd),
    });
    for (const part of parts.slice(1)) {
      const id = this.#newId();
      this.#emit({
        type: 'session_opened',
        id,
        uid,
        channel,
        start: part.start,
      });
      this.#emit({
        type: 'session_closed',
        id,
        uid,
        channel,
        start: part.start,
        end: part.end,
        reason: reasonAt(group.ended, part.end),
      });
    }
  }
}

function keyOf(uid: string, channel: string): string {
  return `${uid}\u0000${channel}`;
}

/** The reason of the interval whose end closed a part. */
function reasonAt(ended: readonly Ended[], end: number): EndReason {
  const last = [...ended].reverse().find((e) => e.end === end);

  return last?.reason ?? ended[ended.length - 1]?.reason ?? 'disconnect';
}
