// The identity of a record key inside state maps: keys are any JSON-like value, maps need a
// primitive. Numbers and strings (the common keys) avoid JSON.stringify.

export function keyId(key: unknown): string {
  if (typeof key === 'string') return `s${key}`;
  if (typeof key === 'number') return `n${key}`;
  if (key === null || key === undefined) return 'null';
  return `j${JSON.stringify(key)}`;
}
