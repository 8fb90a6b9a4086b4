// The crypto app's entry points for the CLI and the dashboard: the trade feed (generated trades
// to crypto.trades), training and evaluation, the model file, and the detection job module (run
// with `runJob({ module: cryptoJobModule, params })` or `sluice run <cryptoJobPath>`).
export {
  type CryptoJobParams,
  cryptoJobModule,
  cryptoJobPath,
  outOfOrdernessMsDefault,
} from './crypto-job.ts';
export { defaultModelPath, writeDefaultModel } from './default-model.ts';
export { featureNames } from './features.ts';
export { TradeGeneratorSource, type TradeSourceOptions } from './generator-source.ts';
export { cryptoTopics, marketId, type ScoredBar, type Spike, type Trade } from './records.ts';
export { type MatchReport, matchSpikes } from './spike-matching.ts';
export {
  type DetectionMetrics,
  loadSpikeModel,
  SpikeModel,
  SpikeModelError,
  saveSpikeModel,
} from './spike-model.ts';
export { defaultSpikeOptions, type InjectedSpike, type SpikeOptions } from './spike-schedule.ts';
export {
  startTradeFeed,
  type TradeFeed,
  type TradeFeedOptions,
  type TradeFeedProgress,
  type TradeFeedSummary,
} from './trade-feed.ts';
export { injectedSpikes, TradeGenerator, type TradeGeneratorOptions } from './trade-generator.ts';
export {
  defaultBarMs,
  defaultTrainingData,
  type EvaluationReport,
  evaluateOnGenerator,
  type TrainingInput,
  type TrainingOptions,
  type TrainingProgress,
  type TrainingReport,
  trainFromGenerator,
  trainFromInput,
} from './train.ts';
export {
  defaultMarketCount,
  exchangeIds,
  type MarketSpec,
  type MarketUniverseOptions,
  marketUniverse,
} from './universe.ts';
