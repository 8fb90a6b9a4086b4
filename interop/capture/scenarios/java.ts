// Apache Kafka's Java client (our interop/java program): admin, a produce per codec, a classic
// group consumer and a KIP-848 `consumer` protocol one, transactions.
import { readFileSync } from 'node:fs';
import { interopPeers, requirePeer } from '../../install/peers.ts';
import { runProcess } from '../run-process.ts';
import type { Scenario } from '../scenario.ts';

const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const records = 5;
const jvmTimeoutMs = 90_000;

export const javaScenario: Scenario = {
  client: 'java',
  async describe() {
    const pom = readFileSync(new URL('../../java/pom.xml', import.meta.url), 'utf8');
    return `kafka-clients ${/<kafka.version>([^<]+)</.exec(pom)?.[1] ?? '?'}`;
  },
  async check() {
    requirePeer(interopPeers().javaClient, 'java.sh');
  },
  async run(ctx) {
    const bin = interopPeers().javaClient;
    const topic = ctx.topic('main');
    const run = (args: string[]) => runProcess(bin, args, { timeoutMs: jvmTimeoutMs });
    await run(['admin', ctx.bootstrap, topic]);
    ctx.log(`admin: created ${topic}, described cluster, topic, configs, offsets, groups`);
    for (const codec of codecs) {
      await run(['produce', ctx.bootstrap, topic, codec, String(records)]);
      ctx.log(`produced ${records} records with ${codec}`);
    }
    const n = String(records * codecs.length);
    for (const protocol of ['classic', 'consumer']) {
      const { stdout } = await run(['consume', ctx.bootstrap, topic, ctx.group(protocol), n, protocol]);
      ctx.log(`${protocol} group protocol: ${stdout.trim()}`);
    }
    await run(['txn', ctx.bootstrap, topic, ctx.topic('txn'), String(records)]);
    ctx.log('transactions: commit, abort');
  },
};
