import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSimulation } from './simulation.ts';

const seeds = Number(process.env.SLUICE_SIM_SEEDS ?? 2000);
const firstSeed = Number(process.env.SLUICE_SIM_SEED ?? 1);

describe('storage simulation', () => {
  it(`keeps flushed records, contiguous offsets and intact batches over ${seeds} seeds of random faults`, async () => {
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      try {
        await runSimulation(seed, { steps: 30, compaction: true });
      } catch (error) {
        assert.fail(
          `Simulation failed at seed ${seed} (rerun with SLUICE_SIM_SEED=${seed} SLUICE_SIM_SEEDS=1): ${String(error)}\n${(error as Error).stack}`,
        );
      }
    }
  });
});
