// The broker a client test talks to, by name: 'kafka' (a real Apache Kafka from bench/kafka) or
// 'sluice' (Sluice's own broker). SLUICE_CLIENT_TARGET picks it (default 'kafka'), so the same
// suite checks the client against Kafka and, later, Sluice against the same expectations.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaInstallPaths } from '../../../bench/kafka/kafka-install.ts';

export type TargetName = 'kafka' | 'sluice';

export interface Target {
  name: TargetName;
  bootstrap: string;
  stop(): Promise<void>;
}

export interface TargetOptions {
  /** Partitions of auto-created topics. */
  partitions?: number;
}

export function targetName(): TargetName {
  const name = process.env.SLUICE_CLIENT_TARGET ?? 'kafka';
  if (name !== 'kafka' && name !== 'sluice') {
    throw new Error(
      `Cannot pick a client test target: SLUICE_CLIENT_TARGET='${name}', expected kafka or sluice`,
    );
  }
  return name;
}

/** Why the target cannot run here (for node:test's skip), or false when it can. */
export function targetSkipReason(name: TargetName = targetName()): string | false {
  if (name === 'sluice') return false;
  const install = kafkaInstallPaths();
  if (!existsSync(join(install.libsDir, '.complete'))) {
    return `Apache Kafka ${install.version} is not installed in ${install.home}: run \`bash bench/kafka/install.sh\``;
  }
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    return 'java is not on PATH: install a JDK 17+ and run `bash bench/kafka/install.sh`';
  }
  return false;
}

export async function startTarget(
  name: TargetName = targetName(),
  options: TargetOptions = {},
): Promise<Target> {
  if (name === 'kafka') {
    const { startKafka } = await import('../../../bench/kafka/kafka-process.ts');
    const kafka = await startKafka({
      heapMb: 512,
      logLevel: 'WARN',
      ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
      // Small test broker: quick group joins and transaction aborts.
      config: {
        'group.min.session.timeout.ms': 1000,
        'transaction.abort.timed.out.transaction.cleanup.interval.ms': 5000,
      },
    });
    return { name, bootstrap: kafka.bootstrap, stop: () => kafka.stop() };
  }
  const { startBroker } = await import('../../broker/broker.ts');
  const config: Record<string, string> = {};
  if (options.partitions !== undefined) config['num.partitions'] = String(options.partitions);
  const broker = await startBroker({ config });
  return { name, bootstrap: broker.bootstrap, stop: () => broker.close() };
}
