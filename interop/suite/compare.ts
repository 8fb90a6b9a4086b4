// Exact comparison of a read-back with what was produced: the same records at the same
// offsets, with the same keys, values, headers (in order) and timestamps. Failures list the
// first differences, not the whole 30k-record diff.
import assert from 'node:assert/strict';
import type { ExpectedRecord, ReadRecord } from './records.ts';

const differencesShownMax = 8;

function describeRecord(r: ReadRecord | ExpectedRecord | undefined): string {
  if (r === undefined) return '(none)';
  const ts = r.timestamp === null ? 'client time' : String(r.timestamp);
  return `p${r.partition}@${r.offset} key=${r.key} value=${r.value?.slice(0, 40)} headers=${JSON.stringify(r.headers)} ts=${ts}`;
}

function difference(want: ExpectedRecord, got: ReadRecord): string | null {
  const fields: string[] = [];
  if (got.partition !== want.partition || got.offset !== want.offset) fields.push('position');
  if (got.key !== want.key) fields.push('key');
  if (got.value !== want.value) fields.push('value');
  if (JSON.stringify(got.headers) !== JSON.stringify(want.headers)) fields.push('headers');
  if (want.timestamp !== null) {
    if (got.timestamp !== want.timestamp) fields.push('timestamp');
  } else if (want.timestampWindowMs !== undefined) {
    const [from, to] = want.timestampWindowMs;
    if (got.timestamp < from || got.timestamp > to) fields.push(`timestamp outside [${from}, ${to}]`);
  }
  if (fields.length === 0) return null;
  return `${fields.join(', ')} differ:\n    want ${describeRecord(want)}\n    got  ${describeRecord(got)}`;
}

function order(a: { partition: number; offset: bigint }, b: { partition: number; offset: bigint }): number {
  if (a.partition !== b.partition) return a.partition - b.partition;
  return a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0;
}

/** Asserts that `actual` holds exactly the `expected` records, in any order of partitions. */
export function assertReadBackExactly(
  expected: readonly ExpectedRecord[],
  actual: readonly ReadRecord[],
  who: string,
): void {
  const want = [...expected].sort(order);
  const got = [...actual].sort(order);
  const problems: string[] = [];
  if (got.length !== want.length) {
    problems.push(`${who} read ${got.length} records, ${want.length} were produced`);
  }
  const n = Math.max(want.length, got.length);
  let differences = 0;
  for (let i = 0; i < n; i++) {
    const w = want[i];
    const g = got[i];
    const d =
      w === undefined || g === undefined
        ? `missing or extra record:\n    want ${describeRecord(w)}\n    got  ${describeRecord(g)}`
        : difference(w, g);
    if (d === null) continue;
    differences++;
    if (differences <= differencesShownMax) problems.push(`#${i}: ${d}`);
  }
  if (differences > differencesShownMax) problems.push(`... ${differences} differences in all`);
  assert.equal(
    problems.length,
    0,
    `${who} did not read back exactly what was produced:\n${problems.join('\n')}`,
  );
}
