// Reads one partition straight from storage: the same PartitionLog a Fetch reads, the same last
// stable offset and aborted-transaction index for read_committed, decoded by the client's own
// fetched-records code, so the embedded binding sees exactly what a Kafka consumer would. Waits
// for data on the broker's AppendNotifier, as a long-polling Fetch does.
import { partitionKey } from '../../broker/append-notifier.ts';
import type { BrokerServices } from '../../broker/services.ts';
import { decodeFetchedRecords } from '../../client/fetched-records.ts';
import { EngineError } from '../../engine/engine-error.ts';
import type { LogBatch, LogRecord, PartitionReader, ReaderOptions } from '../../engine/log/log.ts';
import { engineLimits } from '../../limits.ts';
import type { PartitionLog } from '../../storage/partition-log.ts';

export class EmbeddedPartitionReader implements PartitionReader {
  readonly topic: string;
  readonly partition: number;
  readonly #services: BrokerServices;
  readonly #options: ReaderOptions;
  readonly #closed = new AbortController();
  #position: number;

  constructor(
    services: BrokerServices,
    topic: string,
    partition: number,
    offset: number,
    options: ReaderOptions,
  ) {
    this.#services = services;
    this.topic = topic;
    this.partition = partition;
    this.#position = offset;
    this.#options = options;
  }

  async read(recordsMax: number, waitMsMax: number): Promise<LogBatch> {
    // At most two passes: read, and if nothing was visible, wait once and read again.
    for (let pass = 0; pass < 2; pass++) {
      const log = this.#log();
      const endOffset = this.#options.endOffset;
      if (endOffset !== null && this.#position >= endOffset) return this.#batch([], true);
      if (this.#position < log.logStartOffset) this.#position = log.logStartOffset;
      const visible = this.#options.readCommitted ? log.lastStableOffset : log.logEndOffset;
      const limit = endOffset === null ? visible : Math.min(visible, endOffset);
      if (this.#position < limit) return this.#readBelow(log, limit, recordsMax);
      if (pass === 1 || this.#closed.signal.aborted) break;
      await this.#services.appends.wait(
        [partitionKey(this.topic, this.partition)],
        waitMsMax,
        this.#closed.signal,
      );
    }
    return this.#batch([], false);
  }

  close(): Promise<void> {
    this.#closed.abort();
    return Promise.resolve();
  }

  async #readBelow(log: PartitionLog, limit: number, recordsMax: number): Promise<LogBatch> {
    const from = this.#position;
    const result = await log.read(from, engineLimits.embeddedReadBytesMax, { minOneBatch: true });
    // Whole batches below the limit: the last stable offset and the captured end are batch boundaries.
    const batches = result.batches.filter((b) => Number(b.readBigInt64BE(0)) < limit);
    if (batches.length === 0) return this.#batch([], false);
    const data = batches.length === 1 ? batches[0]! : Buffer.concat(batches);
    const readCommitted = this.#options.readCommitted;
    const aborted = readCommitted
      ? log
          .abortedTransactions(from, limit)
          .map((a) => ({ producerId: a.producerId, firstOffset: BigInt(a.firstOffset) }))
      : null;
    const decoded = await decodeFetchedRecords(
      this.topic,
      this.partition,
      data,
      BigInt(from),
      readCommitted ? 'read_committed' : 'read_uncommitted',
      aborted,
    );
    const records: LogRecord[] = [];
    let next = Number(decoded.nextOffset);
    for (const r of decoded.records) {
      const offset = Number(r.offset);
      if (offset >= limit) break;
      if (records.length === recordsMax) {
        next = offset; // the rest is read again next time
        break;
      }
      records.push({
        key: r.key,
        value: r.value,
        headers: r.headers,
        timestampMs: Number(r.timestamp),
        offset,
      });
    }
    this.#position = Math.min(next, limit);
    return this.#batch(records, false);
  }

  #batch(records: LogRecord[], end: boolean): LogBatch {
    return { records, nextOffset: this.#position, endOfLog: end };
  }

  #log(): PartitionLog {
    const log = this.#services.logs.partition(this.topic, this.partition);
    if (log === undefined)
      throw new EngineError(
        'source_failed',
        `Cannot read '${this.topic}'-${this.partition}: no such partition`,
      );
    if (log.isOffline)
      throw new EngineError(
        'source_failed',
        `Cannot read '${this.topic}'-${this.partition}: the partition is offline (${log.offlineError?.message})`,
      );
    return log;
  }
}
