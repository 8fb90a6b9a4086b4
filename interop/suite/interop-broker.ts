// The broker each client file runs against: Sluice's public startBroker() on a data directory
// of its own, with the group coordinator added explicitly, because startBroker() does not start
// it by default (see broker-defaults.test.ts, which fails until it does).
import { groupCoordinatorNoun } from '../../src/coordinator/coordinator-noun.ts';
import { type RunningBroker, startBroker } from '../../src/index.ts';

export function startInteropBroker(
  dataDir: string,
  config: Readonly<Record<string, string>> = {},
): Promise<RunningBroker> {
  return startBroker({ dataDir, config, nouns: [groupCoordinatorNoun] });
}
