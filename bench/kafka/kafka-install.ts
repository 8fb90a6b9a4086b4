// Where install.sh puts Apache Kafka, and a TypeScript entry that makes sure it is there.
// The jars live outside the repository (they are third-party binaries, never committed).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Kafka version install.sh installs unless KAFKA_VERSION says otherwise. */
export const kafkaVersionDefault = '4.4.0';

export interface KafkaInstall {
  version: string;
  /** `<cache>/kafka-<version>` */
  home: string;
  /** `<home>/libs`, holding every jar of the broker and of the tools. */
  libsDir: string;
  /** A java `-cp` value: the libs folder with Java's `*` wildcard. */
  classpath: string;
  /** The log4j2 configuration written by install.sh (console appender). */
  log4jConfig: string;
}

const installScript = new URL('./install.sh', import.meta.url).pathname;

export function kafkaCacheDir(): string {
  return process.env.SLUICE_CACHE ?? join(homedir(), '.cache', 'sluice');
}

export function kafkaInstallPaths(
  version: string = process.env.KAFKA_VERSION ?? kafkaVersionDefault,
): KafkaInstall {
  const home = join(kafkaCacheDir(), `kafka-${version}`);
  const libsDir = join(home, 'libs');
  return {
    version,
    home,
    libsDir,
    classpath: join(libsDir, '*'),
    log4jConfig: join(home, 'log4j2.properties'),
  };
}

/** Runs install.sh when the cache lacks a complete install; returns the install's paths. */
export function ensureKafkaInstalled(
  version: string = process.env.KAFKA_VERSION ?? kafkaVersionDefault,
): KafkaInstall {
  const paths = kafkaInstallPaths(version);
  const marker = join(paths.libsDir, '.complete');
  if (existsSync(marker) && existsSync(paths.log4jConfig)) return paths;
  const result = spawnSync('bash', [installScript], {
    env: { ...process.env, KAFKA_VERSION: version },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`Cannot install Kafka ${version}: ${installScript} exited with ${result.status}`);
  }
  const installed = readFileSync(marker, 'utf8').trim();
  if (installed !== version) {
    throw new Error(`Cannot install Kafka ${version}: ${marker} names version '${installed}'`);
  }
  return paths;
}
