// kcat (librdkafka): metadata, a produce per compression codec, a plain consumer, offset
// queries, and a balanced-group consumer that commits and leaves.
import { runProcess } from '../run-process.ts';
import type { Scenario, ScenarioContext } from '../scenario.ts';

const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const recordsPerCodec = 5;

function lines(codec: string): string {
  return Array.from({ length: recordsPerCodec }, (_, i) => `k${i}:kcat ${codec} ${i}`).join('\n');
}

async function kcat(ctx: ScenarioContext, args: string[], input?: string): Promise<string> {
  const all = ['-b', ctx.bootstrap, '-X', 'client.id=sluice-golden-kcat', ...args];
  const result = await runProcess('kcat', all, input === undefined ? {} : { input });
  return result.stdout;
}

export const kcatScenario: Scenario = {
  client: 'kcat',
  async describe() {
    const { stdout } = await runProcess('kcat', ['-V']);
    const version = /Version (\S+)/.exec(stdout)?.[1] ?? '?';
    const librdkafka = /librdkafka (\S+)/.exec(stdout)?.[1] ?? '?';
    return `kcat ${version} (librdkafka ${librdkafka})`;
  },
  async check() {
    await runProcess('kcat', ['-V']).catch((e: Error) => {
      throw new Error(`kcat is not installed (run interop/install/kcat.sh): ${e.message}`);
    });
  },
  async run(ctx) {
    const topic = ctx.topic('main');
    await kcat(ctx, ['-L']);
    for (const codec of codecs) {
      // Auto-creates the topic on the first produce (the broker allows it).
      await kcat(
        ctx,
        ['-P', '-t', topic, '-p', '0', '-K', ':', '-z', codec, '-X', 'linger.ms=5'],
        lines(codec),
      );
      ctx.log(`produced ${recordsPerCodec} records with ${codec}`);
    }
    const want = codecs.length * recordsPerCodec;
    const plain = await kcat(ctx, [
      '-C',
      '-t',
      topic,
      '-p',
      '0',
      '-o',
      'beginning',
      '-e',
      '-c',
      String(want),
    ]);
    ctx.log(`plain consumer read ${plain.trim().split('\n').length} records`);
    await kcat(ctx, ['-Q', '-t', `${topic}:0:-1`]);
    await kcat(ctx, ['-L', '-t', topic]);
    const grouped = await kcat(ctx, [
      '-G',
      ctx.group('consumer'),
      '-X',
      'auto.offset.reset=earliest',
      '-X',
      'auto.commit.interval.ms=100',
      '-X',
      'heartbeat.interval.ms=100',
      '-c',
      String(want),
      topic,
    ]);
    ctx.log(`group consumer read ${grouped.trim().split('\n').length} records`);
  },
};
