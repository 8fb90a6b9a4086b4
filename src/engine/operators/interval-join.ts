// Stream-stream interval join on a keyed pair of streams: left l and right r with the same key
// join when l.timestamp + lowerMs <= r.timestamp <= l.timestamp + upperMs. Both sides are
// buffered per key until the watermark says no future record of the other side can match.
// Records at or before the watermark are late (side output or counted drop).
import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';
import { derivedRecord, type EngineRecord } from '../record.ts';
import { keyId } from '../state/key-id.ts';
import { estimateBytes } from '../state/size-estimate.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import type { StateBudget } from '../state/state-budget.ts';
import type { StateDescriptor } from '../state/state-descriptor.ts';
import { type Timer, TimerHeap } from '../state/timer-heap.ts';
import { LateData } from './late-data.ts';
import { type OperatorContext, StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

export type JoinFunction<K, L, R, O> = (left: L, right: R, key: K) => O;

interface Buffers {
  key: unknown;
  left: EngineRecord[];
  right: EngineRecord[];
  bytes: number;
}

interface Saved {
  watermarkMs: number;
  keys: Array<[string, Buffers]>;
  timers: Timer[];
}

export interface IntervalJoinOptions {
  readonly lowerMs: number;
  readonly upperMs: number;
  readonly lateOutputPort: string | null;
}

export class IntervalJoinOperator<K, L, R, O> extends StatelessOperator {
  override readonly state: readonly StateDescriptor[] = [
    { name: 'buffers', kind: 'join-buffer', ttlMs: Number.POSITIVE_INFINITY },
    { name: 'timers', kind: 'timers', ttlMs: Number.POSITIVE_INFINITY },
  ];
  readonly #fn: JoinFunction<K, L, R, O>;
  readonly #lowerMs: number;
  readonly #upperMs: number;
  readonly #late: LateData;
  #keys = new Map<string, Buffers>();
  #timers = new TimerHeap('interval-join');
  #watermarkMs = Number.NEGATIVE_INFINITY;
  #name = '';
  #budget: StateBudget | null = null;

  constructor(fn: JoinFunction<K, L, R, O>, options: IntervalJoinOptions) {
    super();
    if (!(options.lowerMs <= options.upperMs)) {
      throw new RangeError(
        `Cannot join on interval [${options.lowerMs}, ${options.upperMs}]: lower exceeds upper`,
      );
    }
    this.#fn = fn;
    this.#lowerMs = options.lowerMs;
    this.#upperMs = options.upperMs;
    this.#late = new LateData(options.lateOutputPort);
  }

  override open(context: OperatorContext): Promise<void> {
    this.#name = context.instanceName;
    this.#budget = context.budget;
    this.#timers = new TimerHeap(context.instanceName);
    this.#late.open(context);
    return Promise.resolve();
  }

  processBatch(records: readonly EngineRecord[], inputIndex: number, out: Output): void {
    const isLeft = inputIndex === 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r.timestamp <= this.#watermarkMs) {
        this.#late.handle(r, out);
        continue;
      }
      const id = keyId(r.key);
      let b = this.#keys.get(id);
      if (b === undefined) {
        b = { key: r.key, left: [], right: [], bytes: 0 };
        this.#keys.set(id, b);
      }
      const others = isLeft ? b.right : b.left;
      for (const o of others) {
        const l = isLeft ? r : o;
        const rr = isLeft ? o : r;
        if (rr.timestamp >= l.timestamp + this.#lowerMs && rr.timestamp <= l.timestamp + this.#upperMs) {
          const value = this.#fn(l.value as L, rr.value as R, r.key as K);
          out.emit(derivedRecord(r.key, value, Math.max(l.timestamp, rr.timestamp), r));
        }
      }
      const mine = isLeft ? b.left : b.right;
      if (mine.length >= engineLimits.intervalJoinRecordsPerKeyMax) {
        throw new EngineError(
          'limit_exceeded',
          `Interval join '${this.#name}' buffers more than ${engineLimits.intervalJoinRecordsPerKeyMax} records for key ${String(r.key)}`,
        );
      }
      const bytes = estimateBytes(r.value) + 96;
      this.#budget!.charge(bytes, `${this.#name}.buffers`);
      b.bytes += bytes;
      mine.push(r);
      // After this watermark no record of the other side can match r any more.
      this.#timers.add(isLeft ? r.timestamp + this.#upperMs : r.timestamp - this.#lowerMs, id, r.key);
    }
  }

  override onWatermark(watermarkMs: number): void {
    this.#watermarkMs = watermarkMs;
    for (let t = this.#timers.popDue(watermarkMs); t !== undefined; t = this.#timers.popDue(watermarkMs)) {
      const b = this.#keys.get(t.keyId);
      if (b === undefined) continue;
      b.left = b.left.filter((l) => l.timestamp + this.#upperMs > watermarkMs);
      b.right = b.right.filter((r) => r.timestamp - this.#lowerMs > watermarkMs);
      const bytes =
        b.left.length + b.right.length === 0
          ? 0
          : estimateBytes([...b.left, ...b.right].map((x) => x.value)) + 96;
      this.#budget!.charge(bytes - b.bytes, `${this.#name}.buffers`);
      b.bytes = bytes;
      if (bytes === 0) this.#keys.delete(t.keyId);
    }
  }

  override snapshot(): Uint8Array {
    return encodeSnapshot({
      watermarkMs: this.#watermarkMs,
      keys: [...this.#keys],
      timers: this.#timers.snapshot(),
    } satisfies Saved);
  }

  override restore(snapshot: Uint8Array): void {
    const saved = decodeSnapshot<Saved>(snapshot, this.#name);
    this.#watermarkMs = saved.watermarkMs;
    this.#keys = new Map(saved.keys);
    for (const b of this.#keys.values()) this.#budget!.charge(b.bytes, `${this.#name}.buffers`);
    this.#timers.restore(saved.timers);
  }
}
