// The broker flags `sluice broker` and `sluice demo` share, and how they resolve into a broker
// configuration: defaults < --config file < SLUICE_* environment < flags.
import { readFile, stat } from 'node:fs/promises';
import {
  type BrokerConfig,
  ConfigError,
  parseProperties,
  propertiesFromEnv,
  resolveBrokerConfig,
} from '../broker/config.ts';
import { brokerLimits } from '../limits.ts';
import { CliError, type CliIo } from './command.ts';

/** parseArgs options of the broker flags. */
export const brokerFlagOptions = {
  'data-dir': { type: 'string' },
  listen: { type: 'string' },
  'advertised-listener': { type: 'string' },
  'node-id': { type: 'string' },
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  quiet: { type: 'boolean' },
  http: { type: 'string' },
} as const;

/** Usage lines of the broker flags. */
export const brokerFlagUsage = `  --data-dir DIR               where topics are stored (default .sluice-data)
  --listen HOST:PORT           address to listen on (default 127.0.0.1:9092)
  --advertised-listener H:P    address clients are told to use (default: the listen address)
  --node-id N                  this node's id (default 1; the data directory remembers it)
  --config FILE                Kafka-style .properties file (key=value lines, # comments)
  --set KEY=VALUE              any broker property, repeatable (e.g. --set num.partitions=3)
  --log-level LEVEL            fatal, error, warn, info, debug, trace or silent (default info)
  --log-format json|pretty     default pretty on a terminal, json otherwise
  --http HOST:PORT             dashboard, /metrics, /healthz, /readyz (default 127.0.0.1:8080;
                               'off' serves none)
  --quiet                      log errors only`;

async function readConfigFile(path: string): Promise<Record<string, string>> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new CliError(`Cannot read config file ${path}: ${(error as Error).message}`, 2);
  }
  if (size > brokerLimits.configFileBytesMax) {
    throw new CliError(
      `Config file ${path} is ${size} bytes; the limit is ${brokerLimits.configFileBytesMax}`,
      2,
    );
  }
  return parseProperties(await readFile(path, 'utf8'), path);
}

function flagProperties(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const props: Record<string, string> = {};
  const flags: [string, string][] = [
    ['data-dir', 'data.dir'],
    ['listen', 'listen'],
    ['advertised-listener', 'advertised.listener'],
    ['node-id', 'node.id'],
    ['log-level', 'log.level'],
    ['log-format', 'log.format'],
    ['http', 'http.listen'],
  ];
  for (const [flag, name] of flags) {
    const value = values[flag];
    if (typeof value === 'string') props[name] = value;
  }
  const pairs = Array.isArray(values.set) ? values.set : [];
  for (const pair of pairs) {
    if (typeof pair !== 'string') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--set expects KEY=VALUE, got '${pair}'`, 2);
    props[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (values.quiet === true) props['log.level'] = 'error';
  return props;
}

/** The broker configuration the flags, a --config file and SLUICE_* variables describe. */
export async function brokerConfigFromFlags(
  values: Readonly<Record<string, unknown>>,
  io: CliIo,
): Promise<BrokerConfig> {
  const cliDefaults = {
    'data.dir': '.sluice-data',
    'http.listen': '127.0.0.1:8080',
    'log.format': (io.stderr as NodeJS.WriteStream).isTTY === true ? 'pretty' : 'json',
  };
  const file = typeof values.config === 'string' ? await readConfigFile(values.config) : {};
  try {
    return resolveBrokerConfig(cliDefaults, file, propertiesFromEnv(process.env), flagProperties(values));
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
}
