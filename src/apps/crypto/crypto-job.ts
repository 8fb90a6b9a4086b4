// The spike-detection job as a job module, run like any other:
//   sluice run src/apps/crypto/crypto-job.ts --bootstrap 127.0.0.1:9092 --params '{"bounded":false}'
// crypto.trades → per-market bars of barMs → features and the model's probability → every scored
// bar to crypto.bars and the flagged ones to crypto.spikes, exactly once (transactional topic
// sinks; read them with read_committed). Trades later than the watermark allows go to a topic of
// their own (`late`), not into a bar and not lost.
import { fileURLToPath } from 'node:url';
import { topicSink } from '../../engine/connector/topic-sink.ts';
import { topicSource } from '../../engine/connector/topic-source.ts';
import { defaultIdleTimeoutMs, Job } from '../../engine/dsl/job.ts';
import { json } from '../../engine/serde/serdes.ts';
import { defaultModelPath } from './default-model.ts';
import { cryptoTopics, type ScoredBar, type Spike, type Trade } from './records.ts';
import { scoredBar, toSpike } from './score-bars.ts';
import { loadSpikeModel } from './spike-model.ts';
import { checkBarMs, detectSpikes } from './spike-pipeline.ts';

export interface CryptoJobParams {
  /** Topics; default crypto.trades, crypto.bars, crypto.spikes and `<input>.late`. */
  readonly input?: string;
  readonly bars?: string;
  readonly spikes?: string;
  readonly late?: string;
  /** Bar length; default the model's (5 s for the checked-in model). */
  readonly barMs?: number;
  /** Model file; default the checked-in default-model.json. */
  readonly model?: string;
  /** Read the trades present at start, then finish (a batch job). Default false. */
  readonly bounded?: boolean;
  /** Partitions of the output topics when the job creates them; default 1. */
  readonly partitions?: number;
  /** How late a trade may arrive and still count in its bar; default 2000 ms. */
  readonly outOfOrdernessMs?: number;
  /** A trades partition silent this long stops holding the watermark back; default 10 s. */
  readonly idleTimeoutMs?: number;
}

/** This module as a file: URL (for runJob's JobModule) and as a path (for `sluice run`). */
export const cryptoJobModule = new URL('./crypto-job.ts', import.meta.url).href;
export const cryptoJobPath = fileURLToPath(cryptoJobModule);

export const outOfOrdernessMsDefault = 2_000;

export function job(params: CryptoJobParams = {}): Job {
  const model = loadSpikeModel(params.model ?? defaultModelPath);
  const barMs = params.barMs ?? model.file.barMs;
  checkBarMs(barMs);
  const input = params.input ?? cryptoTopics.trades;
  const partitions = params.partitions ?? 1;
  if (!(Number.isInteger(partitions) && partitions >= 1))
    throw new RangeError(`partitions must be an integer >= 1, got ${partitions}`);
  const bounded = params.bounded ?? false;
  const job = new Job('crypto-spikes');
  const streams = detectSpikes(job, topicSource<string, Trade>(input, { serde: json(), bounded }), model, {
    barMs,
    ...model.file.featureOptions,
    outOfOrdernessMs: params.outOfOrdernessMs ?? outOfOrdernessMsDefault,
    // A bounded run reads as fast as it can: wall-clock idleness means nothing there.
    idleTimeoutMs: bounded ? Number.POSITIVE_INFINITY : (params.idleTimeoutMs ?? defaultIdleTimeoutMs),
  });
  streams.bars
    .map((bar) => scoredBar(bar))
    .to(
      topicSink<string, ScoredBar>(params.bars ?? cryptoTopics.bars, {
        serde: json(),
        createPartitions: partitions,
      }),
    );
  streams.bars
    .filter((bar) => bar.spike)
    .map((bar) => toSpike(bar))
    .to(
      topicSink<string, Spike>(params.spikes ?? cryptoTopics.spikes, {
        serde: json(),
        createPartitions: partitions,
      }),
    );
  streams.late.to(
    topicSink<string, Trade>(params.late ?? `${input}.late`, { serde: json(), createPartitions: partitions }),
  );
  return job;
}
