// Reads one partition through Sluice's Kafka consumer in assign mode: the engine decides which
// partitions a task reads and from where (its checkpoint), so no group membership is involved.
// One consumer per partition reader keeps positions independent; isolation is read_committed
// unless asked otherwise.
import { Consumer } from '../../client/consumer.ts';
import type { ConsumedRecord } from '../../client/fetched-records.ts';
import type { LogBatch, LogRecord, PartitionReader, ReaderOptions } from '../../engine/log/log.ts';

export class KafkaPartitionReader implements PartitionReader {
  readonly topic: string;
  readonly partition: number;
  readonly #consumer: Consumer;
  readonly #endOffset: number | null;
  #pending: ConsumedRecord[] = [];
  #head = 0;
  #position: number;

  constructor(bootstrap: string, topic: string, partition: number, offset: number, options: ReaderOptions) {
    this.topic = topic;
    this.partition = partition;
    this.#position = offset;
    this.#endOffset = options.endOffset;
    this.#consumer = new Consumer({
      bootstrap,
      clientId: `sluice-engine-${topic}-${partition}`,
      isolationLevel: options.readCommitted ? 'read_committed' : 'read_uncommitted',
      autoOffsetReset: 'earliest',
    });
    this.#consumer.assign([{ topic, partition }]);
    this.#consumer.seek(topic, partition, BigInt(offset));
  }

  async read(recordsMax: number, waitMsMax: number): Promise<LogBatch> {
    if (this.#ended()) return this.#batch([], true);
    if (this.#head === this.#pending.length) {
      const batch = await this.#consumer.nextBatch(waitMsMax);
      if (batch === null) {
        // Nothing buffered (delivery and position move together in the consumer), so its fetch
        // position is where reading stands: past control batches and aborted data too.
        const fetched = this.#consumer.position(this.topic, this.partition);
        if (fetched !== null && Number(fetched) > this.#position) this.#position = Number(fetched);
        return this.#batch([], this.#ended());
      }
      this.#pending = batch.records;
      this.#head = 0;
    }
    const records: LogRecord[] = [];
    const end = this.#endOffset ?? Number.POSITIVE_INFINITY;
    while (this.#head < this.#pending.length && records.length < recordsMax) {
      const r = this.#pending[this.#head]!;
      const offset = Number(r.offset);
      if (offset >= end) {
        this.#head = this.#pending.length;
        this.#position = end;
        break;
      }
      this.#head++;
      records.push({
        key: r.key,
        value: r.value,
        headers: r.headers,
        timestampMs: Number(r.timestamp),
        offset,
      });
      this.#position = offset + 1;
    }
    return this.#batch(records, this.#ended());
  }

  close(): Promise<void> {
    return this.#consumer.close();
  }

  #ended(): boolean {
    return this.#endOffset !== null && this.#position >= this.#endOffset;
  }

  #batch(records: LogRecord[], end: boolean): LogBatch {
    return { records, nextOffset: this.#position, endOfLog: end };
  }
}
