// Hands records to a sink writer; the runtime awaits flush() when the writer is full and before
// acknowledging a checkpoint. With a two-phase-commit sink the operator keeps the committables
// sealed at barriers in its state until their checkpoint completes, so a restore commits them.
import type { Sink, SinkWriter } from '../connector/sink.ts';
import { isTwoPhaseCommitSink, type TwoPhaseCommitWriter } from '../connector/two-phase-commit-sink.ts';
import type { ConsumedOffsets } from '../log/log.ts';
import type { EngineRecord } from '../record.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import { type OperatorContext, StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

interface Sealed {
  readonly checkpointId: number;
  readonly committable: unknown;
}

export class SinkOperator<K, V> extends StatelessOperator {
  readonly #sink: Sink<K, V>;
  #writer: SinkWriter<K, V> | null = null;
  #transactional: TwoPhaseCommitWriter<K, V, unknown> | null = null;
  /** Sealed, not yet committed; part of the snapshot. */
  #sealed: Sealed[] = [];
  #recovered = false;
  #name = '';

  constructor(sink: Sink<K, V>) {
    super();
    this.#sink = sink;
  }

  get sinkName(): string {
    return this.#sink.name;
  }

  override async open(context: OperatorContext): Promise<void> {
    this.#name = context.instanceName;
    const sink = this.#sink;
    if (isTwoPhaseCommitSink(sink)) {
      this.#transactional = await sink.openWriter(
        context.taskIndex,
        context.parallelism,
        context.environment,
      );
      this.#writer = this.#transactional;
    } else this.#writer = await sink.openWriter(context.taskIndex, context.parallelism, context.environment);
  }

  processBatch(records: readonly EngineRecord[], _input: number, _out: Output): void {
    this.#writerOrThrow().write(records as readonly EngineRecord<K, V>[]);
  }

  override onBarrier(checkpointId: number): void {
    const writer = this.#transactional;
    if (writer === null) return;
    const committable = writer.seal(checkpointId);
    if (committable !== null) this.#sealed.push({ checkpointId, committable });
  }

  override snapshot(): Uint8Array {
    return this.#transactional === null ? new Uint8Array(0) : encodeSnapshot(this.#sealed);
  }

  override restore(snapshot: Uint8Array): void {
    if (this.#transactional === null || snapshot.length === 0) return;
    this.#sealed = decodeSnapshot<Sealed[]>(snapshot, this.#name);
  }

  /** Commits what was sealed up to `checkpointId`; the first call after open also aborts leftovers. */
  override async commit(checkpointId: number, consumed: readonly ConsumedOffsets[]): Promise<void> {
    const writer = this.#transactional;
    if (writer === null) return;
    const due = this.#sealed.filter((s) => s.checkpointId <= checkpointId);
    if (due.length > 0)
      await writer.commit(
        due.map((s) => s.committable),
        consumed,
      );
    this.#sealed = this.#sealed.filter((s) => s.checkpointId > checkpointId);
    if (!this.#recovered) {
      this.#recovered = true;
      await writer.abortLeftovers();
    }
  }

  override needsFlush(): boolean {
    return this.#writerOrThrow().needsFlush();
  }

  override flush(): Promise<void> {
    return this.#writerOrThrow().flush();
  }

  override async close(): Promise<void> {
    const writer = this.#writer;
    if (writer === null) return;
    await writer.flush();
    await writer.close();
  }

  #writerOrThrow(): SinkWriter<K, V> {
    if (this.#writer === null) throw new Error(`Sink '${this.#sink.name}' was used before open()`);
    return this.#writer;
  }
}
