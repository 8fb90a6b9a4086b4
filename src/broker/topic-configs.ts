// Topic and broker configs as DescribeConfigs, CreateTopics and the alter APIs see them: every
// config storage understands, its effective value, where the value comes from (topic override,
// broker setting, built-in default), its synonyms and type. Storage owns the values; this module
// only describes them.
import { brokerConfigNames, defaultTopicConfig, topicConfigNames } from '../storage/log-config.ts';
import type { BrokerConfig } from './config.ts';

/** DescribeConfigs ConfigSource codes. */
export const ConfigSource = {
  dynamicTopic: 1,
  staticBroker: 4,
  default: 5,
} as const;

/** DescribeConfigs ConfigType codes. */
export const ConfigType = { boolean: 1, string: 2, int: 3, long: 5, double: 6, list: 7 } as const;

/** Resource type codes shared by the config APIs. */
export const ConfigResourceType = { topic: 2, broker: 4, brokerLogger: 8 } as const;

export interface ConfigSynonym {
  name: string;
  value: string;
  source: number;
}

export interface DescribedConfig {
  name: string;
  value: string;
  source: number;
  readOnly: boolean;
  type: number;
  documentation: string;
  /** Most specific first, as Kafka lists them. */
  synonyms: ConfigSynonym[];
}

const TOPIC_CONFIG_INFO: Readonly<Record<string, { type: number; doc: string }>> = {
  'segment.bytes': { type: ConfigType.int, doc: 'Bytes of one log segment file before a new one is rolled.' },
  'segment.ms': {
    type: ConfigType.long,
    doc: 'Milliseconds after which a segment is rolled even if not full.',
  },
  'segment.index.bytes': { type: ConfigType.int, doc: 'Bytes of the offset index of one segment.' },
  'index.interval.bytes': { type: ConfigType.int, doc: 'Bytes between offset index entries.' },
  'retention.ms': { type: ConfigType.long, doc: 'Milliseconds a segment is kept; -1 keeps forever.' },
  'retention.bytes': {
    type: ConfigType.long,
    doc: 'Bytes a partition keeps before deleting old segments; -1 for no limit.',
  },
  'cleanup.policy': { type: ConfigType.list, doc: 'delete, compact, or both (comma-separated).' },
  'delete.retention.ms': {
    type: ConfigType.long,
    doc: 'Milliseconds tombstones are kept in compacted topics.',
  },
  'min.compaction.lag.ms': {
    type: ConfigType.long,
    doc: 'Minimum age of a record before it may be compacted.',
  },
  'min.cleanable.dirty.ratio': {
    type: ConfigType.double,
    doc: 'Dirty fraction of a log that triggers compaction.',
  },
  'flush.messages': {
    type: ConfigType.long,
    doc: 'Unflushed messages after which an append waits for fsync.',
  },
  'flush.ms': {
    type: ConfigType.long,
    doc: 'Milliseconds after which unflushed data is fsynced in the background.',
  },
  'message.timestamp.type': {
    type: ConfigType.string,
    doc: 'CreateTime (producer timestamps) or LogAppendTime (broker time).',
  },
  'max.message.bytes': { type: ConfigType.int, doc: 'Largest record batch the topic accepts, in bytes.' },
};

const brokerNameOf: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(brokerConfigNames).map(([broker, topic]) => [topic, broker]),
);

/** Every config of a topic, given its overrides. */
export function describeTopicConfigs(
  overrides: Readonly<Record<string, string>>,
  broker: BrokerConfig,
): DescribedConfig[] {
  const out: DescribedConfig[] = [];
  for (const name of topicConfigNames) {
    const synonyms: ConfigSynonym[] = [];
    const override = overrides[name];
    if (override !== undefined) synonyms.push({ name, value: override, source: ConfigSource.dynamicTopic });
    const brokerName = brokerNameOf[name];
    const brokerValue = brokerName === undefined ? undefined : broker.logSettings[brokerName];
    if (brokerName !== undefined && brokerValue !== undefined) {
      synonyms.push({ name: brokerName, value: brokerValue, source: ConfigSource.staticBroker });
    }
    const builtIn = defaultTopicConfig[name] ?? '';
    synonyms.push({ name: brokerName ?? name, value: builtIn, source: ConfigSource.default });
    const effective = synonyms[0] as ConfigSynonym;
    const info = TOPIC_CONFIG_INFO[name] ?? { type: ConfigType.string, doc: '' };
    out.push({
      name,
      value: effective.value,
      source: effective.source,
      readOnly: false,
      type: info.type,
      documentation: info.doc,
      synonyms,
    });
  }
  return out;
}

/** The broker's configs (all static: set at start). */
export function describeBrokerConfigs(broker: BrokerConfig, advertised: string): DescribedConfig[] {
  const entry = (name: string, value: string, type: number, documentation: string): DescribedConfig => ({
    name,
    value,
    source: ConfigSource.staticBroker,
    readOnly: true,
    type,
    documentation,
    synonyms: [{ name, value, source: ConfigSource.staticBroker }],
  });
  const out = [
    entry('node.id', String(broker.nodeId), ConfigType.int, 'This node id.'),
    entry('advertised.listeners', `PLAINTEXT://${advertised}`, ConfigType.string, 'Where clients connect.'),
    entry(
      'auto.create.topics.enable',
      String(broker.autoCreateTopics),
      ConfigType.boolean,
      'Create topics named in Metadata requests.',
    ),
    entry(
      'num.partitions',
      String(broker.numPartitions),
      ConfigType.int,
      'Partitions of auto-created topics.',
    ),
  ];
  for (const [brokerName, topicName] of Object.entries(brokerConfigNames)) {
    const value = broker.topicDefaults[topicName] ?? '';
    const set = broker.logSettings[brokerName] !== undefined;
    const info = TOPIC_CONFIG_INFO[topicName] ?? { type: ConfigType.string, doc: '' };
    const described = entry(brokerName, value, info.type, info.doc);
    if (!set) {
      described.source = ConfigSource.default;
      described.synonyms = [{ name: brokerName, value, source: ConfigSource.default }];
    }
    out.push(described);
  }
  return out;
}
