// Keyed value, list and map state of one operator instance, in memory, charged to the job's
// byte budget, with time-to-live. Handles are bound to the store's current key, which the
// operator sets before calling user code, so user code never passes keys around.
import { EngineError } from '../engine-error.ts';
import type { Clock } from '../time/clock.ts';
import { estimateBytes } from './size-estimate.ts';
import type { StateBudget } from './state-budget.ts';

interface Entry {
  key: unknown;
  value: unknown;
  bytes: number;
  expiresAtMs: number;
}

export interface ValueState<T> {
  get(): T | undefined;
  set(value: T): void;
  clear(): void;
}

export interface ListState<T> {
  get(): readonly T[];
  add(value: T): void;
  update(values: readonly T[]): void;
  clear(): void;
}

/** Map state; map keys are compared like Map keys (use strings or numbers). */
export interface MapState<UK, UV> {
  get(key: UK): UV | undefined;
  set(key: UK, value: UV): void;
  delete(key: UK): void;
  entries(): IterableIterator<[UK, UV]>;
  size(): number;
  clear(): void;
}

interface Table {
  readonly name: string;
  readonly ttlMs: number;
  readonly entries: Map<string, Entry>;
}

export interface KeyedStateSnapshot {
  tables: Array<{ name: string; entries: Array<[string, Entry]> }>;
}

export class KeyedStateStore {
  readonly #owner: string;
  readonly #budget: StateBudget;
  readonly #clock: Clock;
  readonly #tables = new Map<string, Table>();
  #keyId = '';
  #key: unknown;

  constructor(owner: string, budget: StateBudget, clock: Clock) {
    this.#owner = owner;
    this.#budget = budget;
    this.#clock = clock;
  }

  setCurrentKey(keyId: string, key: unknown): void {
    this.#keyId = keyId;
    this.#key = key;
  }

  value<T>(name: string, ttlMs: number): ValueState<T> {
    const table = this.#table(name, ttlMs);
    return {
      get: () => this.#read(table)?.value as T | undefined,
      set: (value) => this.#write(table, value),
      clear: () => this.#delete(table),
    };
  }

  list<T>(name: string, ttlMs: number): ListState<T> {
    const table = this.#table(name, ttlMs);
    return {
      get: () => (this.#read(table)?.value as T[] | undefined) ?? [],
      add: (value) => {
        const entry = this.#read(table);
        if (entry === undefined) this.#write(table, [value]);
        else {
          // Charge first: a refused charge must leave the list as it was.
          this.#grow(table, entry, estimateBytes(value) + 8);
          (entry.value as T[]).push(value);
        }
      },
      update: (values) => this.#write(table, [...values]),
      clear: () => this.#delete(table),
    };
  }

  map<UK, UV>(name: string, ttlMs: number): MapState<UK, UV> {
    const table = this.#table(name, ttlMs);
    const current = (create: boolean): Map<UK, UV> | undefined => {
      const entry = this.#read(table);
      if (entry !== undefined || !create) return entry?.value as Map<UK, UV> | undefined;
      const map = new Map<UK, UV>();
      this.#write(table, map);
      return map;
    };
    return {
      get: (key) => current(false)?.get(key),
      set: (key, value) => {
        const map = current(true)!;
        const old = map.get(key);
        map.set(key, value);
        const entry = table.entries.get(this.#keyId)!;
        const delta =
          estimateBytes(value) - (old === undefined ? -estimateBytes(key) - 16 : estimateBytes(old));
        this.#grow(table, entry, delta);
      },
      delete: (key) => {
        const map = current(false);
        if (map === undefined || !map.has(key)) return;
        const delta = -(estimateBytes(map.get(key)) + estimateBytes(key) + 16);
        map.delete(key);
        this.#grow(table, table.entries.get(this.#keyId)!, delta);
      },
      entries: () => (current(false) ?? new Map<UK, UV>()).entries(),
      size: () => current(false)?.size ?? 0,
      clear: () => this.#delete(table),
    };
  }

  /** Every live entry of table `name`: [key id, key, value] (for complete-mode output). */
  *entries<T>(name: string): Generator<[string, unknown, T]> {
    const table = this.#tables.get(name);
    if (table === undefined) return;
    const nowMs = this.#clock.nowMs();
    for (const [id, entry] of table.entries) {
      if (entry.expiresAtMs > nowMs) yield [id, entry.key, entry.value as T];
    }
  }

  /** Drops up to `entriesMax` expired entries; returns how many were dropped. */
  sweepExpired(entriesMax: number): number {
    const nowMs = this.#clock.nowMs();
    let dropped = 0;
    for (const table of this.#tables.values()) {
      if (table.ttlMs === Number.POSITIVE_INFINITY) continue;
      for (const [id, entry] of table.entries) {
        if (dropped >= entriesMax) return dropped;
        if (entry.expiresAtMs <= nowMs) {
          table.entries.delete(id);
          this.#budget.charge(-entry.bytes, `${this.#owner}.${table.name}`);
          dropped++;
        }
      }
    }
    return dropped;
  }

  snapshot(): KeyedStateSnapshot {
    return { tables: [...this.#tables.values()].map((t) => ({ name: t.name, entries: [...t.entries] })) };
  }

  restore(snapshot: KeyedStateSnapshot): void {
    for (const saved of snapshot.tables) {
      const table = this.#tables.get(saved.name);
      if (table === undefined) {
        throw new EngineError(
          'restore_failed',
          `Operator '${this.#owner}' has no state named '${saved.name}' to restore`,
        );
      }
      for (const [id, entry] of saved.entries) {
        table.entries.set(id, entry);
        this.#budget.charge(entry.bytes, `${this.#owner}.${table.name}`);
      }
    }
  }

  #table(name: string, ttlMs: number): Table {
    if (!(ttlMs > 0))
      throw new RangeError(`State '${this.#owner}.${name}' needs a positive ttlMs, got ${ttlMs}`);
    let table = this.#tables.get(name);
    if (table === undefined) {
      table = { name, ttlMs, entries: new Map() };
      this.#tables.set(name, table);
    }
    return table;
  }

  #read(table: Table): Entry | undefined {
    const entry = table.entries.get(this.#keyId);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= this.#clock.nowMs()) {
      this.#delete(table);
      return undefined;
    }
    return entry;
  }

  #write(table: Table, value: unknown): void {
    const bytes = estimateBytes(value) + this.#keyId.length * 2 + 48;
    const old = table.entries.get(this.#keyId);
    this.#budget.charge(bytes - (old?.bytes ?? 0), `${this.#owner}.${table.name}`);
    table.entries.set(this.#keyId, { key: this.#key, value, bytes, expiresAtMs: this.#expiry(table) });
  }

  #grow(table: Table, entry: Entry, deltaBytes: number): void {
    this.#budget.charge(deltaBytes, `${this.#owner}.${table.name}`);
    entry.bytes += deltaBytes;
    entry.expiresAtMs = this.#expiry(table);
  }

  #delete(table: Table): void {
    const old = table.entries.get(this.#keyId);
    if (old === undefined) return;
    table.entries.delete(this.#keyId);
    this.#budget.charge(-old.bytes, `${this.#owner}.${table.name}`);
  }

  #expiry(table: Table): number {
    return table.ttlMs === Number.POSITIVE_INFINITY ? table.ttlMs : this.#clock.nowMs() + table.ttlMs;
  }
}
