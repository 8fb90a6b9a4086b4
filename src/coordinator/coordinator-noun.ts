// The group coordinator as a broker noun: created at broker start over the broker's storage
// (__consumer_offsets, topics), reached by the group handlers as ctx.services.nouns.groups.
// Broker settings named like Kafka's (group.*, offsets.*) tune it; see coordinator-config.ts.
import type { BrokerServices, NounFactory } from '../broker/services.ts';
import { type CoordinatorConfig, defaultCoordinatorConfig } from './coordinator-config.ts';
import { GroupCoordinator, type PendingTransactionalOffsets } from './group-coordinator.ts';
import { LogManagerTopicCatalog } from './log-manager-topic-catalog.ts';
import { StorageOffsetsLog } from './storage-offsets-log.ts';

declare module '../broker/services.ts' {
  interface BrokerNouns {
    groups: GroupCoordinator;
  }
}

/** Kafka broker property → coordinator setting, with the unit conversion the property needs. */
const properties: ReadonlyArray<[string, keyof CoordinatorConfig, number]> = [
  ['group.initial.rebalance.delay.ms', 'initialRebalanceDelayMs', 1],
  ['group.min.session.timeout.ms', 'sessionTimeoutMsMin', 1],
  ['group.max.session.timeout.ms', 'sessionTimeoutMsMax', 1],
  ['group.consumer.session.timeout.ms', 'consumerSessionTimeoutMs', 1],
  ['group.consumer.heartbeat.interval.ms', 'consumerHeartbeatIntervalMs', 1],
  ['offsets.retention.minutes', 'offsetsRetentionMs', 60_000],
  ['offsets.retention.check.interval.ms', 'offsetsRetentionCheckIntervalMs', 1],
  ['offsets.topic.num.partitions', 'offsetsTopicPartitions', 1],
  ['group.max.size', 'groupMembersMax', 1],
];

/** Reads the coordinator's settings from broker properties (unknown ones are ignored here). */
export function coordinatorConfigFromProperties(
  props: Readonly<Record<string, string>>,
): Partial<CoordinatorConfig> {
  const config: Partial<Record<keyof CoordinatorConfig, unknown>> = {};
  for (const [name, key, scale] of properties) {
    const text = props[name];
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(value)) {
      throw new RangeError(
        `Cannot configure the group coordinator: ${name} must be an integer, got '${text}'`,
      );
    }
    config[key] = value * scale;
  }
  const assignors = props['group.consumer.assignors'];
  if (assignors !== undefined) {
    // Kafka lists class names; the last dot-separated word, lower-cased and without "Assignor", is ours.
    config.consumerAssignors = assignors
      .split(',')
      .map(
        (s) =>
          s
            .trim()
            .split('.')
            .pop()
            ?.replace(/Assignor$/, '')
            .toLowerCase() ?? '',
      )
      .filter((s) => s !== '');
  }
  return config as Partial<CoordinatorConfig>;
}

export const groupCoordinatorNoun: NounFactory<'groups'> = {
  name: 'groups',
  async create(services: BrokerServices) {
    const config = coordinatorConfigFromProperties(services.config.passthrough);
    const log = await StorageOffsetsLog.open(
      services.logs,
      config.offsetsTopicPartitions ?? defaultCoordinatorConfig.offsetsTopicPartitions,
    );
    const coordinator = await GroupCoordinator.open({
      log,
      topics: new LogManagerTopicCatalog(services.logs),
      // Started after this noun; looked up on each RequireStable OffsetFetch.
      transactions: () => (services.nouns as { transactions?: PendingTransactionalOffsets }).transactions,
      config: { ...config, offsetsTopicPartitions: log.partitions },
    });
    return { noun: coordinator, close: () => coordinator.close() };
  },
};
