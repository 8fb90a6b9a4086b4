// Apache Kafka's Java client (kafka-clients, version in interop/java/pom.xml) through our
// program interop/java (Driver.java), built by interop/install/java.sh. Its consumer speaks both
// the classic group protocol and KIP-848's (group.protocol=consumer).
import { existsSync } from 'node:fs';
import { interopPeers } from '../install/peers.ts';
import type { ClientDriver } from '../suite/driver.ts';
import { recordsAsTsv, runDescribeConfigs, runJson, runRead, startProcessMember } from './process.ts';

const javaClient = interopPeers().javaClient;

export const javaDriver: ClientDriver = {
  name: 'java kafka-clients',
  missing: () =>
    existsSync(javaClient)
      ? null
      : `${javaClient} is missing: run npm run interop:install (interop/install/java.sh builds it)`,
  abilities: { perRecordHeaders: true, timestamps: true },
  codecGap: () => null,
  configsGap: null,
  groupProtocols: ['classic', 'consumer'],

  async createTopic(bootstrap, topic, partitions) {
    await runJson(javaClient, ['create-topic', bootstrap, topic, String(partitions)]);
  },
  async produce(bootstrap, topic, codec, records) {
    await runJson(javaClient, ['produce-records', bootstrap, topic, codec], recordsAsTsv(records));
  },
  readAll: (bootstrap, topic, partitions) =>
    runRead(javaClient, ['read', bootstrap, topic, String(partitions)]),
  async startMember(bootstrap, topic, group, protocol) {
    return startProcessMember(`java ${protocol} member of ${group}`, javaClient, [
      'member',
      bootstrap,
      topic,
      group,
      protocol,
    ]);
  },
  describeConfigs: (bootstrap, topic) =>
    runDescribeConfigs(javaClient, ['describe-configs', bootstrap, topic]),
  async alterConfigs(bootstrap, topic, configs) {
    const pairs = Object.entries(configs).map(([k, v]) => `${k}=${v}`);
    await runJson(javaClient, ['alter-configs', bootstrap, topic, ...pairs]);
  },
};
