// Where each market's price stands in a trades topic: the price of its latest trade among the
// newest records of each partition. A live feed that continues an earlier run starts every market
// there, so a restart does not look like a jump of every price back to its base level (which the
// detector would rightly flag as thousands of spikes).
import { Admin } from '../../client/admin.ts';
import { Consumer } from '../../client/consumer.ts';
import { cryptoLimits } from './limits.ts';
import { parseTrade } from './parse-trade.ts';
import { marketId } from './records.ts';

export interface LastPricesOptions {
  readonly bootstrap: string;
  readonly topic: string;
  /** Newest records read per partition; default cryptoLimits.resumeTailRecordsMax. */
  readonly recordsPerPartitionMax?: number;
  /** Longest the read may take before it gives up with what it has. */
  readonly timeoutMs?: number;
}

/** Market id (`exchange:market`) → last traded price; empty when the topic does not exist. */
export async function readLastPrices(options: LastPricesOptions): Promise<Map<string, number>> {
  const prices = new Map<string, number>();
  const admin = new Admin({ bootstrap: options.bootstrap, clientId: 'sluice-crypto-last-prices' });
  let ends: { partition: number; from: bigint; end: bigint }[];
  try {
    if (!(await admin.listTopics()).includes(options.topic)) return prices;
    const [description] = await admin.describeTopics([options.topic], { offsets: true });
    const tail = BigInt(options.recordsPerPartitionMax ?? cryptoLimits.resumeTailRecordsMax);
    ends = (description?.partitions ?? []).flatMap((p) => {
      const end = p.latestOffset ?? 0n;
      const earliest = p.earliestOffset ?? 0n;
      const from = end - tail > earliest ? end - tail : earliest;
      return end > from ? [{ partition: p.partition, from, end }] : [];
    });
  } finally {
    await admin.close();
  }
  if (ends.length === 0) return prices;
  const consumer = new Consumer({ bootstrap: options.bootstrap, clientId: 'sluice-crypto-last-prices' });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    consumer.assign(ends.map((e) => ({ topic: options.topic, partition: e.partition })));
    for (const e of ends) consumer.seek(options.topic, e.partition, e.from);
    const remaining = new Map(ends.map((e) => [e.partition, e.end]));
    while (remaining.size > 0 && Date.now() < deadline) {
      const batch = await consumer.nextBatch(Math.max(deadline - Date.now(), 1));
      if (batch === null) break;
      const end = remaining.get(batch.partition);
      if (end === undefined) continue;
      for (const record of batch.records) {
        if (record.offset >= end) break;
        try {
          const trade = parseTrade(JSON.parse(String(record.value)));
          prices.set(marketId(trade.exchange, trade.market), trade.price);
        } catch {
          // A record that is not a trade says nothing about a price; the job routes it too.
        }
      }
      // By position, not by the last record: a transaction marker can be a partition's last offset.
      for (const [partition, partitionEnd] of remaining) {
        const position = consumer.position(options.topic, partition);
        if (position !== null && position >= partitionEnd) remaining.delete(partition);
      }
    }
  } finally {
    await consumer.close();
  }
  return prices;
}
