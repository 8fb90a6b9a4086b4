// `sluice demo crypto train`: retrains the spike model as a batch run of the engine over bounded
// data (generated trades with known spikes, a JSON-lines file of trades, or a topic), with a
// progress bar while it reads, then saves the model where `sluice demo crypto --model` and the
// job's `model` param can load it, and prints how well it did on the validation split.
import {
  saveSpikeModel,
  type TrainingInput,
  type TrainingReport,
  trainFromInput,
} from '../../apps/crypto/index.ts';
import { defaultTrainingData } from '../../apps/crypto/train.ts';
import { writeJson } from '../json-output.ts';
import { ProgressLine, progressBar } from '../progress.ts';
import { formatTable } from '../table.ts';

export interface TrainCommandOptions {
  readonly input: TrainingInput;
  readonly out: string;
  readonly json: boolean;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Generated training data: the default model's, with another seed or span when asked. */
export function generatedTrainingInput(seed: number | undefined, minutes: number | undefined): TrainingInput {
  return {
    kind: 'generator',
    generator: {
      ...defaultTrainingData,
      ...(seed === undefined ? {} : { seed }),
      ...(minutes === undefined ? {} : { spanMs: minutes * 60_000 }),
    },
  };
}

export async function trainCommand(options: TrainCommandOptions): Promise<TrainingReport> {
  const progress = new ProgressLine(options.stderr);
  let report: TrainingReport;
  try {
    report = await trainFromInput(options.input, {
      onProgress: (p) => {
        const share = p.recordsTotal === null ? null : p.records / Math.max(p.recordsTotal, 1);
        const bar = share === null ? '' : `${progressBar(share)} `;
        progress.update(
          `${p.phase} ${bar}${p.records.toLocaleString('en-US')} trades`,
          p.phase !== 'reading',
        );
      },
    });
  } finally {
    progress.clear();
  }
  await saveSpikeModel(report.model, options.out);
  if (options.json) {
    writeJson(options.stdout, {
      model: options.out,
      bars: report.bars,
      trades: report.trades,
      lateTrades: report.lateTrades,
      labeledSpikes: report.labeledSpikes,
      train: report.train,
      validation: report.validation,
      elapsedMs: report.elapsedMs,
    });
    return report;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const row = (name: string, m: TrainingReport['train']) => [
    name,
    m.examples,
    m.positives,
    m.truePositives,
    m.falsePositives,
    m.falseNegatives,
    pct(m.precision),
    pct(m.recall),
    m.f1.toFixed(3),
  ];
  options.stdout.write(
    `Trained on ${report.trades.toLocaleString('en-US')} trades (${report.bars.toLocaleString('en-US')} bars, ` +
      `${report.labeledSpikes} labeled spikes, ${report.lateTrades} late trades) in ${(report.elapsedMs / 1000).toFixed(1)} s\n\n`,
  );
  options.stdout.write(
    formatTable(
      [
        { title: 'SPLIT' },
        { title: 'BARS', align: 'right' },
        { title: 'SPIKES', align: 'right' },
        { title: 'TP', align: 'right' },
        { title: 'FP', align: 'right' },
        { title: 'FN', align: 'right' },
        { title: 'PRECISION', align: 'right' },
        { title: 'RECALL', align: 'right' },
        { title: 'F1', align: 'right' },
      ],
      [row('train', report.train), row('validation', report.validation)],
    ),
  );
  options.stdout.write(
    `\nModel saved to ${options.out}; run it with: sluice demo crypto --model ${options.out}\n`,
  );
  return report;
}
