// Shapes of the JSON API's answers (src/ui/server/api), as the pages use them.
export interface Sample {
  atMs: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  requestsPerSec: number;
  recordsInPerSec: number;
  groupLag: Record<string, number>;
  operators: {
    job: string;
    operator: string;
    task: number;
    recordsInPerSec: number;
    recordsOutPerSec: number;
  }[];
}

export interface Check {
  ready: boolean;
  detail: string;
}

export interface Overview {
  nodeId: number;
  clusterId: string;
  listener: string;
  dataDir: string;
  startedAtMs: number;
  topics: number;
  internalTopics: number;
  partitions: number;
  offlinePartitions: number;
  diskBytes: number;
  groups: number | null;
  jobs: number;
  runningJobs: number;
  connections: number;
  health: { ready: boolean; checks: Record<string, Check> };
}

export interface TopicRow {
  name: string;
  internal: boolean;
  partitions: number;
  sizeBytes: number;
  records: number;
  offlinePartitions: number;
  overrides: number;
}

export interface PartitionRow {
  partition: number;
  logStartOffset: number;
  logEndOffset: number;
  sizeBytes: number;
  segments: number;
  offline: string | null;
}

export interface ConfigRow {
  name: string;
  value: string;
  source: 'topic' | 'broker' | 'default';
  documentation: string;
}

export interface TopicDetail {
  name: string;
  topicId: string;
  partitions: PartitionRow[];
  configs: ConfigRow[];
}

export interface Field {
  encoding: 'null' | 'json' | 'text' | 'binary';
  size: number;
  text: string | null;
  hex: string;
  truncated: boolean;
}

export interface BrowsedRecord {
  offset: number;
  timestampMs: number;
  key: Field;
  value: Field;
  headers: { key: string; value: Field }[];
}

export interface BrowsedPage {
  records: BrowsedRecord[];
  nextOffset: number;
  logStartOffset: number;
  logEndOffset: number;
}

export interface GroupRow {
  groupId: string;
  state: string;
  type: string;
  totalLag: number;
  partitions: number;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  committedOffset: number;
  logEndOffset: number;
  lag: number;
}

export interface GroupDetail {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    assignment: { topic: string; partitions: number[] }[];
  }[];
  partitions: PartitionLag[];
  totalLag: number;
}

export interface JobView {
  name: string;
  description: string;
  state: string;
  plan: string | null;
  executors: number;
  startedAtMs: number | null;
  endedAtMs: number | null;
  error: string | null;
  stateBytes: number;
  counters: Record<string, number>;
  operators: {
    name: string;
    task: number;
    executor: number;
    recordsIn: number;
    recordsOut: number;
    batches: number;
    batchMsAvg: number;
    batchMsMax: number;
    recordsInPerSec: number;
    recordsOutPerSec: number;
  }[];
  tasks: {
    key: string;
    executor: number;
    watermarkMs: number | null;
    idle: boolean;
    ended: boolean;
    backpressureMs: number;
  }[];
  checkpoints: {
    id: number;
    startedAtMs: number;
    durationMs: number;
    stateBytes: number;
    finished: boolean;
  }[];
}

// The apps pages (src/ui/server/api/apps-api.ts). Record shapes follow src/apps/*/records.ts.
export interface AppTopicStatus {
  topic: string;
  present: boolean;
  records: number;
  skipped: number;
  lastError: string | null;
}

export interface AppStatus {
  name: 'crypto' | 'sentiment';
  running: boolean;
  startCommand: string;
  topics: AppTopicStatus[];
}

export interface AppsOverview {
  apps: AppStatus[];
}

export interface MarketSummary {
  id: string;
  exchange: string;
  market: string;
  lastPrice: number;
  changePct: number;
  bars: number;
  spikes: number;
  lastBarMs: number;
}

export interface MarketSearch {
  query: string;
  total: number;
  markets: MarketSummary[];
}

export interface ScoredBarRecord {
  exchange: string;
  market: string;
  windowStartMs: number;
  windowEndMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
  vwap: number;
  returnPct: number;
  zScore: number;
  volumeRatio: number;
  probability: number;
  spike: boolean;
}

export interface SpikeRecord extends ScoredBarRecord {
  direction: 'up' | 'down';
}

export interface MarketBars {
  summary: MarketSummary;
  id: string;
  windowStartMs: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  probability: number[];
  spike: boolean[];
  spikes: SpikeRecord[];
}

export interface KeywordSummary {
  keyword: string;
  points: number;
  messages: number;
  lastMeanScore: number;
  lastWindowMs: number;
  alerts: number;
}

export interface SentimentPointRecord {
  keyword: string;
  windowStartMs: number;
  windowEndMs: number;
  messages: number;
  positive: number;
  negative: number;
  neutral: number;
  meanScore: number;
}

export interface KeywordTimeline {
  keyword: string;
  windowStartMs: number[];
  messages: number[];
  positive: number[];
  negative: number[];
  neutral: number[];
  meanScore: number[];
}

export interface SentimentAlertRecord {
  id: string;
  keyword: string;
  kind: 'negative-trend' | 'negative-message';
  windowStartMs: number;
  windowEndMs: number;
  meanScore: number;
  messages: number;
  samples: string[];
  summary: string;
}

export interface ScoredMessageRecord {
  source: string;
  channel: string;
  user: string;
  text: string;
  id: string;
  timestampMs: number;
  keyword: string;
  score: number;
  label: 'positive' | 'negative' | 'neutral';
}
