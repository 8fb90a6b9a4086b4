// confluent-kafka (librdkafka) and kafka-python through interop/python/driver.py, run by the
// venv python that interop/install/python.sh makes.
import { existsSync } from 'node:fs';
import { interopPeers } from '../install/peers.ts';
import type { ClientDriver } from '../suite/driver.ts';
import { recordsAsTsv, runDescribeConfigs, runJson, runRead, startProcessMember } from './process.ts';

const driverScript = new URL('../python/driver.py', import.meta.url).pathname;

function pythonDriver(lib: 'confluent' | 'kafka-python', name: string): ClientDriver {
  const { python } = interopPeers();
  const run = (command: string, ...args: string[]) => [driverScript, lib, command, ...args];
  return {
    name,
    missing: () =>
      existsSync(python)
        ? null
        : `${python} is missing: run npm run interop:install (interop/install/python.sh installs ${lib})`,
    abilities: { perRecordHeaders: true, timestamps: true },
    codecGap: () => null,
    configsGap: null,
    groupProtocols: ['classic'],

    async createTopic(bootstrap, topic, partitions) {
      await runJson(python, run('create-topic', bootstrap, topic, String(partitions)));
    },
    async produce(bootstrap, topic, codec, records) {
      await runJson(python, run('produce', bootstrap, topic, codec), recordsAsTsv(records));
    },
    readAll: (bootstrap, topic, partitions) =>
      runRead(python, run('read', bootstrap, topic, String(partitions))),
    async startMember(bootstrap, topic, group) {
      return startProcessMember(`${lib} member of ${group}`, python, run('member', bootstrap, topic, group));
    },
    describeConfigs: (bootstrap, topic) =>
      runDescribeConfigs(python, run('describe-configs', bootstrap, topic)),
    async alterConfigs(bootstrap, topic, configs) {
      const pairs = Object.entries(configs).map(([k, v]) => `${k}=${v}`);
      await runJson(python, run('alter-configs', bootstrap, topic, ...pairs));
    },
  };
}

export const confluentKafkaDriver = pythonDriver('confluent', 'confluent-kafka-python (librdkafka)');
export const kafkaPythonDriver = pythonDriver('kafka-python', 'kafka-python');
