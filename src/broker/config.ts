// Broker configuration under Kafka's property names. Sources, later ones winning: built-in
// defaults, a Kafka-style .properties file (--config), SLUICE_* environment variables
// (SLUICE_NUM_PARTITIONS=3 is num.partitions=3), then command-line flags. Every value is checked
// here, once, with an error naming the property and the value.
import { storageLimits } from '../limits.ts';
import { brokerConfigNames, topicDefaultsFromBroker, validateTopicConfigs } from '../storage/log-config.ts';

export type LogFormatName = 'json' | 'pretty';

export interface BrokerConfig {
  /** Where topics live; null = a temporary directory removed on close. */
  dataDir: string | null;
  listenHost: string;
  listenPort: number;
  /** What clients are told to connect to; null = the bound address. */
  advertisedHost: string | null;
  advertisedPort: number | null;
  nodeId: number;
  autoCreateTopics: boolean;
  numPartitions: number;
  /** Topic config defaults after broker `log.*` settings (topic names, e.g. flush.ms). */
  topicDefaults: Record<string, string>;
  /** Broker `log.*` settings as given (Kafka names), for DescribeConfigs on the broker. */
  logSettings: Record<string, string>;
  logLevel: string;
  logFormat: LogFormatName;
  /** Where the dashboard, /metrics, /healthz and /readyz are served; null = not served. */
  http: { host: string; port: number } | null;
  /** Settings owned by other subsystems (group.*, offsets.*, transaction.*), passed through unchecked here. */
  passthrough: Record<string, string>;
}

/** Properties this module reads, with their defaults; the rest come from storage's log.* list. */
export const brokerConfigDefaults: Readonly<Record<string, string>> = {
  'data.dir': '',
  listen: '127.0.0.1:9092',
  'advertised.listener': '',
  'node.id': '1',
  'auto.create.topics.enable': 'true',
  'num.partitions': '1',
  'log.level': 'info',
  'log.format': 'json',
  /** HOST:PORT of the dashboard and metrics; empty or 'off' = none. */
  'http.listen': '',
};

/** Kafka spellings accepted as aliases, mapped to ours. */
const ALIASES: Readonly<Record<string, string>> = {
  'log.dirs': 'data.dir',
  'log.dir': 'data.dir',
  listeners: 'listen',
  'advertised.listeners': 'advertised.listener',
  'broker.id': 'node.id',
};

const PASSTHROUGH_PREFIXES = ['group.', 'offsets.', 'transaction.', 'transactional.', 'producer.id.'];
const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses Kafka .properties text: `key=value` or `key: value` lines, `#`/`!` comments. */
export function parseProperties(text: string, source: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match === null)
      throw new ConfigError(`Cannot read ${source} line ${i + 1}: expected key=value, got '${line}'`);
    out[match[1] as string] = (match[2] as string).trim();
  }
  return out;
}

/** SLUICE_FOO_BAR=x becomes foo.bar=x. */
/**
 * SLUICE_* variables that belong to Sluice's other tools (the client commands, tests and
 * benchmarks), not to the broker: a shell that exports them for `sluice topics` must still be
 * able to run `sluice broker`. Everything else under SLUICE_ is a broker property and is
 * validated as one, so a misspelt setting still fails loudly.
 */
const NOT_BROKER_ENV = new Set(['SLUICE_BOOTSTRAP', 'SLUICE_HTTP', 'SLUICE_CACHE']);
const NOT_BROKER_ENV_PREFIXES = [
  'SLUICE_CLIENT_',
  'SLUICE_KAFKA_',
  'SLUICE_FUZZ_',
  'SLUICE_SIM_',
  'SLUICE_TEST_',
];

export function isBrokerEnvName(name: string): boolean {
  if (!name.startsWith('SLUICE_') || NOT_BROKER_ENV.has(name)) return false;
  return !NOT_BROKER_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}

