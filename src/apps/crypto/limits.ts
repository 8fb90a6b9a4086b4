// Every bound the crypto app enforces, named with its unit. Checked where options come in, so a
// bad option fails with its name and value instead of exhausting memory or time later.

export const cryptoLimits = {
  /** Markets in one universe: the talk's ~2,400 with room to grow. */
  marketsMax: 10_000,
  /** Average trades per second a generator may be asked for (all markets together). */
  tradesPerSecondMax: 1_000_000,
  /** Spikes per minute a generator may inject over its whole universe. */
  spikesPerMinuteMax: 10_000,
  /** Trades one generator step may hold (a step is generatorStepMs of simulated time). */
  stepTradesMax: 200_000,
  /** Simulated time per generator step: trades are drawn and time-sorted a step at a time. */
  generatorStepMs: 50,
  /** Bar windows: at least 100 ms (a few trades), at most an hour. */
  barMsMin: 100,
  barMsMax: 3_600_000,
  /** Bars one training run may collect in memory. */
  trainingBarsMax: 5_000_000,
  /** Examples the regression is fit on after subsampling negatives (bounds its time and memory). */
  fitExamplesMax: 40_000,
  /** Gradient steps of the regression. */
  fitStepsMax: 100_000,
  /** Injected spikes a live feed remembers for callers (the oldest are dropped first). */
  recentSpikesMax: 1_000,
  /** Records handed to the producer before awaiting their acknowledgements. */
  producerInFlightMax: 10_000,
  /** Trades read back per partition of the trades topic to find where each market's price
   * stands when a live feed continues an earlier run (about ten minutes of the demo's flow). */
  resumeTailRecordsMax: 200_000,
  /** Largest model file read (a model is a few kB; anything larger is not one). */
  modelFileBytesMax: 1_000_000,
} as const;
