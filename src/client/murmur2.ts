// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), bit for bit: the Java
// client's default partitioner hashes keys with it, so keyed records land on the same
// partitions whichever client wrote them.
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** The signed 32-bit murmur2 hash of `data`, as Java's Utils.murmur2 returns it. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const words = length >>> 2;
  for (let i = 0; i < words; i++) {
    const at = i * 4;
    let k = data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  // The Java original falls through its switch: each remainder folds in one more tail byte.
  const remainder = length & 3;
  if (remainder >= 3) h ^= data[tail + 2]! << 16;
  if (remainder >= 2) h ^= data[tail + 1]! << 8;
  if (remainder >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's Utils.toPositive: clears the sign bit (not Math.abs, which differs for negatives). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition the Java client picks for a non-null key. */
export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  return toPositive(murmur2(key)) % partitionCount;
}
