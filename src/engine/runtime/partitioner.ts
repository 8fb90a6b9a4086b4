// Which task of the next stage owns a key. Stable across runs and processes (it decides where
// keyed state lives, so it must never depend on object identity or insertion order).

/** FNV-1a over the key's identity string, mapped onto `taskCount` tasks. */
export function taskForKey(key: unknown, taskCount: number): number {
  if (taskCount === 1) return 0;
  if (typeof key === 'number' && Number.isSafeInteger(key)) {
    // Integers spread well after one multiplicative mix; no string needed.
    const mixed = Math.imul(key | 0, 0x9e3779b1) ^ Math.floor(key / 4294967296);
    return (mixed >>> 0) % taskCount;
  }
  const text = typeof key === 'string' ? key : (JSON.stringify(key) ?? 'undefined');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % taskCount;
}
