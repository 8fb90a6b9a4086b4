// Long simulation run, not part of CI: `node --import tsx src/storage/soak.ts [firstSeed] [seeds] [steps]`.
// Prints the failing seed; rerun one with SLUICE_SIM_SEED=<seed> SLUICE_SIM_SEEDS=1 on the test.
import { runSimulation } from './simulation.ts';

const firstSeed = Number(process.argv[2] ?? 1_000_000);
const seeds = Number(process.argv[3] ?? 20_000);
const steps = Number(process.argv[4] ?? 200);
const started = Date.now();
for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
  try {
    await runSimulation(seed, { steps, compaction: true, partitions: 3 });
  } catch (error) {
    console.error(
      `FAILED at seed ${seed} (steps ${steps}): ${error instanceof Error ? error.stack : String(error)}`,
    );
    process.exit(1);
  }
  if ((seed - firstSeed + 1) % 500 === 0)
    console.log(`${seed - firstSeed + 1} seeds ok (${Math.round((Date.now() - started) / 1000)} s)`);
}
console.log(`All ${seeds} seeds of ${steps} steps passed in ${Math.round((Date.now() - started) / 1000)} s`);
