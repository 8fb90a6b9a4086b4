// A cheap estimate of how many bytes a value occupies on the V8 heap, for the state budget.
// Iterative (explicit stack) and bounded: very large values count as the bound.
import { engineLimits } from '../../limits.ts';

const objectOverheadBytes = 32;
const entryBytes = 16;

export function estimateBytes(value: unknown): number {
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (typeof value === 'string') return 16 + value.length * 2;
  if (value === null || value === undefined) return 8;
  let total = 0;
  let visited = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++visited > engineLimits.sizeEstimateNodesMax) return total + (stack.length + 1) * entryBytes;
    if (typeof v === 'string') total += 16 + v.length * 2;
    else if (typeof v !== 'object' || v === null) total += 8;
    else if (ArrayBuffer.isView(v)) total += objectOverheadBytes + v.byteLength;
    else if (Array.isArray(v)) {
      total += objectOverheadBytes + v.length * 8;
      for (const item of v) stack.push(item);
    } else if (v instanceof Map) {
      total += objectOverheadBytes + v.size * entryBytes;
      for (const [k, item] of v) stack.push(k, item);
    } else {
      total += objectOverheadBytes;
      for (const key in v) {
        total += entryBytes;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return total;
}
