// What the cleaner knows of transactions while it walks a log from its start, batch by batch, in
// offset order (Kafka's CleanedTransactionMetadata). Aborted transactions come from the
// aborted-transaction index; a data batch of one of them is discarded, and its abort marker is
// kept (with its index entry) while the pass still saw data of that transaction. A commit marker
// is kept while the pass saw a batch of its transaction. A marker that no longer guards any data
// is "discardable": it stays until its delete horizon passes, so a consumer that read the data
// before the cleaner removed it still sees how the transaction ended.
import type { AbortedTxn } from '../txn/producer-state.ts';

/** A control batch's marker; 'other' for control records that end no transaction (always kept). */
export type MarkerType = 'commit' | 'abort' | 'other';

export class CleanedTransactions {
  /** Aborted transactions not yet reached, by first offset (ascending). */
  readonly #pending: AbortedTxn[];
  #next = 0;
  /** Aborted transactions reached but whose marker is not yet read, by producer id. */
  readonly #ongoingAborted = new Map<bigint, { txn: AbortedTxn; sawData: boolean }>();
  /** Producers with a batch of an undecided-in-this-walk (so committed) transaction seen. */
  readonly #ongoingCommitted = new Set<bigint>();
  /** Index entries of aborted transactions whose marker the walk keeps, in marker order. */
  #retained: AbortedTxn[] = [];

  constructor(aborted: readonly AbortedTxn[]) {
    this.#pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /**
   * A data batch ending at `lastOffset`: returns true when it belongs to an aborted transaction
   * (discard it, and keep none of its keys in the offset map).
   */
  onDataBatch(producerId: bigint, transactional: boolean, lastOffset: number): boolean {
    this.#reach(lastOffset);
    if (!transactional) return false;
    const aborted = this.#ongoingAborted.get(producerId);
    if (aborted !== undefined) {
      aborted.sawData = true;
      return true;
    }
    this.#ongoingCommitted.add(producerId);
    return false;
  }

  /**
   * A control batch at `offset`; `type` is undefined for a control batch whose marker was already
   * removed. Returns true when the marker guards no data any more (discardable).
   */
  onMarker(producerId: bigint, type: MarkerType | undefined, offset: number): boolean {
    this.#reach(offset);
    if (type === undefined) return true;
    if (type === 'other') return false;
    if (type === 'commit') return !this.#ongoingCommitted.delete(producerId);
    const aborted = this.#ongoingAborted.get(producerId);
    this.#ongoingAborted.delete(producerId);
    if (aborted?.sawData === true) {
      this.#retained.push(aborted.txn);
      return false;
    }
    return true;
  }

  /** The index entries of kept abort markers seen since the last call (one cleaned segment's). */
  takeRetained(): AbortedTxn[] {
    const retained = this.#retained;
    this.#retained = [];
    return retained;
  }

  #reach(offset: number): void {
    // Bounded by the number of aborted transactions given: each is reached once.
    while (this.#next < this.#pending.length && this.#pending[this.#next]!.firstOffset <= offset) {
      const txn = this.#pending[this.#next++]!;
      if (!this.#ongoingAborted.has(txn.producerId))
        this.#ongoingAborted.set(txn.producerId, { txn, sawData: false });
    }
  }
}
