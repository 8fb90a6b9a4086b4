// The broker each client file runs against: Sluice's public startBroker() on a data directory
// of its own, as an embedding application starts it (the group coordinator runs by default;
// broker-defaults.test.ts guards that).
import { type RunningBroker, startBroker } from '../../src/index.ts';

export function startInteropBroker(
  dataDir: string,
  config: Readonly<Record<string, string>> = {},
): Promise<RunningBroker> {
  return startBroker({ dataDir, config });
}
