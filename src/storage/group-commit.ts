// Group commit: fsyncs are batched across partitions. A caller that needs durability joins the
// next round; one round syncs every partition that has waiters (in parallel on the I/O pool)
// and resolves all of them, so N concurrent flush.messages=1 appends cost one fsync per
// partition, not N. A round always starts after the request, so it covers the caller's write.
import { storageLimits } from '../limits.ts';
import { StorageError } from './errors.ts';

export interface Syncable {
  /** Makes every append completed before the call durable. */
  sync(): Promise<void>;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  #next = new Map<Syncable, Waiter[]>();
  #waiters = 0;
  #running = false;
  #scheduled = false;
  #rounds = 0;

  /** Rounds run so far (for tests and metrics). */
  get rounds(): number {
    return this.#rounds;
  }

  /** Resolves once a sync of `target` that started after this call has completed. */
  flush(target: Syncable): Promise<void> {
    if (this.#waiters >= storageLimits.flushWaitersMax) {
      return Promise.reject(
        new StorageError('append_queue_full', `Cannot wait for flush: ${this.#waiters} waiters already`),
      );
    }
    return new Promise((resolve, reject) => {
      const list = this.#next.get(target);
      if (list === undefined) this.#next.set(target, [{ resolve, reject }]);
      else list.push({ resolve, reject });
      this.#waiters++;
      this.#schedule();
    });
  }

  /** Asks for a sync without waiting for it (flush.ms); failures reach the partition, not the caller. */
  request(target: Syncable): void {
    this.flush(target).catch(() => {});
  }

  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    // One turn of the event loop lets concurrent appends join the same round.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#round();
    });
  }

  async #round(): Promise<void> {
    this.#running = true;
    const batch = this.#next;
    this.#next = new Map();
    this.#rounds++;
    const targets = [...batch.keys()];
    const outcomes = await Promise.allSettled(targets.map((t) => t.sync()));
    for (let i = 0; i < targets.length; i++) {
      const waiters = batch.get(targets[i]!)!;
      const outcome = outcomes[i]!;
      this.#waiters -= waiters.length;
      for (const w of waiters) {
        if (outcome.status === 'fulfilled') w.resolve();
        else w.reject(outcome.reason);
      }
    }
    this.#running = false;
    if (this.#next.size > 0) this.#schedule();
  }
}
