// Picks, per API, the highest version both the broker and this client speak. The client speaks
// every version its generated codec has, except where the client's own logic is written for an
// older protocol (caps below, each with its reason).
import { ApiKey, apis } from '../protocol/generated/apis.ts';

export interface VersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** Highest versions the client's logic handles, where that is below the codec's maximum. */
const clientCaps: ReadonlyMap<number, number> = new Map([
  // v4+ batches several transactions and is for brokers only (KIP-890).
  [ApiKey.AddPartitionsToTxn, 3],
  // v5 is transactions protocol 2 (epoch bump per transaction, partitions added by Produce v12);
  // the producer adds partitions explicitly, which is protocol 1.
  [ApiKey.EndTxn, 4],
]);

/** The versions this client offers for each API it knows. */
export function clientVersionRanges(): VersionRange[] {
  return apis.map((api) => ({
    apiKey: api.apiKey,
    minVersion: api.minVersion,
    maxVersion: Math.min(api.maxVersion, clientCaps.get(api.apiKey) ?? api.maxVersion),
  }));
}

/** For each API both sides know with overlapping ranges, the highest common version. */
export function negotiateVersions(
  ours: readonly VersionRange[],
  theirs: readonly VersionRange[],
): Map<number, number> {
  const theirsByKey = new Map(theirs.map((r) => [r.apiKey, r]));
  const chosen = new Map<number, number>();
  for (const our of ours) {
    const their = theirsByKey.get(our.apiKey);
    if (their === undefined) continue;
    const high = Math.min(our.maxVersion, their.maxVersion);
    const low = Math.max(our.minVersion, their.minVersion);
    if (high >= low) chosen.set(our.apiKey, high);
  }
  return chosen;
}
