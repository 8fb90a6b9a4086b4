// Topic-level log configuration under Kafka's names. Topic configs are kept as the strings the
// client sent (DescribeConfigs returns them verbatim); this parses them, over broker defaults,
// into the typed values the log uses.
import { StorageError } from './errors.ts';

export type CleanupPolicy = { delete: boolean; compact: boolean };

export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  segmentIndexBytes: number;
  indexIntervalBytes: number;
  /** -1 keeps segments forever. */
  retentionMs: number;
  /** -1 means no size limit. */
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  deleteRetentionMs: number;
  minCompactionLagMs: number;
  minCleanableDirtyRatio: number;
  /** An append that brings the unflushed message count to this value waits for an fsync. */
  flushMessages: number;
  /** Unflushed data older than this is fsynced by the background flusher. */
  flushMs: number;
  logAppendTime: boolean;
  maxMessageBytes: number;
}

const MAX_LONG = Number.MAX_SAFE_INTEGER;

/**
 * Broker-wide defaults, keyed by topic config name. All follow Kafka except flush.ms: Kafka leaves
 * flushing to the OS and relies on replication, which a single Sluice node does not have, so
 * Sluice fsyncs within a second by default (see DURABILITY.md).
 */
export const defaultTopicConfig: Readonly<Record<string, string>> = {
  'segment.bytes': String(1024 * 1024 * 1024),
  'segment.ms': String(7 * 24 * 3600 * 1000),
  'segment.index.bytes': String(10 * 1024 * 1024),
  'index.interval.bytes': '4096',
  'retention.ms': String(7 * 24 * 3600 * 1000),
  'retention.bytes': '-1',
  'cleanup.policy': 'delete',
  'delete.retention.ms': String(24 * 3600 * 1000),
  'min.compaction.lag.ms': '0',
  'min.cleanable.dirty.ratio': '0.5',
  'flush.messages': String(MAX_LONG),
  'flush.ms': '1000',
  'message.timestamp.type': 'CreateTime',
  'max.message.bytes': '1048588',
};

/** Broker config names (log.*) mapped to the topic config they default. */
export const brokerConfigNames: Readonly<Record<string, string>> = {
  'log.segment.bytes': 'segment.bytes',
  'log.roll.ms': 'segment.ms',
  'log.index.size.max.bytes': 'segment.index.bytes',
  'log.index.interval.bytes': 'index.interval.bytes',
  'log.retention.ms': 'retention.ms',
  'log.retention.bytes': 'retention.bytes',
  'log.cleanup.policy': 'cleanup.policy',
  'log.cleaner.delete.retention.ms': 'delete.retention.ms',
  'log.cleaner.min.compaction.lag.ms': 'min.compaction.lag.ms',
  'log.cleaner.min.cleanable.ratio': 'min.cleanable.dirty.ratio',
  'log.flush.interval.messages': 'flush.messages',
  'log.flush.interval.ms': 'flush.ms',
  'log.message.timestamp.type': 'message.timestamp.type',
  'message.max.bytes': 'max.message.bytes',
};

/** Topic config defaults after applying broker `log.*` settings. */
export function topicDefaultsFromBroker(
  brokerConfig: Readonly<Record<string, string>>,
): Record<string, string> {
  const defaults: Record<string, string> = { ...defaultTopicConfig };
  for (const [brokerName, value] of Object.entries(brokerConfig)) {
    const topicName = brokerConfigNames[brokerName];
    if (topicName === undefined) continue;
    defaults[topicName] = value;
  }
  return defaults;
}

function integer(configs: Readonly<Record<string, string>>, name: string, min: number): number {
  const text = configs[name];
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isSafeInteger(value) || value < min) {
    throw new StorageError(
      'invalid_config',
      `Invalid value '${text}' for ${name}: expected an integer >= ${min}`,
    );
  }
  return value;
}

function ratio(configs: Readonly<Record<string, string>>, name: string): number {
  const text = configs[name];
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new StorageError(
      'invalid_config',
      `Invalid value '${text}' for ${name}: expected a number in [0, 1]`,
    );
  }
  return value;
}

function cleanupPolicy(text: string | undefined): CleanupPolicy {
  const parts = (text ?? '').split(',').map((p) => p.trim());
  const known = parts.every((p) => p === 'delete' || p === 'compact');
  if (!known || parts.length === 0 || parts.length > 2) {
    throw new StorageError(
      'invalid_config',
      `Invalid value '${text}' for cleanup.policy: expected delete, compact or both`,
    );
  }
  return { delete: parts.includes('delete'), compact: parts.includes('compact') };
}

function timestampType(text: string | undefined): boolean {
  if (text !== 'CreateTime' && text !== 'LogAppendTime') {
    throw new StorageError(
      'invalid_config',
      `Invalid value '${text}' for message.timestamp.type: expected CreateTime or LogAppendTime`,
    );
  }
  return text === 'LogAppendTime';
}

/** Names every config this layer understands; unknown names are rejected by validateTopicConfigs. */
export const topicConfigNames: ReadonlySet<string> = new Set(Object.keys(defaultTopicConfig));

/** Checks topic overrides (names and values) without applying them. */
export function validateTopicConfigs(overrides: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(overrides)) {
    if (!topicConfigNames.has(name))
      throw new StorageError('invalid_config', `Unknown topic config '${name}'`);
  }
  parseLogConfig(overrides, defaultTopicConfig);
}

export function parseLogConfig(
  overrides: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
): LogConfig {
  const c = { ...defaults, ...overrides };
  return {
    segmentBytes: integer(c, 'segment.bytes', 14),
    segmentMs: integer(c, 'segment.ms', 1),
    segmentIndexBytes: integer(c, 'segment.index.bytes', 8 * 4),
    indexIntervalBytes: integer(c, 'index.interval.bytes', 0),
    retentionMs: integer(c, 'retention.ms', -1),
    retentionBytes: integer(c, 'retention.bytes', -1),
    cleanupPolicy: cleanupPolicy(c['cleanup.policy']),
    deleteRetentionMs: integer(c, 'delete.retention.ms', 0),
    minCompactionLagMs: integer(c, 'min.compaction.lag.ms', 0),
    minCleanableDirtyRatio: ratio(c, 'min.cleanable.dirty.ratio'),
    flushMessages: integer(c, 'flush.messages', 1),
    flushMs: integer(c, 'flush.ms', 0),
    logAppendTime: timestampType(c['message.timestamp.type']),
    maxMessageBytes: integer(c, 'max.message.bytes', 0),
  };
}
