// The value a window aggregation emits: the key, the window's half-open bounds and the result.
export interface Windowed<K, R> {
  readonly key: K;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly result: R;
}