export function propertiesFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!isBrokerEnvName(name) || value === undefined) continue;
    out[name.slice('SLUICE_'.length).toLowerCase().replaceAll('_', '.')] = value;
  }
  return out;
}

/** Splits HOST:PORT (also PLAINTEXT://HOST:PORT, [v6]:PORT); names `what` in errors. */
export function parseHostPort(text: string, what: string): { host: string; port: number } {
  const bare = text.replace(/^[A-Za-z_]+:\/\//, '');
  const match = /^(\[[^\]]+\]|[^:]*):(\d+)$/.exec(bare);
  if (match === null) throw new ConfigError(`Invalid value '${text}' for ${what}: expected HOST:PORT`);
  const port = Number(match[2]);
  if (port > 65535) throw new ConfigError(`Invalid value '${text}' for ${what}: port must be 0-65535`);
  const host = (match[1] as string).replace(/^\[|\]$/g, '');
  return { host: host === '' ? '0.0.0.0' : host, port };
}

function integer(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`Invalid value '${value}' for ${name}: expected an integer ${min}-${max}`);
  }
  return n;
}

function boolean(value: string, name: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(`Invalid value '${value}' for ${name}: expected true or false`);
}

/** Merges property sources (later wins), resolving aliases, and checks every value. */
export function resolveBrokerConfig(...sources: Readonly<Record<string, string>>[]): BrokerConfig {
  const merged: Record<string, string> = { ...brokerConfigDefaults };
  for (const source of sources) {
    for (const [rawName, value] of Object.entries(source)) merged[ALIASES[rawName] ?? rawName] = value;
  }
  const logSettings: Record<string, string> = {};
  const passthrough: Record<string, string> = {};
  for (const [name, value] of Object.entries(merged)) {
    if (name in brokerConfigDefaults) continue;
    if (name in brokerConfigNames) logSettings[name] = value;
    else if (PASSTHROUGH_PREFIXES.some((p) => name.startsWith(p))) passthrough[name] = value;
    else throw new ConfigError(`Unknown broker config '${name}'`);
  }
  const topicDefaults = topicDefaultsFromBroker(logSettings);
  try {
    validateTopicConfigs(topicDefaults);
  } catch (error) {
    throw new ConfigError(
      `Invalid broker log settings: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { ...coreSettings(merged), topicDefaults, logSettings, passthrough };
}

function coreSettings(
  merged: Record<string, string>,
): Omit<BrokerConfig, 'topicDefaults' | 'logSettings' | 'passthrough'> {
  const get = (name: string): string => merged[name] ?? '';
  const listen = parseHostPort(get('listen'), 'listen');
  const advertisedText = get('advertised.listener');
  const advertised = advertisedText === '' ? null : parseHostPort(advertisedText, 'advertised.listener');
  const httpText = get('http.listen');
  const http = httpText === '' || httpText === 'off' ? null : parseHostPort(httpText, 'http.listen');
  const logLevel = get('log.level');
  if (!LOG_LEVELS.has(logLevel)) {
    throw new ConfigError(
      `Invalid value '${logLevel}' for log.level: expected one of ${[...LOG_LEVELS].join(', ')}`,
    );
  }
  const logFormat = get('log.format');
  if (logFormat !== 'json' && logFormat !== 'pretty') {
    throw new ConfigError(`Invalid value '${logFormat}' for log.format: expected json or pretty`);
  }
  return {
    dataDir: get('data.dir') === '' ? null : get('data.dir'),
    listenHost: listen.host,
    listenPort: listen.port,
    advertisedHost: advertised?.host ?? null,
    advertisedPort: advertised?.port ?? null,
    nodeId: integer(get('node.id'), 'node.id', 0, 2 ** 31 - 1),
    autoCreateTopics: boolean(get('auto.create.topics.enable'), 'auto.create.topics.enable'),
    numPartitions: integer(get('num.partitions'), 'num.partitions', 1, storageLimits.partitionsPerTopicMax),
    logLevel,
    logFormat,
    http,
  };
}
