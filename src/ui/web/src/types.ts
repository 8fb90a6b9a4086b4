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
