// confluent-kafka (librdkafka) and kafka-python, through our interop/python/client.py.
import { interopPeers, requirePeer } from '../../install/peers.ts';
import { runProcess } from '../run-process.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';

const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const records = 5;

function client(args: string[]) {
  const peers = interopPeers();
  return runProcess(peers.python, [peers.pythonClient, ...args]);
}

async function produceAndConsume(ctx: ScenarioContext, lib: string): Promise<string> {
  const topic = ctx.topic('main');
  for (const codec of codecs) {
    await client([lib, 'produce', ctx.bootstrap, topic, codec, String(records)]);
    ctx.log(`produced ${records} records with ${codec}`);
  }
  const n = String(records * codecs.length);
  const { stdout } = await client([lib, 'consume', ctx.bootstrap, topic, ctx.group('g'), n]);
  ctx.log(stdout.trim());
  return topic;
}

async function pythonVersion(module: string, expression: string): Promise<string> {
  const { stdout } = await runProcess(interopPeers().python, [
    '-c',
    `import ${module}; print(${expression})`,
  ]);
  return stdout.trim();
}

export const confluentKafkaScenario: Scenario = {
  client: 'confluent-kafka-python',
  describe: () =>
    pythonVersion(
      'confluent_kafka',
      '"confluent-kafka", confluent_kafka.__version__, "(librdkafka", confluent_kafka.libversion()[0] + ")"',
    ),
  async check() {
    requirePeer(interopPeers().python, 'python.sh');
  },
  async run(ctx) {
    const topic = await produceAndConsume(ctx, 'confluent');
    await client(['confluent', 'txn', ctx.bootstrap, topic, ctx.topic('txn'), String(records)]);
    ctx.log('transactions: commit, abort');
  },
};

export const kafkaPythonScenario: Scenario = {
  client: 'kafka-python',
  describe: () => pythonVersion('kafka', '"kafka-python", kafka.__version__'),
  async check() {
    requirePeer(interopPeers().python, 'python.sh');
  },
  async run(ctx) {
    await produceAndConsume(ctx, 'kafka-python');
  },
};
