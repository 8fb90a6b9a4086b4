// Tunables of the group coordinator, with Kafka's broker config names beside them. Bounds that
// protect the process (sizes, counts) live in src/limits.ts; these are behaviours an operator or
// a test chooses.
import { coordinatorLimits } from '../limits.ts';

export interface CoordinatorConfig {
  /**
   * group.initial.rebalance.delay.ms. Kafka defaults to 3000 so that a fleet starting together
   * lands in one generation; Sluice defaults to 300: single-node clusters (tests, laptops) start
   * their consumers within milliseconds, and 3 s on every first join slows every test down.
   */
  initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms for classic members. */
  sessionTimeoutMsMin: number;
  sessionTimeoutMsMax: number;
  /** group.consumer.session.timeout.ms: KIP-848 members that stop heartbeating are fenced after this. */
  consumerSessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms: the interval KIP-848 members are told to heartbeat at. */
  consumerHeartbeatIntervalMs: number;
  /** group.consumer.assignors: the server-side assignors, the first is the default. */
  consumerAssignors: readonly string[];
  /** offsets.retention.minutes, in ms: offsets of an empty group expire this long after it emptied. */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms. */
  offsetsRetentionCheckIntervalMs: number;
  /**
   * offsets.topic.num.partitions. Kafka uses 50; Sluice uses 10: one node owns every partition,
   * so more partitions only add files and load time, while 10 still spreads compaction work.
   */
  offsetsTopicPartitions: number;
  /** group.max.size. */
  groupMembersMax: number;
}

export const defaultCoordinatorConfig: Readonly<CoordinatorConfig> = {
  initialRebalanceDelayMs: 300,
  sessionTimeoutMsMin: 6_000,
  sessionTimeoutMsMax: coordinatorLimits.sessionTimeoutMsMax,
  consumerSessionTimeoutMs: 45_000,
  consumerHeartbeatIntervalMs: 5_000,
  consumerAssignors: ['uniform', 'range'],
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 10 * 60 * 1000,
  offsetsTopicPartitions: 10,
  groupMembersMax: coordinatorLimits.groupMembersMax,
};

/** Fills defaults and checks every value against its bound. */
export function resolveCoordinatorConfig(overrides: Partial<CoordinatorConfig> = {}): CoordinatorConfig {
  const config: CoordinatorConfig = { ...defaultCoordinatorConfig, ...overrides };
  checkRange(
    'initialRebalanceDelayMs',
    config.initialRebalanceDelayMs,
    0,
    coordinatorLimits.rebalanceTimeoutMsMax,
  );
  checkRange(
    'sessionTimeoutMsMin',
    config.sessionTimeoutMsMin,
    coordinatorLimits.sessionTimeoutMsMin,
    coordinatorLimits.sessionTimeoutMsMax,
  );
  checkRange(
    'sessionTimeoutMsMax',
    config.sessionTimeoutMsMax,
    config.sessionTimeoutMsMin,
    coordinatorLimits.sessionTimeoutMsMax,
  );
  checkRange(
    'consumerSessionTimeoutMs',
    config.consumerSessionTimeoutMs,
    1,
    coordinatorLimits.sessionTimeoutMsMax,
  );
  checkRange(
    'consumerHeartbeatIntervalMs',
    config.consumerHeartbeatIntervalMs,
    1,
    config.consumerSessionTimeoutMs,
  );
  checkRange('offsetsRetentionMs', config.offsetsRetentionMs, 1, Number.MAX_SAFE_INTEGER);
  checkRange(
    'offsetsRetentionCheckIntervalMs',
    config.offsetsRetentionCheckIntervalMs,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  checkRange(
    'offsetsTopicPartitions',
    config.offsetsTopicPartitions,
    1,
    coordinatorLimits.offsetsTopicPartitionsMax,
  );
  checkRange('groupMembersMax', config.groupMembersMax, 1, coordinatorLimits.groupMembersMax);
  if (config.consumerAssignors.length === 0) {
    throw new RangeError(
      'Cannot configure the group coordinator: consumerAssignors must name at least one assignor, got []',
    );
  }
  return config;
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Cannot configure the group coordinator: ${name} must be an integer between ${min} and ${max}, got ${value}`,
    );
  }
}
