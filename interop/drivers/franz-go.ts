// franz-go through our program interop/franz-go (driver.go), built by interop/install/franz-go.sh
// with modules from the Go module proxy. Admin requests go through kmsg. Its producer is
// idempotent by default, as people run it; its group balancer is cooperative-sticky.
import { existsSync } from 'node:fs';
import { interopPeers } from '../install/peers.ts';
import type { ClientDriver } from '../suite/driver.ts';
import { recordsAsTsv, runDescribeConfigs, runJson, runRead, startProcessMember } from './process.ts';

const franzGo = interopPeers().franzGo;
const goMod = new URL('../franz-go/go.mod', import.meta.url);

export const franzGoDriver: ClientDriver = {
  name: 'franz-go',
  missing: () =>
    existsSync(franzGo)
      ? null
      : `${franzGo} is missing: run npm run interop:install (interop/install/franz-go.sh builds ${goMod.pathname})`,
  abilities: { perRecordHeaders: true, timestamps: true },
  codecGap: () => null,
  configsGap: null,
  groupProtocols: ['classic'],

  async createTopic(bootstrap, topic, partitions) {
    await runJson(franzGo, ['create-topic', bootstrap, topic, String(partitions)]);
  },
  async produce(bootstrap, topic, codec, records) {
    await runJson(franzGo, ['produce-records', bootstrap, topic, codec], recordsAsTsv(records));
  },
  readAll: (bootstrap, topic, partitions) => runRead(franzGo, ['read', bootstrap, topic, String(partitions)]),
  async startMember(bootstrap, topic, group) {
    return startProcessMember(`franz-go member of ${group}`, franzGo, ['member', bootstrap, topic, group]);
  },
  describeConfigs: (bootstrap, topic) => runDescribeConfigs(franzGo, ['describe-configs', bootstrap, topic]),
  async alterConfigs(bootstrap, topic, configs) {
    const pairs = Object.entries(configs).map(([k, v]) => `${k}=${v}`);
    await runJson(franzGo, ['alter-configs', bootstrap, topic, ...pairs]);
  },
};
