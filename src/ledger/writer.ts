import type { Logger } from 'pino';
import type { LedgerOp } from './ops.js';

export interface BatchSink {
  apply(ops: readonly LedgerOp[]): Promise<void>;
}

export interface WriterOptions {
  readonly sink: BatchSink;
  readonly log: Logger;
  /** Milliseconds to gather a batch before writing. */
  readonly delayMs: number;
  /** Pending ops past which `saturated` says to refuse new work. */
  readonly limit: number;
  readonly batchSize?: number;
}

const RETRY_MS = 1000;

/**
 * The one batching writer: events queue in memory and go to the database
 * many per transaction. Nothing is dropped: when writes fail the batch is
 * retried, and when the queue is full `saturated` turns new clients away.
 */
export class Writer {
  readonly #options: WriterOptions;
  #queue: LedgerOp[] = [];
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #failing = false;

  constructor(options: WriterOptions) {
    this.#options = options;
  }

  get depth(): number {
    return this.#queue.length;
  }

  get saturated(): boolean {
    return this.#queue.length >= this.#options.limit;
  }

  push(op: LedgerOp): void {
    this.#queue.push(op);
    const full = this.#queue.length >= (this.#options.batchSize ?? 1000);
    this.#schedule(full ? 0 : this.#options.delayMs);
  }

  /** Resolves once everything queued before the call is written. */
  async flush(): Promise<void> {
    this.#cancelTimer();
    while (this.#running !== null || this.#queue.length > 0) {
      if (this.#running === null) this.#running = this.#drainOnce();
      await this.#running;
      if (this.#failing) throw new Error('ledger writes are failing');
    }
  }

  #schedule(ms: number): void {
    if (this.#running !== null) return;
    if (this.#timer !== null && ms > 0) return;
    this.#cancelTimer();
    this.#timer = setTimeout(() => this.#run(), ms);
  }

  #cancelTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #run(): void {
    this.#timer = null;
    if (this.#running !== null) return;
    this.#running = this.#drainOnce();
  }

  async #drainOnce(): Promise<void> {
    const size = this.#options.batchSize ?? 1000;
    const batch = this.#queue.slice(0, size);
    try {
      await this.#options.sink.apply(batch);
      this.#queue = this.#queue.slice(batch.length);
      this.#failing = false;
    } catch (error) {
      this.#failing = true;
      this.#options.log.error(
        { err: error, pending: this.#queue.length },
        'ledger write failed; retrying',
      );
    } finally {
      this.#running = null;
    }
    if (this.#queue.length > 0) {
      this.#schedule(this.#failing ? RETRY_MS : 0);
    }
  }
}
