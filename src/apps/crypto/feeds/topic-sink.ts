// A TradeSink that writes to a topic with Sluice's producer: key `${exchange}:${market}` (one
// market's trades stay in one partition, in order), JSON value, timestamp = trade time.
import type { Producer } from '../../../client/producer.ts';
import { cryptoTopics, marketId, type Trade } from '../records.ts';
import type { TradeSink } from './trade-poller.ts';

export function topicTradeSink(producer: Producer, topic: string = cryptoTopics.trades): TradeSink {
  return async (batch: readonly Trade[]) => {
    await producer.sendBatch(
      batch.map((trade) => ({
        topic,
        key: marketId(trade.exchange, trade.market),
        value: JSON.stringify(trade),
        timestamp: trade.timestampMs,
      })),
    );
  };
}
