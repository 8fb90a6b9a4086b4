// A ring of rows kept as typed-array columns, ordered by a time column: the last `capacityMax`
// rows of one series (a market's bars, a keyword's timeline). Columns start small and double up
// to capacityMax, so thousands of quiet series cost little. Rows must arrive in time order: a
// row at the newest row's time replaces it (a replayed or revised window), an older one is
// refused, so a catch-up that overlaps what was already read changes nothing.

export type ColumnKind = 'f64' | 'f32' | 'i32' | 'u8';

type ColumnArray = Float64Array | Float32Array | Int32Array | Uint8Array;

const INITIAL_CAPACITY = 16;

function allocate(kind: ColumnKind, capacity: number): ColumnArray {
  switch (kind) {
    case 'f64':
      return new Float64Array(capacity);
    case 'f32':
      return new Float32Array(capacity);
    case 'i32':
      return new Int32Array(capacity);
    case 'u8':
      return new Uint8Array(capacity);
  }
}

export type RowOutcome = 'appended' | 'replaced' | 'refused';

export class ColumnRing<C extends string> {
  readonly capacityMax: number;
  readonly #kinds: Readonly<Record<C, ColumnKind>>;
  readonly #timeColumn: C;
  #columns: Record<C, ColumnArray>;
  #capacity: number;
  /** Index of the oldest row. */
  #head = 0;
  #length = 0;

  constructor(kinds: Readonly<Record<C, ColumnKind>>, timeColumn: NoInfer<C>, capacityMax: number) {
    if (!Number.isSafeInteger(capacityMax) || capacityMax < 1)
      throw new Error(
        `Cannot create a column ring: capacityMax must be a positive integer, got ${capacityMax}`,
      );
    if (kinds[timeColumn] !== 'f64')
      throw new Error(`Cannot create a column ring: time column '${timeColumn}' must be f64`);
    this.capacityMax = capacityMax;
    this.#kinds = kinds;
    this.#timeColumn = timeColumn;
    this.#capacity = Math.min(INITIAL_CAPACITY, capacityMax);
    this.#columns = this.#allocateAll(this.#capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Bytes the columns hold (allocated, not only used). */
  get bytes(): number {
    let n = 0;
    for (const column of Object.values<ColumnArray>(this.#columns)) n += column.byteLength;
    return n;
  }

  /** The newest row's time, or -Infinity when empty. */
  get lastTime(): number {
    return this.#length === 0 ? Number.NEGATIVE_INFINITY : this.at(this.#timeColumn, this.#length - 1);
  }

  /** Column `name` of row `i` (0 = oldest). */
  at(name: C, i: number): number {
    if (i < 0 || i >= this.#length)
      throw new RangeError(`Row ${i} is outside the ring's ${this.#length} rows`);
    return this.#columns[name][(this.#head + i) % this.#capacity] as number;
  }

  push(row: Readonly<Record<C, number>>): RowOutcome {
    const time = row[this.#timeColumn];
    const last = this.lastTime;
    if (time < last) return 'refused';
    if (time === last) {
      this.#write((this.#head + this.#length - 1) % this.#capacity, row);
      return 'replaced';
    }
    if (this.#length === this.#capacity && this.#capacity < this.capacityMax) this.#grow();
    if (this.#length === this.#capacity) {
      // Full at its bound: the oldest row makes room.
      this.#write(this.#head, row);
      this.#head = (this.#head + 1) % this.#capacity;
    } else {
      this.#write((this.#head + this.#length) % this.#capacity, row);
      this.#length++;
    }
    return 'appended';
  }

  /** Sets one column of the row at `time`, if the ring still has it; false otherwise. */
  setAt(time: number, name: C, value: number): boolean {
    // Newest first: the row asked for is nearly always recent.
    for (let i = this.#length - 1; i >= 0; i--) {
      const t = this.at(this.#timeColumn, i);
      if (t < time) return false;
      if (t === time) {
        this.#columns[name][(this.#head + i) % this.#capacity] = value;
        return true;
      }
    }
    return false;
  }

  /** One column, oldest row first, as a plain array (for JSON). */
  column(name: C): number[] {
    const out = new Array<number>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.at(name, i);
    return out;
  }

  #write(index: number, row: Readonly<Record<C, number>>): void {
    for (const name of Object.keys(this.#kinds) as C[]) this.#columns[name][index] = row[name];
  }

  #allocateAll(capacity: number): Record<C, ColumnArray> {
    const columns = {} as Record<C, ColumnArray>;
    for (const name of Object.keys(this.#kinds) as C[]) columns[name] = allocate(this.#kinds[name], capacity);
    return columns;
  }

  #grow(): void {
    const capacity = Math.min(this.#capacity * 2, this.capacityMax);
    const next = this.#allocateAll(capacity);
    for (const name of Object.keys(this.#kinds) as C[]) {
      const from = this.#columns[name];
      const to = next[name];
      for (let i = 0; i < this.#length; i++) to[i] = from[(this.#head + i) % this.#capacity] as number;
    }
    this.#columns = next;
    this.#capacity = capacity;
    this.#head = 0;
  }
}
