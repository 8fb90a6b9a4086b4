// Kafka's CLI tools by the name of their bin/ script, mapped to the main class that script runs.
// Apache Kafka's own bin/*.sh wrappers are not on Maven Central, so we run the classes directly
// with the classpath that install.sh fills (see kafka-tool.sh and runKafkaTool()).
import { spawn } from 'node:child_process';
import { ensureKafkaInstalled, type KafkaInstall } from './kafka-install.ts';

/** Script name (as in Kafka's bin/ folder, without `.sh`) → main class. */
export const kafkaToolMainClasses: Readonly<Record<string, string>> = {
  'kafka-acls': 'org.apache.kafka.tools.AclCommand',
  'kafka-broker-api-versions': 'org.apache.kafka.tools.BrokerApiVersionsCommand',
  'kafka-cluster': 'org.apache.kafka.tools.ClusterTool',
  'kafka-configs': 'org.apache.kafka.tools.ConfigCommand',
  'kafka-console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'kafka-console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'kafka-console-share-consumer': 'org.apache.kafka.tools.consumer.ConsoleShareConsumer',
  'kafka-consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'kafka-consumer-perf-test': 'org.apache.kafka.tools.ConsumerPerformance',
  'kafka-delete-records': 'org.apache.kafka.tools.DeleteRecordsCommand',
  'kafka-dump-log': 'org.apache.kafka.tools.DumpLogSegments',
  'kafka-e2e-latency': 'org.apache.kafka.tools.EndToEndLatency',
  'kafka-features': 'org.apache.kafka.tools.FeatureCommand',
  'kafka-get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  'kafka-groups': 'org.apache.kafka.tools.GroupsCommand',
  'kafka-leader-election': 'org.apache.kafka.tools.LeaderElectionCommand',
  'kafka-log-dirs': 'org.apache.kafka.tools.LogDirsCommand',
  'kafka-metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
  'kafka-producer-perf-test': 'org.apache.kafka.tools.ProducerPerformance',
  'kafka-share-groups': 'org.apache.kafka.tools.consumer.group.ShareGroupCommand',
  'kafka-storage': 'kafka.tools.StorageTool',
  'kafka-streams-application-reset': 'org.apache.kafka.tools.StreamsResetter',
  'kafka-topics': 'org.apache.kafka.tools.TopicCommand',
  'kafka-transactions': 'org.apache.kafka.tools.TransactionsCommand',
  'kafka-verifiable-consumer': 'org.apache.kafka.tools.VerifiableConsumer',
  'kafka-verifiable-producer': 'org.apache.kafka.tools.VerifiableProducer',
};

/**
 * Resolves a tool name to a main class: a script name (`kafka-topics`, `kafka-topics.sh`), or a
 * fully qualified class name (anything containing a dot that is not a `.sh` script name).
 */
export function kafkaToolMainClass(tool: string): string {
  const name = tool.endsWith('.sh') ? tool.slice(0, -'.sh'.length) : tool;
  const mapped = kafkaToolMainClasses[name];
  if (mapped !== undefined) return mapped;
  if (name.includes('.')) return name;
  const known = Object.keys(kafkaToolMainClasses).join(', ');
  throw new Error(`Cannot run Kafka tool '${tool}': not a known script name (${known}) nor a class name`);
}

export interface RunJavaOptions {
  /** Kill the JVM after this long and reject (default 120 s). */
  timeoutMs?: number;
  /** Written to the JVM's stdin, then stdin is closed. */
  input?: string | Buffer;
  /** JVM heap, MiB (default 256: tools are small). */
  heapMb?: number;
  /** Resolve instead of rejecting when the tool exits non-zero. */
  allowFailure?: boolean;
}

export interface JavaResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const toolTimeoutMsDefault = 120_000;
const toolHeapMbDefault = 256;
const toolOutputBytesMax = 64 * 1024 * 1024;

/** Runs `java -cp <kafka libs> <mainClass> args...` and collects its output. */
export function runJava(install: KafkaInstall, mainAndArgs: string[], options: RunJavaOptions = {}) {
  const heapMb = options.heapMb ?? toolHeapMbDefault;
  const timeoutMs = options.timeoutMs ?? toolTimeoutMsDefault;
  const args = [
    `-Xmx${heapMb}m`,
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${install.log4jConfig}`,
    '-Dsluice.kafka.logLevel=WARN',
    '-cp',
    install.classpath,
    ...mainAndArgs,
  ];
  return new Promise<JavaResult>((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= toolOutputBytesMax) into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`Cannot run java ${mainAndArgs[0]}: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if (code === 0 || options.allowFailure === true) return resolve(result);
      const how = signal === 'SIGKILL' ? `was killed after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      reject(new Error(`Kafka tool ${mainAndArgs.join(' ')} ${how}\n${result.stderr.slice(-4000)}`));
    });
    // A program that never reads stdin may exit first: EPIPE on stdin is no error of its own.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs one of Kafka's CLI tools by script name or main class, e.g.
 * `runKafkaTool('kafka-topics', ['--bootstrap-server', k.bootstrap, '--list'])`.
 */
export function runKafkaTool(
  tool: string,
  args: string[],
  options: RunJavaOptions & { version?: string } = {},
) {
  const install = ensureKafkaInstalled(options.version);
  return runJava(install, [kafkaToolMainClass(tool), ...args], options);
}
