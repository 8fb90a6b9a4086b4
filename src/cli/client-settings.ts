// The flags every command that talks to a cluster takes (--bootstrap, --json, --timeout-ms) and
// the client options they become. Any Kafka cluster works: nothing here is Sluice-specific.
import { type ClusterOptions, parseBootstrap } from '../client/cluster.ts';
import { cliLimits } from '../limits.ts';
import { intFlag } from './args.ts';
import { CliError } from './command.ts';

export const clientFlags = {
  bootstrap: { type: 'string' },
  json: { type: 'boolean' },
  'timeout-ms': { type: 'string' },
} as const;

export const clientFlagsUsage = `Connection and output:
  --bootstrap HOST:PORT[,HOST:PORT]  brokers to start from (default $SLUICE_BOOTSTRAP or 127.0.0.1:9092)
  --timeout-ms MS                    give up after MS milliseconds (default ${cliLimits.operationTimeoutMsDefault})
  --json                             print JSON for scripts instead of tables`;

export interface ClientSettings {
  bootstrap: string;
  json: boolean;
  timeoutMs: number;
}

export function clientSettings(values: {
  bootstrap?: string | undefined;
  json?: boolean | undefined;
  'timeout-ms'?: string | undefined;
}): ClientSettings {
  const bootstrap = values.bootstrap ?? process.env.SLUICE_BOOTSTRAP ?? '127.0.0.1:9092';
  try {
    parseBootstrap(bootstrap);
  } catch (error) {
    throw new CliError(`--bootstrap: ${(error as Error).message}; expected HOST:PORT[,HOST:PORT]`, 2);
  }
  const timeoutMs =
    intFlag(values['timeout-ms'], 'timeout-ms', 1, cliLimits.operationTimeoutMsMax) ??
    cliLimits.operationTimeoutMsDefault;
  return { bootstrap, json: values.json === true, timeoutMs };
}

/** Client options for one command: requests and connects bounded by the command's timeout. */
export function clusterOptions(settings: ClientSettings): ClusterOptions {
  return {
    bootstrap: settings.bootstrap,
    clientId: 'sluice-cli',
    connectTimeoutMs: Math.min(settings.timeoutMs, cliLimits.connectTimeoutMsMax),
    requestTimeoutMs: settings.timeoutMs,
  };
}
