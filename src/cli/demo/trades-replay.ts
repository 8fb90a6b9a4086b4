// `sluice demo crypto replay --input trades.jsonl`: writes recorded trades (one JSON Trade per
// line, as the exchange pollers or an earlier run produced them) to crypto.trades, keyed by
// market and timestamped with the trade time, so the detection job sees them as it would have
// live. Progress is the share of the file read; a malformed line stops the replay and names its
// line number, after everything before it has been acknowledged.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseTrade } from '../../apps/crypto/parse-trade.ts';
import { cryptoTopics, marketId } from '../../apps/crypto/records.ts';
import { Producer } from '../../client/producer.ts';
import { cliLimits } from '../../limits.ts';
import { CliError } from '../command.ts';
import { readLines } from '../line-reader.ts';
import { ProgressLine, progressBar } from '../progress.ts';

export interface ReplayOptions {
  readonly input: string;
  readonly bootstrap: string;
  readonly topic?: string;
  readonly stderr: NodeJS.WritableStream;
  readonly signal: AbortSignal;
}

export interface ReplaySummary {
  readonly trades: number;
  readonly bytes: number;
  readonly interrupted: boolean;
}

/** Records handed to the producer before their acknowledgements are awaited. */
const replayBatchMax = 1_000;

export async function replayTrades(options: ReplayOptions): Promise<ReplaySummary> {
  let size: number;
  try {
    size = (await stat(options.input)).size;
  } catch (error) {
    throw new CliError(`Cannot read trades file ${options.input}: ${(error as Error).message}`, 2);
  }
  const topic = options.topic ?? cryptoTopics.trades;
  const producer = new Producer({ bootstrap: options.bootstrap, clientId: 'sluice-trades-replay' });
  const progress = new ProgressLine(options.stderr);
  let bytes = 0;
  let trades = 0;
  let line = 0;
  let pending: Promise<unknown>[] = [];
  try {
    for await (const raw of readLines(createReadStream(options.input), cliLimits.produceLineBytesMax)) {
      if (options.signal.aborted) break;
      line++;
      bytes += raw.length + 1;
      if (raw.length === 0) continue;
      let value: unknown;
      try {
        value = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        throw new CliError(`${options.input} line ${line} is not JSON: ${(error as Error).message}`);
      }
      let trade: ReturnType<typeof parseTrade>;
      try {
        trade = parseTrade(value);
      } catch (error) {
        throw new CliError(`${options.input} line ${line}: ${(error as Error).message}`);
      }
      pending.push(
        producer.send({
          topic,
          key: marketId(trade.exchange, trade.market),
          value: JSON.stringify(trade),
          timestamp: trade.timestampMs,
        }),
      );
      trades++;
      if (pending.length >= replayBatchMax) {
        await Promise.all(pending);
        pending = [];
        progress.update(
          `replay ${progressBar(bytes / Math.max(size, 1))} ${trades.toLocaleString('en-US')} trades`,
        );
      }
    }
    await Promise.all(pending);
  } finally {
    progress.clear();
    // What was sent before a bad line is acknowledged (or fails) before the producer closes.
    await Promise.allSettled(pending);
    await producer.close();
  }
  return { trades, bytes, interrupted: options.signal.aborted };
}
