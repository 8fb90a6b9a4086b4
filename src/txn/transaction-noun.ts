// The transaction coordinator as a broker noun (ctx.services.nouns.transactions), created at broker
// start over the broker's storage. Kafka's broker properties tune it: transaction.max.timeout.ms,
// transactional.id.expiration.ms, producer.id.expiration.ms, producer.id.expiration.check.interval.ms,
// transaction.abort.timed.out.transaction.cleanup.interval.ms, transaction.state.log.num.partitions.
import type { BrokerServices, NounFactory } from '../broker/services.ts';
import type { GroupCoordinator } from '../coordinator/group-coordinator.ts';
import {
  defaultTxnCoordinatorConfig,
  TransactionCoordinator,
  type TxnCoordinatorConfig,
  type TxnGroupOffsets,
} from './transaction-coordinator.ts';
import { TransactionLog } from './transaction-log.ts';

declare module '../broker/services.ts' {
  interface BrokerNouns {
    transactions: TransactionCoordinator;
  }
}

/** Partitions of __transaction_state when the broker does not say (Kafka's is 50; one node needs few). */
const STATE_PARTITIONS_DEFAULT = 4;

const properties: ReadonlyArray<[string, keyof TxnCoordinatorConfig]> = [
  ['transaction.max.timeout.ms', 'transactionMaxTimeoutMs'],
  ['transactional.id.expiration.ms', 'transactionalIdExpirationMs'],
  ['producer.id.expiration.ms', 'producerIdExpirationMs'],
  ['producer.id.expiration.check.interval.ms', 'producerIdExpirationCheckIntervalMs'],
  ['transaction.abort.timed.out.transaction.cleanup.interval.ms', 'timeoutCheckIntervalMs'],
];

function integer(props: Readonly<Record<string, string>>, name: string): number | undefined {
  const text = props[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot configure the transaction coordinator: ${name} must be a positive integer, got '${text}'`,
    );
  }
  return value;
}

export function txnConfigFromProperties(
  props: Readonly<Record<string, string>>,
): Partial<TxnCoordinatorConfig> {
  const config: Partial<TxnCoordinatorConfig> = {};
  for (const [name, key] of properties) {
    const value = integer(props, name);
    if (value !== undefined) config[key] = value;
  }
  return config;
}

/** The group coordinator seen as the place transactional offsets go. */
function groupOffsets(services: BrokerServices): TxnGroupOffsets | undefined {
  const groups = (services.nouns as { groups?: GroupCoordinator }).groups;
  if (groups === undefined) return undefined;
  return {
    validate: (groupId, memberId, instanceId, generationId) =>
      groups.validateTxnOffsetCommit(groupId, memberId, instanceId, generationId),
    commit: (groupId, offsets) =>
      groups.commitTransactionalOffsets(
        groupId,
        offsets.map((o) => ({ topic: o.topic, partition: o.partition, ...o.value })),
      ),
  };
}

export const transactionCoordinatorNoun: NounFactory<'transactions'> = {
  name: 'transactions',
  async create(services: BrokerServices) {
    const props = services.config.passthrough;
    const log = await TransactionLog.open(
      services.logs,
      integer(props, 'transaction.state.log.num.partitions') ?? STATE_PARTITIONS_DEFAULT,
    );
    const coordinator = await TransactionCoordinator.open({
      log,
      logs: services.logs,
      notify: (topic, partition) => services.appends.notify(topic, partition),
      groups: () => groupOffsets(services),
      config: { ...defaultTxnCoordinatorConfig, ...txnConfigFromProperties(props) },
    });
    return { noun: coordinator, close: () => coordinator.close() };
  },
};
