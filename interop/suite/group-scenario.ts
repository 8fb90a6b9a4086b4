// The group scenario, the same for every client: three members join an empty topic's group and
// settle on disjoint assignments covering all partitions; half the records are produced and
// consumed; one member commits and leaves; the other half is produced and the two that remain
// must consume it, including the partitions the leaver held; at the end every record was
// consumed and the group's committed offsets are the log end offsets.
import assert from 'node:assert/strict';
import type { ClientDriver, GroupMember, GroupProtocol, MemberState } from './driver.ts';
import { OffsetLedger, partitionsPerTopic, recordsTotal, specRecords } from './records.ts';
import {
  committedOffsets,
  consumerGroupHeartbeatApiKey,
  createTopicReference,
  endOffsets,
  groupApis,
  produceReference,
  servedApiKeys,
} from './reference.ts';

/** A deadline against hangs, not a performance assertion: generous on a loaded 2-core machine. */
const phaseTimeoutMs = 60_000;
const membersCount = 3;

/** Resolves when `done()` holds; rejects when a member fails or the deadline passes. */
function waitFor(
  members: readonly MemberState[],
  done: () => boolean,
  what: string,
  explain: () => string = () => '',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const unsubscribes: (() => void)[] = [];
    const finish = (error?: Error) => {
      clearTimeout(timer);
      for (const u of unsubscribes) u();
      if (error === undefined) resolve();
      else reject(error);
    };
    const check = () => {
      const failed = members.find((m) => m.failure !== null);
      if (failed?.failure)
        return finish(new Error(`${failed.label} failed while ${what}: ${failed.failure.message}`));
      if (done()) finish();
    };
    const timer = setTimeout(() => {
      const states = members.map(
        (m) => `${m.label}: assigned [${m.assignment}], consumed ${m.consumed.length}`,
      );
      finish(new Error(`Gave up after ${phaseTimeoutMs} ms ${what}; ${states.join('; ')}${explain()}`));
    }, phaseTimeoutMs);
    for (const m of members) unsubscribes.push(m.onChange(check));
    check();
  });
}

function settled(members: readonly MemberState[]): boolean {
  const all = members.flatMap((m) => m.assignment);
  return (
    members.every((m) => m.assignment.length > 0) &&
    new Set(all).size === all.length &&
    all.length === partitionsPerTopic
  );
}

function consumedKeys(members: readonly MemberState[]): Set<string> {
  const out = new Set<string>();
  for (const m of members) for (const c of m.consumed) out.add(`${c.partition}@${c.offset}`);
  return out;
}

/** The offsets in [from, to) that no member consumed, as ranges per partition. */
function neverConsumed(
  members: readonly MemberState[],
  from: readonly bigint[],
  to: readonly bigint[],
): string {
  const seen = consumedKeys(members);
  const parts: string[] = [];
  to.forEach((end, p) => {
    const ranges: string[] = [];
    let start: bigint | null = null;
    for (let o = from[p] ?? 0n; o <= end; o++) {
      const gap = o < end && !seen.has(`${p}@${o}`);
      if (gap && start === null) start = o;
      if (!gap && start !== null) {
        ranges.push(`${start}..${o - 1n}`);
        start = null;
      }
    }
    if (ranges.length > 0)
      parts.push(`p${p} [${ranges.slice(0, 5).join(', ')}] of [${from[p] ?? 0n}, ${end})`);
  });
  return parts.length === 0 ? '' : `; never consumed: ${parts.join('; ')}`;
}

/**
 * A check of whether the members consumed every offset in [from[p], to[p]) of every partition p.
 * Each call reads only the records reported since the previous call: the check runs on every
 * report, and kcat reports one record per line, so rescanning everything consumed made the
 * checks quadratic (tens of seconds of CPU) on the event loop the in-process broker shares,
 * which then answered heartbeats and commits so late that the members' sessions timed out.
 */
