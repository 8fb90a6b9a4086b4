// The checked-in model: where it lives and how it is made. Regenerate it with
//   node --import tsx src/apps/crypto/default-model.ts
// which trains on defaultTrainingData (train.ts) and rewrites default-model.json; the test in
// default-model.test.ts fails when the file and a fresh training disagree.
import { fileURLToPath } from 'node:url';

export const defaultModelPath = fileURLToPath(new URL('./default-model.json', import.meta.url));

/** Trains the default model and writes it to `path` (default: the checked-in file). */
export async function writeDefaultModel(path: string = defaultModelPath): Promise<void> {
  const { trainFromGenerator } = await import('./train.ts');
  const { saveSpikeModel } = await import('./spike-model.ts');
  const report = await trainFromGenerator();
  await saveSpikeModel(report.model, path);
  const v = report.validation;
  process.stdout.write(
    `wrote ${path}: ${report.trades} trades, ${report.bars} bars, ${report.labeledSpikes} injected spikes; ` +
      `validation precision ${v.precision.toFixed(3)} recall ${v.recall.toFixed(3)} F1 ${v.f1.toFixed(3)}\n`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  await writeDefaultModel();
