// kcat (librdkafka's CLI). It has no admin commands: a topic is created by the broker's
// auto-creation (num.partitions=6 on kcat's broker) when kcat asks for its metadata, and configs
// are out of its reach. Its producer sets headers per invocation (-H) and never a timestamp, so
// kcat's records carry per-(codec, partition) headers and librdkafka's wall-clock CreateTime.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type ClientDriver, type GroupMember, MemberState } from '../suite/driver.ts';
import { byPartition, type Header, partitionsPerTopic, type ReadRecord } from '../suite/records.ts';
import { spawnLines } from './process.ts';

const clientId = ['-X', 'client.id=sluice-interop-kcat'];

function kcatVersion(): string | null {
  const result = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  return /Version (\S+)/.exec(result.stdout)?.[1] ?? '?';
}

const version = kcatVersion();

interface KcatJson {
  partition: number;
  offset: number;
  ts: number;
  headers?: string[] | null;
  key: string | null;
  payload: string | null;
}

function headersOf(flat: readonly string[] | null | undefined): Header[] {
  const out: Header[] = [];
  for (let i = 0; i + 1 < (flat?.length ?? 0); i += 2) out.push([flat?.[i] ?? '', flat?.[i + 1] ?? '']);
  return out;
}

/** `% Group g rebalanced (memberid m): assigned: t [0], t [3]` → [0, 3]; revoked → []. */
function assignmentOf(line: string, topic: string): number[] | null {
  if (!line.includes('rebalanced')) return null;
  if (line.includes('revoked:')) return [];
  const at = line.indexOf('assigned:');
  if (at < 0) return null;
  const partitions: number[] = [];
  const pattern = new RegExp(`${topic.replace(/[-.]/g, '\\$&')} \\[(\\d+)\\]`, 'g');
  for (const m of line.slice(at).matchAll(pattern)) partitions.push(Number(m[1]));
  return partitions;
}

function startKcatMember(bootstrap: string, topic: string, group: string): GroupMember {
  const label = `kcat member of ${group}`;
  const state = new MemberState(label);
  const args = [
    '-b',
    bootstrap,
    ...clientId,
    '-G',
    group,
    '-J',
    // Unbuffered: kcat's stdout is a pipe here, and buffered lines would only show at exit.
    '-u',
    '-X',
    'auto.offset.reset=earliest',
    '-X',
    'auto.commit.interval.ms=100',
    '-X',
    'heartbeat.interval.ms=300',
    '-X',
    'fetch.wait.max.ms=100',
    // If a leave is not seen, the group waits out the session; keep that wait short.
    '-X',
    'session.timeout.ms=10000',
    topic,
  ];
  const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrTail: string[] = [];
  let leaving = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const r = JSON.parse(line) as KcatJson;
    state.took([{ partition: r.partition, offset: BigInt(r.offset) }]);
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
    const assigned = assignmentOf(line, topic);
    if (assigned !== null) state.assigned(assigned);
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('close', (code, signal) => {
      if (leaving && (code === 0 || signal === 'SIGTERM')) return resolve();
      const error = new Error(`${label} exited with ${code ?? signal}\n${stderrTail.join('\n')}`);
      state.failed(error);
      reject(error);
    });
  });
  exited.catch(() => undefined);
  return {
    state,
    async leave() {
      leaving = true;
      // kcat closes its consumer on SIGTERM: commits the stored offsets and leaves the group.
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const kcatDriver: ClientDriver = {
  name: `kcat ${version ?? '(not installed)'}`,
  missing: () =>
    version === null ? 'kcat is not installed: run npm run interop:install (interop/install/kcat.sh)' : null,
  abilities: { perRecordHeaders: false, timestamps: false },
  codecGap: () => null,
  configsGap: 'kcat has no admin commands (no DescribeConfigs or AlterConfigs)',
  groupProtocols: ['classic'],
  brokerConfig: { 'num.partitions': String(partitionsPerTopic) },

  async createTopic(bootstrap, topic) {
    // kcat cannot create a topic: its metadata request lets the broker auto-create it.
    await spawnLines('kcat', ['-b', bootstrap, ...clientId, '-L', '-t', topic, '-J']);
  },

  async produce(bootstrap, topic, codec, records) {
    for (const [partition, list] of byPartition(records)) {
      const headers = list[0]?.headers ?? [];
      const args = [
        '-b',
        bootstrap,
        ...clientId,
        '-P',
        '-t',
        topic,
        '-p',
        String(partition),
        '-K',
        '\t',
        '-z',
        codec,
      ];
      for (const [k, v] of headers) args.push('-H', `${k}=${v}`);
      args.push('-X', 'linger.ms=5', '-X', 'acks=all', '-X', 'max.in.flight.requests.per.connection=1');
      const input = `${list.map((r) => `${r.key}\t${r.value}`).join('\n')}\n`;
      await spawnLines('kcat', args, { input });
    }
  },

  async readAll(bootstrap, topic) {
    const out: ReadRecord[] = [];
    await spawnLines(
      'kcat',
      ['-b', bootstrap, ...clientId, '-C', '-t', topic, '-o', 'beginning', '-e', '-J'],
      {
        onLine: (line) => {
          const r = JSON.parse(line) as KcatJson;
          out.push({
            partition: r.partition,
            offset: BigInt(r.offset),
            key: r.key,
            value: r.payload,
            headers: headersOf(r.headers),
            timestamp: BigInt(r.ts),
          });
        },
      },
    );
    return out;
  },

  startMember: async (bootstrap, topic, group) => startKcatMember(bootstrap, topic, group),

  describeConfigs() {
    throw new Error('kcat has no DescribeConfigs');
  },
  alterConfigs() {
    throw new Error('kcat has no AlterConfigs');
  },
};