export function coverage(
  members: readonly MemberState[],
  from: readonly bigint[],
  to: readonly bigint[],
): () => boolean {
  const seen = new Set<string>();
  const readUpTo = members.map(() => 0);
  let missing = 0n;
  to.forEach((end, p) => {
    missing += end - (from[p] ?? 0n);
  });
  return () => {
    members.forEach((m, i) => {
      // Bounded by what the member reported; `consumed` only grows.
      for (let at = readUpTo[i] ?? 0; at < m.consumed.length; at++) {
        const c = m.consumed[at];
        if (c === undefined) continue;
        if (c.offset < (from[c.partition] ?? 0n) || c.offset >= (to[c.partition] ?? 0n)) continue;
        const key = `${c.partition}@${c.offset}`;
        if (seen.has(key)) continue;
        seen.add(key);
        missing--;
      }
      readUpTo[i] = m.consumed.length;
    });
    return missing === 0n;
  };
}

export async function runGroupScenario(
  driver: ClientDriver,
  bootstrap: string,
  topic: string,
  group: string,
  protocol: GroupProtocol,
): Promise<void> {
  // Fail at once, naming the missing handlers, rather than after clients retry for minutes.
  const served = await servedApiKeys(bootstrap);
  const needed = {
    ...groupApis,
    ...(protocol === 'consumer' ? { [consumerGroupHeartbeatApiKey]: 'ConsumerGroupHeartbeat' } : {}),
  };
  const missing = Object.entries(needed).filter(([key]) => !served.has(Number(key)));
  assert.deepEqual(
    missing.map(([key, name]) => `${name} (${key})`),
    [],
    'the broker serves the group APIs (ApiVersions)',
  );
  await createTopicReference(bootstrap, topic, partitionsPerTopic);
  const members: GroupMember[] = [];
  try {
    for (let i = 0; i < membersCount; i++)
      members.push(await driver.startMember(bootstrap, topic, group, protocol));
    const states = members.map((m) => m.state);
    await waitFor(
      states,
      () => settled(states),
      `waiting for ${membersCount} members to share ${partitionsPerTopic} partitions`,
    );

    const half = recordsTotal / 2;
    const ledger = new OffsetLedger();
    const first = specRecords('group', 0, half, { perRecordHeaders: true, timestamps: true });
    await produceReference(bootstrap, topic, first);
    ledger.append(first);
    const halfEnds = ledger.endOffsets(partitionsPerTopic);
    const none = halfEnds.map(() => 0n);
    await waitFor(states, coverage(states, none, halfEnds), 'consuming the first half', () =>
      neverConsumed(states, none, halfEnds),
    );

    const [leaver, ...stayers] = members as [GroupMember, ...GroupMember[]];
    const leaverPartitions = leaver.state.assignment;
    assert.ok(leaver.state.consumed.length > 0, `${leaver.state.label} consumed records before leaving`);
    await leaver.leave();

    const second = specRecords('group', half, recordsTotal - half, {
      perRecordHeaders: true,
      timestamps: true,
    });
    await produceReference(bootstrap, topic, second);
    ledger.append(second);
    const ends = ledger.endOffsets(partitionsPerTopic);
    const stayerStates = stayers.map((m) => m.state);
    const leaverFrom = halfEnds.map((end, p) => (leaverPartitions.includes(p) ? end : 0n));
    const leaverTo = ends.map((end, p) => (leaverPartitions.includes(p) ? end : 0n));
    await waitFor(
      stayerStates,
      coverage(stayerStates, leaverFrom, leaverTo),
      `the remaining members consuming the leaver's partitions [${leaverPartitions}]`,
      () => neverConsumed(stayerStates, leaverFrom, leaverTo),
    );
    await waitFor(states, coverage(states, none, ends), 'consuming the second half', () =>
      neverConsumed(states, none, ends),
    );
    for (const m of stayers) await m.leave();
    members.length = 0;

    assert.deepEqual(await endOffsets(bootstrap, topic), ends, 'log end offsets after the scenario');
    assert.deepEqual(
      await committedOffsets(bootstrap, group, topic),
      ends,
      `committed offsets of group ${group} are the log end offsets`,
    );
  } finally {
    // On failure, members still running are stopped; their own errors are secondary.
    for (const m of members) await m.leave().catch(() => undefined);
  }
}
