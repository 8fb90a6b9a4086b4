// franz-go (our interop/franz-go program): a produce per codec, a group consumer, transactions.
import { readFileSync } from 'node:fs';
import { interopPeers, requirePeer } from '../../install/peers.ts';
import { runProcess } from '../run-process.ts';
import type { Scenario } from '../scenario.ts';

const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const records = 5;

export const franzGoScenario: Scenario = {
  client: 'franz-go',
  async describe() {
    const goMod = readFileSync(new URL('../../franz-go/go.mod', import.meta.url), 'utf8');
    return `franz-go ${/twmb\/franz-go (v\S+)/.exec(goMod)?.[1] ?? '?'}`;
  },
  async check() {
    requirePeer(interopPeers().franzGo, 'franz-go.sh');
  },
  async run(ctx) {
    const bin = interopPeers().franzGo;
    const topic = ctx.topic('main');
    const common = ['-brokers', ctx.bootstrap, '-topic', topic, '-n', String(records)];
    for (const codec of codecs) {
      await runProcess(bin, ['produce', ...common, '-codec', codec]);
      ctx.log(`produced ${records} records with ${codec}`);
    }
    const n = String(records * codecs.length);
    const consumeArgs = [
      'consume',
      '-brokers',
      ctx.bootstrap,
      '-topic',
      topic,
      '-group',
      ctx.group('g'),
      '-n',
      n,
    ];
    const { stdout } = await runProcess(bin, consumeArgs);
    ctx.log(stdout.trim());
    await runProcess(bin, ['txn', ...common, '-txid', ctx.topic('txn')]);
    ctx.log('transactions: commit, abort');
  },
};
