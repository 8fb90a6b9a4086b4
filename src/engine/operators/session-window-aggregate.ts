// Session windows on a keyed stream: a record at t opens [t, t + gap); windows of one key that
// overlap merge (accumulators combined with merge()). A session fires when the watermark
// reaches its end - 1 and is kept allowedLatenessMs longer for late records, which re-emit it.
import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';
import { derivedRecord, type EngineRecord } from '../record.ts';
import { keyId } from '../state/key-id.ts';
import { estimateBytes } from '../state/size-estimate.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import type { StateBudget } from '../state/state-budget.ts';
import type { StateDescriptor } from '../state/state-descriptor.ts';
import { type Timer, TimerHeap } from '../state/timer-heap.ts';
import type { MergeableAggregator } from './aggregator.ts';
import { LateData } from './late-data.ts';
import { type OperatorContext, StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';
import type { Windowed } from './windowed.ts';

interface Session {
  startMs: number;
  endMs: number;
  acc: unknown;
  fired: boolean;
}

interface KeySessions {
  key: unknown;
  /** Sorted by start, never overlapping. */
  sessions: Session[];
  bytes: number;
}

interface Saved {
  watermarkMs: number;
  keys: Array<[string, KeySessions]>;
  timers: Timer[];
}

export interface SessionWindowOptions {
  readonly gapMs: number;
  readonly allowedLatenessMs: number;
  readonly lateOutputPort: string | null;
}

export class SessionWindowOperator<V, A, R> extends StatelessOperator {
  override readonly state: readonly StateDescriptor[] = [
    { name: 'sessions', kind: 'sessions', ttlMs: Number.POSITIVE_INFINITY },
    { name: 'timers', kind: 'timers', ttlMs: Number.POSITIVE_INFINITY },
  ];
  readonly #aggregator: MergeableAggregator<V, A, R>;
  readonly #gapMs: number;
  readonly #latenessMs: number;
  readonly #late: LateData;
  #keys = new Map<string, KeySessions>();
  #timers = new TimerHeap('sessions');
  #watermarkMs = Number.NEGATIVE_INFINITY;
  #name = '';
  #budget: StateBudget | null = null;

  constructor(aggregator: MergeableAggregator<V, A, R>, options: SessionWindowOptions) {
    super();
    this.#aggregator = aggregator;
    this.#gapMs = options.gapMs;
    this.#latenessMs = options.allowedLatenessMs;
    this.#late = new LateData(options.lateOutputPort);
  }

  override open(context: OperatorContext): Promise<void> {
    this.#name = context.instanceName;
    this.#budget = context.budget;
    this.#timers = new TimerHeap(context.instanceName);
    this.#late.open(context);
    return Promise.resolve();
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<unknown, V>;
      if (r.timestamp + this.#gapMs - 1 + this.#latenessMs <= this.#watermarkMs) {
        this.#late.handle(r, out);
        continue;
      }
      const id = keyId(r.key);
      let entry = this.#keys.get(id);
      if (entry === undefined) {
        entry = { key: r.key, sessions: [], bytes: 0 };
        this.#keys.set(id, entry);
      }
      const merged = this.#add(entry, r);
      this.#remeasure(entry);
      this.#schedule(merged, id, entry, out);
    }
  }

  override onWatermark(watermarkMs: number, out: Output): void {
    this.#watermarkMs = watermarkMs;
    for (let t = this.#timers.popDue(watermarkMs); t !== undefined; t = this.#timers.popDue(watermarkMs)) {
      const entry = this.#keys.get(t.keyId);
      if (entry === undefined) continue;
      const kept: Session[] = [];
      for (const s of entry.sessions) {
        if (!s.fired && s.endMs - 1 <= watermarkMs) {
          out.emit(this.#result(entry.key, s));
          s.fired = true;
        }
        if (s.endMs - 1 + this.#latenessMs > watermarkMs) kept.push(s);
      }
      entry.sessions = kept;
      if (kept.length === 0) {
        this.#keys.delete(t.keyId);
        this.#budget!.charge(-entry.bytes, `${this.#name}.sessions`);
      } else this.#remeasure(entry);
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
    for (const entry of this.#keys.values()) this.#budget!.charge(entry.bytes, `${this.#name}.sessions`);
    this.#timers.restore(saved.timers);
  }

  /** Adds the record's window [t, t + gap) to the key's sessions, merging overlaps. */
  #add(entry: KeySessions, r: EngineRecord<unknown, V>): Session {
    const agg = this.#aggregator;
    const startMs = r.timestamp;
    const endMs = r.timestamp + this.#gapMs;
    const sessions = entry.sessions;
    let first = 0;
    while (first < sessions.length && sessions[first]!.endMs < startMs) first++;
    let last = first;
    while (last < sessions.length && sessions[last]!.startMs <= endMs) last++;
    // Sessions first..last-1 overlap or touch [startMs, endMs): they become one.
    let merged: Session;
    if (first === last) {
      merged = { startMs, endMs, acc: agg.add(agg.init(), r.value, r), fired: false };
      if (sessions.length >= engineLimits.sessionsPerKeyMax) {
        throw new EngineError(
          'limit_exceeded',
          `Session window '${this.#name}' would hold more than ${engineLimits.sessionsPerKeyMax} sessions for key ${String(entry.key)}`,
        );
      }
      sessions.splice(first, 0, merged);
      return merged;
    }
    merged = sessions[first]!;
    for (let i = first + 1; i < last; i++) {
      const s = sessions[i]!;
      merged.acc = agg.merge(merged.acc as A, s.acc as A);
      if (s.endMs > merged.endMs) merged.endMs = s.endMs;
    }
    if (startMs < merged.startMs) merged.startMs = startMs;
    if (endMs > merged.endMs) merged.endMs = endMs;
    merged.acc = agg.add(merged.acc as A, r.value, r);
    merged.fired = false;
    sessions.splice(first + 1, last - first - 1);
    return merged;
  }

  #schedule(s: Session, id: string, entry: KeySessions, out: Output): void {
    if (s.endMs - 1 <= this.#watermarkMs) {
      // A late record within the allowed lateness extended a closed session: emit the update.
      out.emit(this.#result(entry.key, s));
      s.fired = true;
    } else this.#timers.add(s.endMs - 1, id, entry.key);
    if (this.#latenessMs > 0) this.#timers.add(s.endMs - 1 + this.#latenessMs, id, entry.key);
  }

  #remeasure(entry: KeySessions): void {
    const bytes = estimateBytes(entry.sessions) + 64;
    this.#budget!.charge(bytes - entry.bytes, `${this.#name}.sessions`);
    entry.bytes = bytes;
  }

  #result(key: unknown, s: Session): EngineRecord {
    const value: Windowed<unknown, R> = {
      key,
      windowStartMs: s.startMs,
      windowEndMs: s.endMs,
      result: this.#aggregator.result(s.acc as A),
    };
    return derivedRecord(key, value, s.endMs - 1, null);
  }
}
